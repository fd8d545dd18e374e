"""Uploaded images come back re-encoded, upright, without metadata; non-images and bombs refused."""
import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from apps.core.images import reencode_image


def jpeg_with_exif(size=(60, 40), orientation=None):
    im = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (13.0, 45.0, 0.0)}  # GPS info
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    im.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(data, name="photo.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_jpeg_is_reencoded_and_loses_its_exif():
    data = jpeg_with_exif()
    assert b"SecretCam" in data
    clean = reencode_image(upload(data, "holiday snap.JPG"))
    body = clean.read()
    assert b"SecretCam" not in body
    assert clean.name.endswith(".jpg") and "holiday" not in clean.name
    assert clean.content_type == "image/jpeg"
    im = Image.open(io.BytesIO(body))
    assert im.format == "JPEG" and im.size == (60, 40)
    assert not im.getexif()


def test_exif_orientation_is_applied():
    # Orientation 6 = rotate 90 degrees clockwise to display: a wide picture comes out tall.
    clean = reencode_image(upload(jpeg_with_exif((60, 40), orientation=6)))
    assert Image.open(io.BytesIO(clean.read())).size == (40, 60)


def test_png_with_alpha_stays_png_and_text_chunks_go():
    from PIL import PngImagePlugin
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Somchai secret")
    im = Image.new("RGBA", (30, 30), (0, 0, 255, 100))
    out = io.BytesIO()
    im.save(out, format="PNG", pnginfo=info)
    assert b"Somchai secret" in out.getvalue()
    clean = reencode_image(upload(out.getvalue(), "a.png"))
    body = clean.read()
    assert b"Somchai secret" not in body
    assert clean.name.endswith(".png") and clean.content_type == "image/png"
    assert Image.open(io.BytesIO(body)).mode == "RGBA"


def test_opaque_png_becomes_jpeg_and_is_downscaled():
    im = Image.new("RGB", (3000, 1500), (0, 128, 0))
    out = io.BytesIO()
    im.save(out, format="PNG")
    clean = reencode_image(upload(out.getvalue(), "big.png"), max_side=1000)
    result = Image.open(io.BytesIO(clean.read()))
    assert result.format == "JPEG" and result.size == (1000, 500)


def test_text_file_named_jpg_is_refused():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        reencode_image(upload(b"<script>alert(1)</script>", "evil.jpg"))
    assert "evil.jpg" in caught.value.messages[0]
    assert "not a JPEG, PNG or WebP" in caught.value.messages[0]


def test_truncated_jpeg_is_refused():
    data = jpeg_with_exif((400, 400))
    with pytest.raises(ValidationError):
        reencode_image(upload(data[: len(data) // 3]))


def test_gif_is_refused_even_though_pillow_reads_it():
    out = io.BytesIO()
    Image.new("RGB", (5, 5)).save(out, format="GIF")
    with pytest.raises(ValidationError):
        reencode_image(upload(out.getvalue(), "x.gif"))


def png_header_claiming(width, height):
    """A PNG whose header claims width x height but carries almost no pixel data."""
    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 10)) + chunk(b"IEND", b""))


def test_decompression_bomb_is_refused_before_decoding():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        reencode_image(upload(png_header_claiming(100_000, 100_000), "bomb.png"))
    assert "too many pixels" in caught.value.messages[0]


def test_low_max_pixels_refuses_an_ordinary_image():
    with pytest.raises(ValidationError):
        reencode_image(upload(jpeg_with_exif((100, 100))), max_pixels=5000)


def test_too_many_bytes_and_empty_are_refused():
    with pytest.raises(ValidationError):
        reencode_image(upload(jpeg_with_exif()), max_bytes=10)
    with pytest.raises(ValidationError):
        reencode_image(upload(b"", "empty.jpg"))
