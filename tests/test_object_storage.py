"""Several app servers share their uploaded files through S3-compatible object storage
(FILE_STORAGE=s3, django-storages). The bucket is AWS's S3 API mocked in-process by moto, so
this runs the real storage backend and boto3 without a network service.

An evidence file uploaded through one server lands in the bucket (not on the local disk) under
the configured prefix, is private (no public-read ACL) and comes back byte for byte through
the app's own access-checked download view, which any other server could equally answer.
"""
import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from moto import mock_aws

from apps.core.testing import PASSWORD
from apps.progress.models import Evidence

BUCKET = "workbench-files"
URL = "/c/a1/activities/1/"


@pytest.fixture
def s3(settings, monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                        "AWS_DEFAULT_REGION": "ap-southeast-1"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name="ap-southeast-1")
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={
            "LocationConstraint": "ap-southeast-1"})
        settings.STORAGES = {**settings.STORAGES, "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": BUCKET, "region_name": "ap-southeast-1",
                        "location": "media", "default_acl": None, "file_overwrite": False}}}
        # Django's setting_changed handler resets the cached storages (and default_storage).
        yield client


def test_an_uploaded_evidence_file_lives_in_the_bucket_and_downloads_through_the_app(
        client, world, s3, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path  # anything written locally would show up here
    client.login(username="coordinator", password=PASSWORD)
    content = b"%PDF-1.4 minutes of the launch"
    client.post(URL + "evidence/", {"kind": "file", "title": "รายงาน",
                                    "file": SimpleUploadedFile("minutes.pdf", content)})
    item = Evidence.objects.get(kind="file")

    keys = [obj["Key"] for obj in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert keys == [f"media/{item.file.name}"]
    assert not any(tmp_path.iterdir())
    grants = s3.get_object_acl(Bucket=BUCKET, Key=keys[0])["Grants"]
    assert all("AllUsers" not in str(grant.get("Grantee")) for grant in grants)

    download = client.get(f"{URL}evidence/{item.pk}/file/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content

    # Unpublished evidence stays behind the app's check: another city's user gets 404.
    client.logout()
    client.login(username="stranger", password=PASSWORD)
    assert client.get(f"{URL}evidence/{item.pk}/file/").status_code == 404


def test_two_uploads_with_one_name_never_overwrite_each_other(world, s3):
    first = default_storage.save("evidence/minutes.pdf", SimpleUploadedFile("a", b"first"))
    second = default_storage.save("evidence/minutes.pdf", SimpleUploadedFile("b", b"second"))
    assert first != second
    assert default_storage.open(first).read() == b"first"
