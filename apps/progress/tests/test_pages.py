"""The activity page as a city coordinator uses it, in Thai and English."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.testing import PASSWORD
from apps.progress.models import CityActivity, Evidence, Status

pytestmark = pytest.mark.django_db
URL = "/c/a1/activities/1/"


@pytest.fixture
def coordinator(client, world):
    client.login(username="coordinator", password=PASSWORD)
    return client


def first(world):
    return CityActivity.objects.get(city=world.city, plan_activity__number=1)


def test_marking_done_with_buddhist_era_dates_in_thai(coordinator, world):
    response = coordinator.post(URL + "status/", {
        "action": "complete", "started": "01/12/2552", "on": "20/12/2552"},
        HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 302
    activity = first(world)
    assert activity.status == Status.DONE
    assert (activity.actual_start, activity.actual_end) == (dt.date(2009, 12, 1), dt.date(2009, 12, 20))
    page = coordinator.get(URL, HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert "20 ธันวาคม 2552" in page


def test_a_buddhist_year_in_english_mode_is_refused_with_a_message(coordinator, world):
    coordinator.cookies["django_language"] = "en"
    response = coordinator.post(URL + "status/", {"action": "complete", "on": "20/12/2552"})
    assert response.status_code == 200
    assert "looks like a Buddhist Era year" in response.content.decode()
    assert first(world).status == Status.NOT_STARTED


def test_end_before_start_is_refused_and_nothing_saved(coordinator, world):
    response = coordinator.post(URL + "status/", {
        "action": "complete", "started": "20/12/2552", "on": "01/12/2552"})
    assert response.status_code == 200
    assert first(world).status == Status.NOT_STARTED
    assert first(world).changes.count() == 0


def test_skip_needs_a_reason(coordinator, world):
    response = coordinator.post(URL + "status/", {"action": "skip", "reason": ""})
    assert response.status_code == 200
    assert first(world).status == Status.NOT_STARTED
    coordinator.post(URL + "status/", {"action": "skip", "reason": "รวมกับงานเปิดตัว"})
    assert first(world).status == Status.SKIPPED


def test_reschedule_refuses_end_before_start(coordinator, world):
    response = coordinator.post(URL + "schedule/", {
        "planned_start": "10/01/2553", "planned_end": "01/01/2553"})
    assert response.status_code == 200
    assert first(world).planned_start == dt.date(2009, 12, 1)
    coordinator.post(URL + "schedule/", {"planned_start": "10/01/2553", "planned_end": "20/01/2553"})
    assert first(world).planned_start == dt.date(2010, 1, 10)


def test_evidence_note_link_and_file(coordinator, world):
    coordinator.post(URL + "evidence/", {"kind": "note", "title": "รายงานการประชุม", "text": "มีผู้เข้าร่วม 14 คน"})
    coordinator.post(URL + "evidence/", {"kind": "link", "title": "ข่าว", "url": "example.org/news"})
    coordinator.post(URL + "evidence/", {"kind": "file", "title": "ภาพถ่าย",
                                         "file": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 test")})
    items = {e.kind: e for e in Evidence.objects.filter(city_activity=first(world))}
    assert set(items) == {"note", "link", "file"}
    assert items["link"].url == "https://example.org/news"
    download = coordinator.get(f"{URL}evidence/{items['file'].pk}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"


def test_evidence_of_a_wrong_type_is_refused(coordinator, world):
    response = coordinator.post(URL + "evidence/", {
        "kind": "file", "title": "script", "file": SimpleUploadedFile("run.exe", b"MZ")})
    assert response.status_code == 200
    assert not Evidence.objects.exists()


def test_page_shows_blocked_by_and_late(coordinator, world):
    page = coordinator.get("/c/a1/activities/2/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    # Activity 2 needs activity 1; its window (January 2010) passed long ago.
    assert page.context["blocked_by"][0].number == 1
    assert page.context["late"] is True


def test_member_reads_but_cannot_change(client, world):
    client.login(username="member", password=PASSWORD)
    assert client.get(URL).status_code == 200
    assert client.post(URL + "status/", {"action": "start"}).status_code == 403
    assert first(world).status == Status.NOT_STARTED


def test_other_city_gets_404_for_unpublished_and_403_for_published(client, world):
    client.login(username="outsider", password=PASSWORD)
    assert client.get(URL).status_code == 404
    assert client.post(URL + "status/", {"action": "start"}).status_code == 404
    first(world).set_published(world.user("coordinator"), True)
    assert client.get(URL).status_code == 200
    assert client.post(URL + "status/", {"action": "start"}).status_code == 403
    assert first(world).status == Status.NOT_STARTED


def test_anonymous_sees_published_without_history(client, world):
    assert client.get(URL).status_code == 404
    activity = first(world)
    activity.set_published(world.user("coordinator"), True)
    response = client.get(URL)
    assert response.status_code == 200 and response.context["history"] is None


def test_a_published_page_does_not_reveal_unpublished_prerequisites(client, world):
    second = CityActivity.objects.get(city=world.city, plan_activity__number=2)
    second.set_published(world.user("coordinator"), True)
    response = client.get("/c/a1/activities/2/")
    assert response.status_code == 200
    assert response.context["prerequisites"] == [] and response.context["blocked_by"] == []


def test_a_finished_activity_cannot_be_skipped(world):
    done = first(world)
    done.complete(world.user("coordinator"), on=dt.date(2009, 12, 20))
    from django.core.exceptions import ValidationError
    with pytest.raises(ValidationError):
        done.skip(world.user("coordinator"), "changed our minds")


def test_recording_who_carried_it_out(coordinator, world):
    from apps.people.models import Organisation

    national = Organisation.objects.create(name_th="สถาบันสิ่งแวดล้อมไทย", kind="ngo")
    elsewhere = Organisation.objects.create(name_th="เทศบาลอื่น", kind="government",
                                            city=world.other_city)
    response = coordinator.post(URL + "performers/", {
        "organisations": [world.organisation.pk, national.pk]})
    assert response.status_code == 302
    activity = first(world)
    assert set(activity.organisations.all()) == {world.organisation, national}
    assert activity.changes.filter(action="performers").exists()
    coordinator.post(URL + "performers/", {"organisations": [elsewhere.pk]})
    assert set(first(world).organisations.all()) == {world.organisation, national}


def test_sld_activities_link_to_their_dialogue_record(coordinator, world):
    from apps.plans.models import PlanActivity

    PlanActivity.objects.filter(plan=world.plan, number__in=[2, 4]).update(kind="sld")
    page = coordinator.get("/c/a1/activities/4/")
    assert page.context["sld_number"] == 2
    assert 'href="/c/a1/sld/2/"' in page.content.decode()
    assert coordinator.get(URL).context["sld_number"] is None
