"""The self-declared vulnerable group of a participant: given at registration (by the
coordinator or the person themself) or at the door, counted in the attendance statistics, and
shown only to the event's own team."""
import pytest
from django.core.exceptions import ValidationError

from apps.events.models import Registration
from apps.events.tests.conftest import make_event, make_people
from apps.events.tests.test_pages import login, running
from apps.people.models import Person

pytestmark = pytest.mark.django_db
HEADER = "Vulnerable group (self-declared)"


def test_the_coordinator_records_it_when_registering_someone(client, world, event):
    person, = make_people(world.city, 1)
    login(client, "coordinator")
    response = client.post(f"/events/{event.pk}/register/",
                           {"person": person.pk, "vulnerable_group": "disability"})
    assert response.status_code == 302
    assert Registration.objects.get(person=person).vulnerable_group == "disability"
    other, = make_people(world.city, 1, prefix="ไม่ระบุ")
    client.post(f"/events/{event.pk}/register/", {"person": other.pk})  # optional
    assert Registration.objects.get(person=other).vulnerable_group == ""
    stranger, = make_people(world.city, 1, prefix="ผิด")
    response = client.post(f"/events/{event.pk}/register/",
                           {"person": stranger.pk, "vulnerable_group": "royalty"})
    assert response.status_code == 200
    assert not Registration.objects.filter(person=stranger).exists()


def test_a_person_declares_it_when_registering_themself(client, world, event):
    login(client, "member")
    page = client.get(f"/events/{event.pk}/register/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert HEADER in page.content.decode()
    client.post(f"/events/{event.pk}/register/me/", {"vulnerable_group": "older"})
    member = Person.objects.get(user=world.user("member"))
    assert Registration.objects.get(person=member).vulnerable_group == "older"


def test_declared_at_the_door_and_changed_after_check_in(client, world, launch_activity):
    event = running(launch_activity)
    person, = make_people(world.city, 1)
    registration = event.register(person)
    login(client, "coordinator")
    url = f"/events/{event.pk}/check-in/{registration.pk}/"
    page = client.get(f"/events/{event.pk}/check-in/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'name="vulnerable_group"' in page.content.decode()
    client.post(url, {"vulnerable_group": "migrant"})  # the tick, with the declaration
    registration.refresh_from_db()
    assert registration.checked_in_at and registration.vulnerable_group == "migrant"
    client.post(url, {"vulnerable_group": "", "declare": "1"})  # withdrawn: saved, still in
    registration.refresh_from_db()
    assert registration.checked_in_at and registration.vulnerable_group == ""
    client.post(url, {"vulnerable_group": "nonsense", "declare": "1"})
    registration.refresh_from_db()
    assert registration.vulnerable_group == ""
    with pytest.raises(ValidationError):
        registration.declare("nonsense")
    login(client, "member")  # reads the city, edits nothing
    assert client.post(url, {"vulnerable_group": "older", "declare": "1"}).status_code == 403
    assert Registration.objects.get(pk=registration.pk).vulnerable_group == ""


def test_statistics_count_it_and_only_the_team_sees_it(client, world, launch_activity):
    event = running(launch_activity, published=True)
    people = make_people(world.city, 3)
    for person, group in zip(people, ["disability", "disability", ""]):
        event.register(person, vulnerable_group=group).check_in()
    stats = event.attendance_stats()
    assert {row["value"]: row["count"] for row in stats["vulnerable_group"]} == {
        "disability": 2, "": 1}
    label = "Person with a disability"
    login(client, "member")  # the city's team: the column and the statistics
    html = client.get(f"/events/{event.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert HEADER in html and label in html
    client.logout()  # the published event's page to the public: neither
    html = client.get(f"/events/{event.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert HEADER not in html and "Person with a disability" not in html
    login(client, "outsider")  # another city of the network
    html = client.get(f"/events/{event.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Person with a disability" not in html


def test_the_api_gives_it_with_the_registration_and_in_the_attendance(client, world,
                                                                      launch_activity):
    event = running(launch_activity, published=True)
    person, = make_people(world.city, 1)
    event.register(person, vulnerable_group="low_income").check_in()
    login(client, "coordinator")
    rows = client.get(f"/api/registrations?event={event.pk}").json()["items"]
    assert [r["vulnerable_group"] for r in rows] == ["low_income"]
    attendance = client.get(f"/api/events/{event.pk}").json()["attendance"]
    assert attendance["by_vulnerable_group"][0]["value"] == "low_income"
    client.logout()
    assert client.get(f"/api/events/{event.pk}").json()["attendance"] is None
    assert client.get(f"/api/registrations?event={event.pk}").json()["items"] == []


def test_the_personal_data_export_includes_it(world, launch_activity):
    from apps.people.privacy import export

    event = make_event(launch_activity)
    person, = make_people(world.city, 1)
    event.register(person, vulnerable_group="minority")
    assert [r["vulnerable_group"] for r in export(person)["event_registrations"]] == ["minority"]
