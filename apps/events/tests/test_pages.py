"""The event pages as coordinators, members and visitors use them, in Thai and English."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from apps.core.testing import PASSWORD
from apps.events.models import Event, Invitation, Material, Registration
from apps.events.tests.conftest import at, make_event, make_people
from apps.people.models import Person
from apps.progress.models import Evidence

pytestmark = pytest.mark.django_db
NEW = "/c/a1/activities/2/events/new/"


def login(client, name):
    assert client.login(username=name, password=PASSWORD)
    return client


def running(activity, **values):
    """An event that started an hour ago: check-in is open."""
    return make_event(activity, starts_at=timezone.now() - dt.timedelta(hours=1),
                      ends_at=timezone.now() + dt.timedelta(hours=6), **values)


# -- lists and visibility ---------------------------------------------------------------------
def test_lists_show_published_events_to_everyone_and_unpublished_to_the_team(
        client, world, launch_activity):
    public = make_event(launch_activity, title_th="งานสาธารณะ", published=True)
    private = make_event(launch_activity, title_th="งานภายใน")
    page = client.get("/c/a1/events/").content.decode()
    assert public.title_th in page and private.title_th not in page
    assert client.get(f"/events/{private.pk}/").status_code == 404
    login(client, "member")
    assert private.title_th in client.get("/c/a1/events/").content.decode()
    assert private.title_th in client.get("/n/net-a/events/").content.decode()


def test_network_events_belong_to_the_national_coordinator(client, world):
    event = make_event(network=world.network, title_th="ประชุมเชิงปฏิบัติการ 10 เมือง")
    url = f"/events/{event.pk}/"
    login(client, "coordinator")
    assert client.get(url).status_code == 404  # unpublished: only the national coordinator
    login(client, "national")
    assert client.get(url).status_code == 200
    assert client.get(url + "check-in/").status_code == 200
    login(client, "stranger")
    assert client.get(url).status_code == 404  # another network's coordinator
    event.set_published(world.user("national"), True)
    login(client, "coordinator")
    assert client.get(url).status_code == 200
    assert client.post(url + "cancel/", {"reason": "x"}).status_code == 403
    assert Event.objects.get(pk=event.pk).status == "scheduled"
    assert event.title_th in client.get("/c/a2/").content.decode()  # on every city's page


def test_participants_are_shown_to_the_team_only(client, world, launch_activity):
    event = make_event(launch_activity, published=True)
    person = make_people(world.city, 1, prefix="คนลงทะเบียน")[0]
    event.register(person)
    assert person.full_name_th not in client.get(f"/events/{event.pk}/").content.decode()
    login(client, "outsider")
    assert person.full_name_th not in client.get(f"/events/{event.pk}/").content.decode()
    assert client.get(f"/events/{event.pk}/sign-in.pdf").status_code == 403
    login(client, "member")
    response = client.get(f"/events/{event.pk}/")
    assert person.full_name_th in response.content.decode()
    assert response.context["stats"]["total"] == 0


# -- creating, editing, moving, cancelling, holding ---------------------------------------------
def test_create_an_event_with_buddhist_era_dates_and_plan_defaults(client, world,
                                                                   launch_activity):
    plan_activity = launch_activity.plan_activity
    plan_activity.participant_cap = 80
    plan_activity.save()
    login(client, "coordinator")
    form = client.get(NEW, HTTP_ACCEPT_LANGUAGE="th")
    assert form.status_code == 200 and 'value="80"' in form.content.decode()
    response = client.post(NEW, {
        "title_th": "งานเปิดตัวโครงการ", "language": "th", "capacity": "80",
        "starts_at_0": "14/01/2553", "starts_at_1": "09:00",
        "ends_at_0": "14/01/2553", "ends_at_1": "16.30",
        "registration_deadline_0": "10/01/2553", "registration_deadline_1": "17:00",
    }, HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 302
    event = Event.objects.get()
    bangkok = dt.timezone(dt.timedelta(hours=7))
    assert event.starts_at == dt.datetime(2010, 1, 14, 9, tzinfo=bangkok)
    assert event.ends_at == dt.datetime(2010, 1, 14, 16, 30, tzinfo=bangkok)
    assert event.registration_deadline == dt.datetime(2010, 1, 10, 17, tzinfo=bangkok)
    assert event.capacity == 80 and event.created_by == world.user("coordinator")
    assert event.changes.get().action == "create"
    page = client.get(f"/events/{event.pk}/", HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert "14 มกราคม 2553" in page


def test_a_buddhist_year_in_english_and_an_end_before_the_start_are_refused(client, world):
    login(client, "coordinator")
    client.cookies["django_language"] = "en"
    response = client.post(NEW, {"title_th": "x", "language": "th",
                                 "starts_at_0": "14/01/2553", "starts_at_1": "09:00",
                                 "ends_at_0": "14/01/2553", "ends_at_1": "16:00"})
    assert response.status_code == 200 and "looks like a Buddhist Era year" in \
        response.content.decode()
    response = client.post(NEW, {"title_th": "x", "language": "th",
                                 "starts_at_0": "14/01/2010", "starts_at_1": "16:00",
                                 "ends_at_0": "14/01/2010", "ends_at_1": "09:00"})
    assert response.status_code == 200 and "must end after it starts" in \
        response.content.decode()
    assert not Event.objects.exists()


def test_national_coordinator_creates_a_network_event_for_a_plan_activity(client, world):
    login(client, "national")
    step = world.plan.activities.get(number=2)
    response = client.post("/n/net-a/events/new/", {
        "title_th": "ประชุม 10 เมือง", "title_en": "Ten-city workshop", "language": "en",
        "plan_activity": step.pk, "cap_per_city": "2",
        "starts_at_0": "09/03/2553", "starts_at_1": "09:00",
        "ends_at_0": "12/03/2553", "ends_at_1": "17:00"})
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.network == world.network and event.plan_activity == step
    login(client, "coordinator")
    assert client.get("/n/net-a/events/new/").status_code == 403


def test_editing_capacity_below_the_places_taken_is_refused(client, world, event):
    for person in make_people(world.city, 3):
        event.register(person)
    login(client, "coordinator")
    client.cookies["django_language"] = "en"
    response = client.post(f"/events/{event.pk}/edit/", {
        "title_th": event.title_th, "language": "th", "capacity": "2"})
    assert response.status_code == 200 and "3 people already have a place" in \
        response.content.decode()
    assert Event.objects.get(pk=event.pk).capacity == 3


def test_moving_and_cancelling_through_the_pages(client, world, event):
    login(client, "coordinator")
    response = client.post(f"/events/{event.pk}/move/", {
        "starts_at_0": "20/01/2553", "starts_at_1": "13:00",
        "ends_at_0": "20/01/2553", "ends_at_1": "16:00", "place_th": "ศาลากลาง"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.sequence == 1 and event.place_th == "ศาลากลาง"
    response = client.post(f"/events/{event.pk}/cancel/", {"reason": ""})
    assert response.status_code == 200 and Event.objects.get(pk=event.pk).status == "scheduled"
    client.post(f"/events/{event.pk}/cancel/", {"reason": "น้ำท่วม"})
    assert Event.objects.get(pk=event.pk).status == "cancelled"


def test_marking_held_records_evidence_on_the_city_activity(client, world, launch_activity):
    event = running(launch_activity, title_th="สัมมนา")
    seated = event.register(make_people(world.city, 1)[0])
    seated.check_in()
    login(client, "coordinator")
    response = client.post(f"/events/{event.pk}/held/", {"minutes": "ที่ประชุมเห็นชอบ"})
    assert response.status_code == 302
    evidence = Evidence.objects.get(city_activity=launch_activity)
    assert evidence.kind == "note" and "สัมมนา" in evidence.title
    assert "ที่ประชุมเห็นชอบ" in evidence.text and "1" in evidence.text
    assert launch_activity.changes.filter(action="evidence").exists()
    assert Event.objects.get(pk=event.pk).status == "held"


def test_a_held_network_event_is_evidence_for_every_attending_city(world):
    step = world.plan.activities.get(number=2)
    event = make_event(network=world.network, plan_activity=step,
                       starts_at=timezone.now() - dt.timedelta(hours=2),
                       ends_at=timezone.now() + dt.timedelta(hours=1))
    for city in (world.city, world.other_city):
        for person in make_people(city, 2):
            event.register(person).check_in()
    event.mark_held(world.user("national"), "")
    attended = set(Evidence.objects.values_list("city_activity__city", flat=True))
    assert attended == {world.city.pk, world.other_city.pk}


def test_an_event_cannot_be_marked_held_before_it_starts(world, event):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        event.mark_held(world.user("coordinator"), "")
    assert not Evidence.objects.exists()


# -- registration through the pages ---------------------------------------------------------------
def test_coordinator_registers_people_and_a_second_time_is_refused(client, world, event):
    person = make_people(world.city, 1)[0]
    login(client, "coordinator")
    client.cookies["django_language"] = "en"
    assert client.post(f"/events/{event.pk}/register/", {"person": person.pk}).status_code == 302
    again = client.post(f"/events/{event.pk}/register/", {"person": person.pk})
    assert again.status_code == 200  # no longer offered: the choice is refused
    assert Registration.objects.filter(person=person).count() == 1


def test_a_member_registers_themself_and_cancels(client, world, event):
    login(client, "member")
    me = Person.objects.get(user=world.user("member"))
    assert client.get(f"/events/{event.pk}/register/me/").status_code == 200
    assert client.post(f"/events/{event.pk}/register/me/").status_code == 302
    registration = Registration.objects.get(person=me)
    assert registration.status == "confirmed" and registration.registered_by == world.user(
        "member")
    other = event.register(make_people(world.city, 1)[0])
    assert client.post(f"/events/registrations/{other.pk}/cancel/").status_code == 403
    assert client.post(f"/events/registrations/{registration.pk}/cancel/").status_code == 302
    assert Registration.objects.get(pk=registration.pk).status == "cancelled"


def test_an_account_without_a_person_cannot_register_itself(client, world, event):
    login(client, "expert")
    response = client.get(f"/events/{event.pk}/register/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert "not linked to a person" in response.content.decode()
    client.post(f"/events/{event.pk}/register/me/")
    assert not Registration.objects.exists()


# -- the day --------------------------------------------------------------------------------------
def test_check_in_page_searches_and_ticks_one_person_per_post(client, world, launch_activity):
    event = running(launch_activity)
    somchai = Person.objects.create(full_name_th="สมชาย ใจดี", full_name_en="Somchai Jaidee",
                                    city=world.city)
    others = make_people(world.city, 3)
    for person in [somchai, *others]:
        event.register(person)
    login(client, "coordinator")
    page = client.get(f"/events/{event.pk}/check-in/?q=สมชาย").content.decode()
    assert "สมชาย ใจดี" in page and others[0].full_name_th not in page
    assert "Somchai" in client.get(f"/events/{event.pk}/check-in/?q=somch",
                                   HTTP_ACCEPT_LANGUAGE="en").context["rows"][0].person.full_name_en
    registration = Registration.objects.get(person=somchai)
    response = client.post(f"/events/{event.pk}/check-in/{registration.pk}/", {"q": "สมชาย"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#r{registration.pk}") and "q=" in response["Location"]
    assert Registration.objects.get(pk=registration.pk).checked_in_at is not None
    client.post(f"/events/{event.pk}/check-in/{registration.pk}/", {"undo": "1"})
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None
    login(client, "member")
    assert client.post(f"/events/{event.pk}/check-in/{registration.pk}/").status_code == 403


def test_check_in_before_the_day_is_refused_with_a_message(client, world, event):
    registration = event.register(make_people(world.city, 1)[0])
    login(client, "coordinator")
    client.cookies["django_language"] = "en"
    response = client.post(f"/events/{event.pk}/check-in/{registration.pk}/", follow=True)
    assert "Check-in opens on the day of the event" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


# -- invitations --------------------------------------------------------------------------------
def test_invite_a_person_and_the_working_group_through_the_page(client, world, event):
    guest = make_people(world.city, 1, prefix="แขก")[0]
    login(client, "coordinator")
    assert client.get(f"/events/{event.pk}/invite/").status_code == 200
    response = client.post(f"/events/{event.pk}/invite/", {"people": [guest.pk],
                                                            "groups": [world.city.pk]})
    assert response.status_code == 302
    invited = set(Invitation.objects.values_list("person__full_name_th", flat=True))
    assert invited == {guest.full_name_th, "สมาชิก ทดสอบ"}
    empty = client.post(f"/events/{event.pk}/invite/", {})
    assert empty.status_code == 200 and Invitation.objects.count() == 2


def test_the_invitation_link_accepts_and_declines(client, world, launch_activity):
    event = make_event(launch_activity, capacity=1)
    event.register(make_people(world.city, 1)[0])  # the one place is taken
    invitation = Invitation(event=event, person=make_people(world.city, 1, prefix="แขก")[0])
    token = invitation.new_token()
    invitation.save()
    url = f"/events/invitations/{token}/"
    page = client.get(url)
    assert page.status_code == 200 and event.title_th in page.content.decode()
    client.post(url, {"action": "accept"})
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.registration.status == "waitlisted"
    client.post(url, {"action": "decline"})
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    assert Registration.objects.get(pk=invitation.registration_id).status == "cancelled"
    assert client.get("/events/invitations/not-a-token/").status_code == 404


def test_the_invitation_page_speaks_the_invitees_language(client, world, event):
    from apps.core.testing import make_city

    abroad = make_city(world.network, "can-tho", country="VN")
    invitation = Invitation(event=event, person=make_people(abroad, 1)[0], language="en")
    token = invitation.new_token()
    invitation.save()
    page = client.get(f"/events/invitations/{token}/", HTTP_ACCEPT_LANGUAGE="th")
    assert "Project launch" in page.content.decode() and "Accept" in page.content.decode()


# -- agenda and materials -----------------------------------------------------------------------
def test_agenda_items_are_added_and_removed(client, world, event):
    login(client, "coordinator")
    client.post(f"/events/{event.pk}/agenda/", {"day": "1", "time": "09.30", "end_time": "10:00",
                                                "title_th": "กล่าวเปิด", "speaker_name": "นายก"})
    item = event.agenda.get()
    assert item.time == dt.time(9, 30)
    assert "กล่าวเปิด" in client.get(f"/events/{event.pk}/").content.decode()
    client.post(f"/events/{event.pk}/agenda/{item.pk}/delete/")
    assert not event.agenda.exists()


@override_settings(EVIDENCE_MAX_BYTES=1024)
def test_materials_follow_the_evidence_file_rules(client, world, event):
    login(client, "coordinator")
    url = f"/events/{event.pk}/materials/"
    client.post(url, {"kind": "file", "title": "โปรแกรม", "file": SimpleUploadedFile(
        "run.exe", b"MZ")})
    client.post(url, {"kind": "photo", "title": "ภาพ", "file": SimpleUploadedFile(
        "notes.pdf", b"%PDF")})
    client.post(url, {"kind": "file", "title": "ใหญ่", "file": SimpleUploadedFile(
        "big.pdf", b"x" * 2048)})
    assert not Material.objects.exists()
    client.post(url, {"kind": "photo", "title": "บรรยากาศ", "file": SimpleUploadedFile(
        "room.png", b"\x89PNG\r\n")})
    client.post(url, {"kind": "minutes", "title": "รายงาน", "url": "example.org/minutes"})
    photo = Material.objects.get(kind="photo")
    assert Material.objects.get(kind="minutes").url == "https://example.org/minutes"
    shown = client.get(f"/events/{event.pk}/materials/{photo.pk}/")
    assert shown.status_code == 200 and "attachment" not in shown.get("Content-Disposition", "")
    client.logout()
    assert client.get(f"/events/{event.pk}/materials/{photo.pk}/").status_code == 404


# -- the city page ------------------------------------------------------------------------------
def test_the_city_page_shows_upcoming_and_recent_events(client, world, launch_activity):
    make_event(launch_activity, title_th="งานที่จะมาถึง", published=True)
    make_event(launch_activity, title_th="งานที่ผ่านมา", starts_at=at(-30), ends_at=at(-30, 12),
               published=True)
    page = client.get("/c/a1/").content.decode()
    assert "งานที่จะมาถึง" in page and "งานที่ผ่านมา" in page
