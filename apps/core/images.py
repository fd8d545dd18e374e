"""Uploaded photos, re-encoded before they are stored.

A photo from a phone carries its GPS position, camera serial and sometimes a thumbnail of the
uncropped picture in its EXIF; a crafted file can claim a size that eats the server's memory
when decoded, or be a script with a .jpg name. So every uploaded image is opened by Pillow from
its content (never its name), refused if it is not JPEG, PNG or WebP or is too large to decode,
turned upright (EXIF orientation), shrunk to a sensible size and written again from its pixels
alone: JPEG, or PNG when it has transparency, under a new random name.

Used by pilots (photos, receipts), monitoring, evaluations and practices.
"""
import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PIXELS = 50_000_000  # a 50-megapixel camera; anything above is refused before decoding
MAX_SIDE = 2400  # enough for a report page or a screen; keeps stored files small
JPEG_QUALITY = 85


def _has_alpha(im):
    return im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)


def reencode_image(uploaded_file, max_pixels=MAX_PIXELS, max_side=MAX_SIDE,
                   max_bytes=None):
    """A clean copy of an uploaded image as a ContentFile (new name, no metadata).

    Raises ValidationError (translated) for anything that is not a decodable JPEG/PNG/WebP,
    is too large in bytes, or claims more than max_pixels pixels. The returned file has a
    `content_type` attribute ("image/jpeg" or "image/png").
    """
    name = (getattr(uploaded_file, "name", "") or "").rsplit("/", 1)[-1] or _("the file")
    max_bytes = max_bytes or settings.EVIDENCE_MAX_BYTES
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(_("“%(name)s” is larger than %(mb)s MB.")
                              % {"name": name, "mb": max_bytes // (1024 * 1024)})
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    not_an_image = ValidationError(
        _("“%(name)s” is not a JPEG, PNG or WebP image, or the image is damaged.")
        % {"name": name})
    too_big = ValidationError(
        _("“%(name)s” has too many pixels to process safely (at most %(mp)s megapixels).")
        % {"name": name, "mp": max(1, max_pixels // 1_000_000)})
    uploaded_file.seek(0)
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that: make it an error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(uploaded_file)  # reads the header only
            if im.format not in ACCEPTED_FORMATS:
                raise not_an_image
            width, height = im.size
            if width * height > max_pixels:
                raise too_big
            im.load()  # decodes: a truncated or corrupt file fails here
            im = ImageOps.exif_transpose(im)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_big from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
                Image.UnidentifiedImageError):
            raise not_an_image from None
        finally:
            uploaded_file.seek(0)
    alpha = _has_alpha(im)
    im = im.convert("RGBA" if alpha else "RGB")
    im.info = {}  # no EXIF, ICC profile, text chunks or comments survive
    if max(im.size) > max_side:
        im.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if alpha:
        im.save(out, format="PNG", optimize=True)
        extension, content_type = "png", "image/png"
    else:
        im.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        extension, content_type = "jpg", "image/jpeg"
    clean = ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
    clean.content_type = content_type
    return clean
