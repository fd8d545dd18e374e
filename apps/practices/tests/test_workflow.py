"""Who may write, submit, publish and read a practice; drafts never leak."""
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.core.testing import PASSWORD
from apps.practices.models import Practice, PracticeChange
from apps.practices.tests.helpers import make_practice

pytestmark = pytest.mark.django_db


def login(client, world, name):
    assert client.login(username=name, password=PASSWORD)


def test_coordinator_writes_submits_and_national_publishes(client, world):
    login(client, world, "coordinator")
    response = client.post(f"/c/{world.city.slug}/practices/new/", {
        "title_th": "ระบบเตือนภัยน้ำท่วมล่วงหน้าโดยชุมชน", "title_en": "Community flood warning",
        "hazards": ["flood", "flash_flood"], "sectors": ["drainage"],
        "what_was_done_th": '<p>ติดตั้งเสาวัดระดับน้ำ</p><script>alert(1)</script>',
        "cost": "125000.50"})
    practice = Practice.objects.get()
    assert response.status_code == 302 and practice.status == "draft"
    assert practice.what_was_done_th == "<p>ติดตั้งเสาวัดระดับน้ำ</p>"
    assert practice.created_by == world.user("coordinator")
    client.post(f"/practices/{practice.pk}/submit/")
    practice.refresh_from_db()
    assert practice.status == "submitted"
    # The city's coordinator may not publish: that is the national coordinator's call.
    assert client.post(f"/practices/{practice.pk}/publish/").status_code == 403
    login(client, world, "national")
    client.post(f"/practices/{practice.pk}/publish/")
    practice.refresh_from_db()
    assert practice.status == "published" and practice.published_at is not None
    assert list(practice.changes.values_list("action", flat=True)) == [
        "created", "submitted", "published"]
    client.logout()
    assert client.get(f"/practices/{practice.pk}/").status_code == 200  # public now


def test_city_editor_changing_a_published_practice_sends_it_back(client, world):
    practice = make_practice(world.city, hazards=["flood"])
    login(client, world, "coordinator")
    response = client.post(f"/practices/{practice.pk}/edit/", {"title_th": "ชื่อใหม่"})
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.title_th == "ชื่อใหม่" and practice.status == "submitted"
    assert practice.published_at is None
    client.logout()
    assert client.get(f"/practices/{practice.pk}/").status_code == 404


def test_national_coordinator_edits_a_published_practice_in_place(client, world):
    practice = make_practice(world.city)
    login(client, world, "national")
    client.post(f"/practices/{practice.pk}/edit/", {"title_th": "แก้คำผิด"})
    practice.refresh_from_db()
    assert practice.status == "published" and practice.title_th == "แก้คำผิด"


def test_drafts_are_the_citys_and_the_national_coordinators(client, world):
    draft = make_practice(world.city, status="draft")
    for name, status in [("coordinator", 200), ("member", 200), ("national", 200),
                         ("outsider", 404), ("stranger", 404), ("proponent", 404)]:
        login(client, world, name)
        assert client.get(f"/practices/{draft.pk}/").status_code == status, name
    client.logout()
    assert client.get(f"/practices/{draft.pk}/").status_code == 404
    # A member reads but may not edit.
    login(client, world, "member")
    assert client.get(f"/practices/{draft.pk}/edit/").status_code == 403


def test_another_citys_editor_cannot_write_for_this_city(client, world):
    login(client, world, "outsider")
    response = client.post(f"/c/{world.city.slug}/practices/new/", {"title_th": "ของคนอื่น"})
    assert response.status_code == 403 and not Practice.objects.exists()


def test_pilot_choice_is_limited_to_the_citys_pilots(client, world):
    from apps.practices.forms import PracticeForm

    form = PracticeForm({"title_th": "ก"}, city=world.city)
    assert list(form.fields["pilot"].queryset) == []  # the world has no pilots
    with translation.override("en"):
        form = PracticeForm({"title_th": "ก", "pilot": 999}, city=world.city)
        assert not form.is_valid() and "pilot" in form.errors


def test_transitions_refuse_the_wrong_state(world):
    practice = make_practice(world.city, status="draft")
    with pytest.raises(ValidationError):
        practice.publish(world.user("national"))
    practice.submit(world.user("coordinator"))
    with pytest.raises(ValidationError):
        practice.submit(world.user("coordinator"))
    practice.publish(world.user("national"))
    practice.unpublish(world.user("national"))
    assert practice.status == "submitted" and practice.published_at is None
    assert PracticeChange.objects.filter(practice=practice).count() == 3


def test_title_in_thai_is_required_by_the_database(world):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Practice.objects.create(city=world.city, title_th="")


PNG_1PX = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00"
           b"\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00"
           b"\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


def test_photo_is_reencoded_and_files_are_checked_from_content(client, world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    practice = make_practice(world.city, status="draft")
    login(client, world, "coordinator")
    client.post(f"/practices/{practice.pk}/photos/add/", {
        "caption": "เสาวัดระดับน้ำ", "image": SimpleUploadedFile("x.png", PNG_1PX)})
    photo = practice.photos.get()
    assert photo.image.name.endswith(".jpg") and photo.caption == "เสาวัดระดับน้ำ"
    assert client.get(f"/practices/{practice.pk}/photos/{photo.pk}/").status_code == 200
    # A script named .jpg is no photo.
    client.post(f"/practices/{practice.pk}/photos/add/",
                {"image": SimpleUploadedFile("evil.jpg", b"<script>alert(1)</script>")})
    assert practice.photos.count() == 1
    # A PDF is accepted as a document, a PNG renamed .pdf is not.
    client.post(f"/practices/{practice.pk}/files/add/", {
        "title": "รายงาน", "file": SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n")})
    client.post(f"/practices/{practice.pk}/files/add/", {
        "title": "ปลอม", "file": SimpleUploadedFile("fake.pdf", PNG_1PX)})
    assert list(practice.files.values_list("title", "file_type")) == [("รายงาน", "pdf")]
    item = practice.files.get()
    client.logout()
    assert client.get(f"/practices/{practice.pk}/files/{item.pk}/").status_code == 404
    login(client, world, "coordinator")
    client.post(f"/practices/{practice.pk}/files/{item.pk}/remove/")
    client.post(f"/practices/{practice.pk}/photos/{photo.pk}/remove/")
    assert not practice.files.exists() and not practice.photos.exists()
