"""What an uploaded attachment really is, from its first bytes, not from its name.

A study's attachments are reports, tables, maps and photos: PDF, DOCX, XLSX, PNG, JPEG, GIF,
WebP. DOCX and XLSX are ZIP archives; their main part (word/document.xml, xl/workbook.xml)
tells them apart from each other and from any other ZIP. The name's extension must agree with
the content, so "report.pdf" that is really a spreadsheet or a program is refused by name.
"""
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ACCEPTED = {  # type -> (extensions, content type)
    "pdf": ({"pdf"}, "application/pdf"),
    "docx": ({"docx"}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ({"xlsx"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "png": ({"png"}, "image/png"),
    "jpeg": ({"jpg", "jpeg"}, "image/jpeg"),
    "gif": ({"gif"}, "image/gif"),
    "webp": ({"webp"}, "image/webp"),
}
IMAGES = {"png", "jpeg", "gif", "webp"}


def sniff(head, opened):
    """The type of a file from its first bytes (and, for ZIPs, its table of contents)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        try:
            opened.seek(0)
            names = set(zipfile.ZipFile(opened).namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def check_upload(upload):
    """(type, size) of an acceptable upload, else a ValidationError naming the file."""
    name = upload.name.rsplit("/", 1)[-1]
    size = upload.size
    if size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError({"file": _(
            "“%(name)s” is larger than %(mb)s MB.")
            % {"name": name, "mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)}})
    if size == 0:
        raise ValidationError({"file": _("“%(name)s” is empty.") % {"name": name}})
    upload.seek(0)
    head = upload.read(16)
    kind = sniff(head, upload)
    upload.seek(0)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if kind is None:
        raise ValidationError({"file": _(
            "“%(name)s” is not a PDF, Word (DOCX), Excel (XLSX) or image file.")
            % {"name": name}})
    if extension not in ACCEPTED[kind][0]:
        raise ValidationError({"file": _(
            "“%(name)s” is named as .%(ext)s but its content is %(kind)s.")
            % {"name": name, "ext": extension or "?", "kind": kind.upper()}})
    return kind, size


def content_type(kind):
    return ACCEPTED.get(kind, ((), "application/octet-stream"))[1]
