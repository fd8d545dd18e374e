"""Personal data: who sees contacts, export on request, erasure that keeps the statistics."""
import datetime as dt
import json

import pytest
from django.utils import translation
from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.accounts.models import ApiToken, RoleAssignment
from apps.events.models import AgendaItem, Event, Invitation, Registration
from apps.people import privacy
from apps.people.models import Membership, Person, PersonErasure
from apps.progress.models import CityActivity

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(world):
    """The working-group member: a Person with a login, an email and a phone."""
    person = Person.objects.get(user=world.user("member"))
    person.email, person.phone, person.position = "member@example.org", "081-234-5678", "Engineer"
    person.save()
    return person


def make_event(world, starts_at, title="Workshop"):
    activity = CityActivity.objects.get(city=world.city, plan_activity__number=1)
    event = Event(city_activity=activity, title_th=title, title_en=title, starts_at=starts_at,
                  ends_at=starts_at + dt.timedelta(hours=6), capacity=50)
    event.create(None)
    return event


@pytest.fixture
def attended(world, person):
    """A held event with four people checked in (2 female, 1 male, 1 undisclosed)."""
    event = make_event(world, timezone.now() - dt.timedelta(days=3))
    others = [Person.objects.create(full_name_th=f"คน {g}", city=world.city, gender=g)
              for g in ("female", "male", "undisclosed")]
    for position, who in enumerate([person, *others], start=1):
        Registration.objects.create(event=event, person=who, status="confirmed",
                                    position=position, checked_in_at=event.starts_at)
    Invitation.objects.create(event=event, person=person, token_hash="x" * 64)
    AgendaItem.objects.create(event=event, time=dt.time(9), title_th="เปิดงาน",
                              speaker=person, speaker_name="Member Test")
    return event


# -- contacts --------------------------------------------------------------------------------
@pytest.mark.parametrize("persona,shown", [
    ("coordinator", True), ("national", True), ("expert", False),
])
def test_people_page_contacts_only_for_editors(client, world, person, persona, shown):
    client.force_login(world.user(persona))
    page = client.get("/c/a1/people/").content.decode()
    assert ("member@example.org" in page) is shown
    assert ("081-234-5678" in page) is shown


def test_members_see_names_not_contacts_on_the_pages(client, world, person):
    other = Person.objects.create(full_name_th="คนอื่น", city=world.city, email="o@example.org")
    Membership.objects.create(group=world.city.working_group, person=other,
                              start=dt.date(2009, 12, 1))
    client.force_login(world.user("expert"))
    for url in ("/c/a1/people/", "/c/a1/working-group/"):
        page = client.get(url).content.decode()
        assert "คนอื่น" in page
        assert "o@example.org" not in page and "member@example.org" not in page


def test_coordinator_sees_contacts_on_the_group_page(client, world, person):
    client.force_login(world.user("coordinator"))
    assert "member@example.org" in client.get("/c/a1/working-group/").content.decode()


@pytest.mark.parametrize("persona,shown", [
    ("coordinator", True), ("national", True), ("member", True),  # the member is this person
    ("expert", False),
])
def test_api_people_contacts(client, world, person, persona, shown):
    Person.objects.create(full_name_th="คนอื่น", city=world.city, email="o@example.org",
                          phone="02-111")
    client.force_login(world.user(persona))
    items = {p["full_name_th"]: p for p in client.get("/api/people").json()["items"]}
    own = items["สมาชิก ทดสอบ"]["email"] == "member@example.org"
    assert own is shown
    other = items["คนอื่น"]
    if persona in ("coordinator", "national"):
        assert (other["email"], other["phone"]) == ("o@example.org", "02-111")
    else:  # a member sees their own contacts only; an expert none
        assert (other["email"], other["phone"]) == (None, None)


def test_api_group_members_hide_contacts_from_the_team(client, world, person):
    other = Person.objects.create(full_name_th="คนอื่น", city=world.city, email="o@example.org")
    Membership.objects.create(group=world.city.working_group, person=other,
                              start=dt.date(2009, 12, 1))
    client.force_login(world.user("expert"))
    body = client.get("/api/working-groups/a1").json()
    assert body["access"] == "team"
    assert {m["email"] for m in body["members"]} == {None}
    client.force_login(world.user("coordinator"))
    body = client.get("/api/working-groups/a1").json()
    assert {m["email"] for m in body["members"]} == {"member@example.org", "o@example.org"}


# -- export ----------------------------------------------------------------------------------
def test_export_holds_everything(client, world, person, attended):
    ApiToken.issue(world.user("member"), "laptop")
    client.force_login(world.user("coordinator"))
    response = client.get(f"/people/{person.pk}/data/export.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["person"]["email"] == "member@example.org"
    assert data["person"]["phone"] == "081-234-5678"
    assert data["person"]["gender"] == "female"
    assert [m["start"] for m in data["memberships"]] == ["2009-12-01"]
    [registration] = data["event_registrations"]
    assert registration["event"] == attended.pk and registration["checked_in_at"]
    assert [i["event"] for i in data["event_invitations"]] == [attended.pk]
    assert [a["speaker_name"] for a in data["agenda_items"]] == ["Member Test"]
    account = data["account"]
    assert account["username"] == "member" and account["email"] == "member@example.org"
    assert account["role_assignments"] == [
        {"role": "working_group_member", "network": None, "city": "a1"}]
    assert [t["name"] for t in account["api_tokens"]] == ["laptop"]
    assert "x" * 64 not in response.content.decode()  # no invitation token hash


def test_the_person_exports_their_own_data(client, world, person):
    client.force_login(world.user("member"))
    assert client.get(f"/people/{person.pk}/data/").status_code == 200
    data = client.get(f"/people/{person.pk}/data/export.json").json()
    assert data["person"]["id"] == person.pk


def test_export_refusals(client, world, person):
    other = Person.objects.create(full_name_th="คนอื่น", city=world.city)
    url = f"/people/{other.pk}/data/export.json"
    client.force_login(world.user("member"))  # same city, not their data
    assert client.get(url).status_code == 403
    client.force_login(world.user("outsider"))  # another city's coordinator
    assert client.get(url).status_code == 404
    client.force_login(world.user("stranger"))  # another network's national coordinator
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_export_lists_records_the_sections_do_not_name(world, person):
    """A model pointing at a person or account is never silently left out."""
    event = make_event(world, timezone.now() + dt.timedelta(days=5))
    Event.objects.filter(pk=event.pk).update(created_by=world.user("member"))
    data = privacy.export(person)
    assert isinstance(data["other_records"], dict)
    assert isinstance(data["account"]["other_records"], dict)
    assert "people.Membership.person" not in data["other_records"]  # exported in its section
    assert data["account"]["other_records"]["events.Event.created_by"] == [event.pk]


# -- erasure ---------------------------------------------------------------------------------
def gender_counts(event):
    return {row["value"]: row["count"]
            for row in Registration.objects.filter(event=event).attendance_stats()["gender"]}


def test_erasure_keeps_the_statistics(client, world, person, attended):
    before = gender_counts(attended)
    memberships = list(Membership.objects.filter(person=person).values_list("start", "end"))
    client.force_login(world.user("coordinator"))
    response = client.post(f"/people/{person.pk}/erase/",
                           {"reason": "Request by email, 2 May", "confirm": "on"})
    assert response.status_code == 302
    assert gender_counts(attended) == before == {"female": 2, "male": 1, "undisclosed": 1}
    assert list(Membership.objects.filter(person=person).values_list("start", "end")) == memberships
    assert Registration.objects.get(person=person).checked_in_at is not None

    person.refresh_from_db()
    assert person.full_name_th == f"ผู้ถูกลบข้อมูล #{person.pk}"
    assert person.full_name_en == f"Erased person #{person.pk}"
    assert (person.email, person.phone, person.position) == ("", "", "")
    assert person.gender == "female" and person.city == world.city
    assert AgendaItem.objects.get(event=attended).speaker_name == ""

    user = get_user_model().objects.get(pk=world.user("member").pk)
    assert not user.is_active and not user.has_usable_password()
    assert (user.username, user.email, user.first_name) == (f"erased-{user.pk}", "", "")
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert not ApiToken.objects.filter(user=user).exists()

    erasure = PersonErasure.objects.get(person=person)
    assert erasure.by == world.user("coordinator")
    assert erasure.reason == "Request by email, 2 May"


def test_erasure_clears_the_declared_vulnerable_group(world, person):
    """Disability, ethnicity or income declared at registration is sensitive data: erasure
    clears it, while the registration and its gender count stay."""
    event = make_event(world, timezone.now() + dt.timedelta(days=10))
    registration = event.register(person, vulnerable_group="disability")
    privacy.erase(person, by=world.user("coordinator"), reason="Asked in person")
    registration.refresh_from_db()
    assert registration.vulnerable_group == ""
    assert registration.person.gender == "female"


def test_erasure_gives_up_places_in_events_to_come(world, person):
    event = make_event(world, timezone.now() + dt.timedelta(days=10))
    registration = event.register(person)
    privacy.erase(person, by=world.user("coordinator"), reason="Asked in person")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_erased_person_is_shown_as_erased_and_cannot_be_erased_twice(client, world, person):
    client.force_login(world.user("national"))
    url = f"/people/{person.pk}/erase/"
    client.post(url, {"reason": "Request", "confirm": "on"})
    page = client.get("/c/a1/people/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Erased person #{person.pk}" in page and "Erased</span>" in page
    response = client.post(url, {"reason": "Again", "confirm": "on"})
    assert response.status_code == 302
    assert PersonErasure.objects.filter(person=person).count() == 1
    with translation.override("en"), pytest.raises(Exception, match="already been erased"):
        privacy.erase(person, by=world.user("national"), reason="Again")
    # Editing would put personal data back.
    client.post(f"/people/{person.pk}/edit/", {"full_name_th": "กลับมา", "gender": "male"})
    person.refresh_from_db()
    assert person.full_name_th.startswith("ผู้ถูกลบข้อมูล")


def test_erasure_needs_confirmation_and_a_reason(client, world, person):
    client.force_login(world.user("coordinator"))
    url = f"/people/{person.pk}/erase/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "Request"}).status_code == 200  # not confirmed
    assert client.post(url, {"confirm": "on"}).status_code == 200  # no reason
    assert not PersonErasure.objects.exists()
    person.refresh_from_db()
    assert person.email == "member@example.org"


@pytest.mark.parametrize("persona,status", [
    ("member", 403), ("expert", 403), ("outsider", 404), ("stranger", 404), ("funder", 404),
])
def test_erasure_refusals(client, world, person, persona, status):
    client.force_login(world.user(persona))
    response = client.post(f"/people/{person.pk}/erase/", {"reason": "x", "confirm": "on"})
    assert response.status_code == status
    assert not PersonErasure.objects.exists()
    person.refresh_from_db()
    assert person.email == "member@example.org"


def test_erasure_is_atomic(world, person, monkeypatch):
    def fail(user):
        raise RuntimeError("injected")

    monkeypatch.setattr("apps.accounts.twofactor.turn_off", fail)
    with pytest.raises(RuntimeError):
        privacy.erase(person, by=world.user("coordinator"), reason="Request")
    person.refresh_from_db()
    assert person.full_name_en == "Member Test" and person.email == "member@example.org"
    assert get_user_model().objects.get(pk=world.user("member").pk).is_active
    assert not PersonErasure.objects.exists()
