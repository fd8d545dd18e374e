"""Attachments: the type comes from the content and must match the name; the size limit is
settings.EVIDENCE_MAX_BYTES; files are served only to those who may read the study."""
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

from apps.core.testing import PASSWORD
from apps.studies.models import StudyAttachment

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20


def office(part):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


def attach(study, name, content):
    attachment = StudyAttachment(version=study.versions.get(round=1),
                                 file=SimpleUploadedFile(name, content))
    attachment.full_clean()
    attachment.save()
    return attachment


@pytest.mark.parametrize("name,content,kind", [
    ("report.pdf", PDF, "pdf"), ("notes.docx", office("word/document.xml"), "docx"),
    ("table.xlsx", office("xl/workbook.xml"), "xlsx"), ("map.png", PNG, "png"),
    ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\0" * 10, "jpeg"),
])
def test_accepted_types(study, name, content, kind):
    attachment = attach(study, name, content)
    assert attachment.file_type == kind and attachment.size == len(content)
    assert attachment.title == name


@pytest.mark.parametrize("name,content,says", [
    ("report.pdf", office("xl/workbook.xml"), "named as .pdf but its content is XLSX"),
    ("notes.docx", office("xl/workbook.xml"), "named as .docx but its content is XLSX"),
    ("table.xlsx", b"MZ\x90\x00 a program", "is not a PDF, Word"),
    ("archive.docx", office("other.txt"), "is not a PDF, Word"),
    ("map.png", PDF, "named as .png but its content is PDF"),
    ("empty.pdf", b"", "is empty"),
])
def test_refused_types_say_why(study, name, content, says):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        attach(study, name, content)
    assert says in " ".join(error.value.message_dict["file"])
    assert name in " ".join(error.value.message_dict["file"])
    assert not StudyAttachment.objects.exists()


@override_settings(EVIDENCE_MAX_BYTES=1024)
def test_size_limit(study):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        attach(study, "big.pdf", PDF + b"0" * 2000)
    assert "larger than" in " ".join(error.value.message_dict["file"])


def test_upload_page_and_download_follow_visibility(client, world, study):
    url = f"/c/a1/studies/{study.pk}/rounds/1/attachments/add/"
    client.login(username="expert", password=PASSWORD)
    with translation.override("en"):
        response = client.post(url, {"file": SimpleUploadedFile("r.pdf", office("xl/workbook.xml"))},
                               HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "its content is XLSX" in response.content.decode()
    assert not StudyAttachment.objects.exists()
    client.post(url, {"title": "รายงาน", "file": SimpleUploadedFile("r.pdf", PDF)})
    attachment = StudyAttachment.objects.get()
    download = f"/c/a1/studies/{study.pk}/attachments/{attachment.pk}/"
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    client.logout()
    assert client.get(download).status_code == 404  # unpublished assessment
    client.login(username="outsider", password=PASSWORD)  # another city's coordinator
    assert client.get(download).status_code == 404
    study.assessment.set_published(None, True)
    client.logout()
    assert client.get(download).status_code == 200
