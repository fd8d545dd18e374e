"""Emails: in each person's language, with a calendar entry, and only after the commit."""
import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar

from apps.core.testing import make_city
from apps.events import services
from apps.events.models import Invitation, Registration
from apps.events.tests.conftest import at, make_event, make_people

pytestmark = pytest.mark.django_db


def calendar_of(message):
    """The parsed .ics attached to an email, or None."""
    for part in message.attachments:
        if getattr(part, "get_content_type", lambda: "")() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True))
    return None


def entry(message):
    return calendar_of(message).walk("VEVENT")[0]


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


@pytest.fixture
def abroad(world):
    """A partner city outside Thailand: its people are written to in English."""
    return make_city(world.network, "da-nang", participation="partner", country="VN")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what would run at commit (the test's own transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_invitations_go_out_in_each_persons_language_with_a_calendar_entry(
        world, event, abroad, commit, client):
    thai = make_people(world.city, 1)[0]
    foreign = make_people(abroad, 1, prefix="Nguyen")[0]
    with commit():
        result = services.invite(event, [thai, foreign], by=world.user("coordinator"))
    assert len(result.invited) == 2 and len(mail.outbox) == 2
    th, en = to(thai.email)[0], to(foreign.email)[0]
    assert "งานเปิดตัวโครงการ" in th.subject and "Project launch" not in th.subject
    assert en.subject == "Invitation: Project launch"
    assert "Dear Participant 0," in en.body and "Project launch" in en.body
    assert Invitation.objects.get(person=foreign).language == "en"
    assert Invitation.objects.get(person=thai).language == "th"
    for message, summary in ((th, "งานเปิดตัวโครงการ"), (en, "Project launch")):
        calendar = calendar_of(message)
        assert calendar["METHOD"] == "REQUEST"
        vevent = calendar.walk("VEVENT")[0]
        assert str(vevent["SUMMARY"]) == summary
        assert str(vevent["UID"]) == event.ical_uid
        assert vevent["SEQUENCE"] == 0
        assert vevent.decoded("DTSTART") == event.starts_at
        assert vevent.decoded("DTEND") == event.ends_at
    # The personal link works; the database holds only its hash.
    link = next(line for line in en.body.splitlines() if "/events/invitations/" in line)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    invitation = Invitation.objects.get(person=foreign)
    assert invitation.token_hash == Invitation.hash(token) and token not in invitation.token_hash
    assert client.get(link.split("8000", 1)[-1]).status_code == 200


def test_inviting_again_writes_only_to_new_people_unless_asked(world, event, commit):
    first, second = make_people(world.city, 2)
    with commit():
        services.invite(event, [first])
        result = services.invite(event, [first, second])
    assert [i.person for i in result.invited] == [second]
    assert len(result.unchanged) == 1 and len(mail.outbox) == 2
    old_hash = Invitation.objects.get(person=first).token_hash
    with commit():
        again = services.invite(event, [first], resend=True)
    assert len(again.resent) == 1 and len(mail.outbox) == 3
    assert Invitation.objects.get(person=first).token_hash != old_hash  # old link retired


def test_whole_groups_are_invited_once_each(world, event, commit):
    from apps.people.models import Membership

    members = make_people(world.city, 3, prefix="สมาชิก")
    for person in members:
        Membership.objects.create(group=world.city.working_group, person=person,
                                  start=dt.date(2009, 12, 1))
    left = make_people(world.city, 1, prefix="ลาออก")[0]
    Membership.objects.create(group=world.city.working_group, person=left,
                              start=dt.date(2009, 12, 1), end=dt.date(2010, 1, 1))
    people = services.working_group_people([world.city])
    assert set(people) == {*members, world.city.working_group.memberships.first().person}
    with commit():
        result = services.invite(event, people | services.organisation_people(world.organisation))
    assert len(result.invited) == 4  # the members and the member persona; nobody twice
    assert len(result.without_email) == 1  # the persona has no address: no email for them
    assert len(mail.outbox) == 3


def test_a_registration_confirms_by_email_and_a_waitlisted_one_says_where_it_stands(
        world, launch_activity, commit):
    event = make_event(launch_activity, capacity=1)
    seated, waiting = make_people(world.city, 2)
    with commit():
        event.register(seated)
        event.register(waiting)
    confirmed, waitlisted = to(seated.email)[0], to(waiting.email)[0]
    assert calendar_of(confirmed)["METHOD"] == "REQUEST"
    assert calendar_of(waitlisted) is None
    # Thai invitees read Thai: "... in the waitlist at number 1".
    assert "รายชื่อสำรองลำดับที่ 1" in waitlisted.body


def test_no_email_for_a_registration_that_was_rolled_back(world, event, commit):
    person = make_people(world.city, 1)[0]
    with commit() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            event.register(person)
            raise RuntimeError("the surrounding work failed")
    assert callbacks == [] and mail.outbox == []
    assert not Registration.objects.filter(person=person).exists()


def test_nothing_is_sent_before_the_commit(world, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event.register(make_people(world.city, 1)[0])
    assert len(callbacks) == 1 and mail.outbox == []


def test_cancelling_a_place_removes_it_from_the_calendar_and_promotes(world, launch_activity,
                                                                      commit):
    event = make_event(launch_activity, capacity=1)
    seated, waiting = make_people(world.city, 2)
    first = event.register(seated)
    event.register(waiting)
    with commit():
        first.cancel(by=world.user("coordinator"))
    assert calendar_of(to(seated.email)[0])["METHOD"] == "CANCEL"
    promoted = to(waiting.email)[0]
    assert promoted.subject.startswith("มีที่นั่งว่างสำหรับคุณแล้ว")  # "A place is yours"
    assert calendar_of(promoted)["METHOD"] == "REQUEST"


def test_a_moved_event_tells_everyone_registered_and_invited(world, launch_activity, commit):
    event = make_event(launch_activity, capacity=1)
    seated, waiting, invited, declined = make_people(world.city, 4)
    event.register(seated)
    event.register(waiting)
    services.invite(event, [invited, declined])
    Invitation.objects.get(person=declined).decline()
    mail.outbox.clear()
    with commit():
        event.move(world.user("coordinator"), at(12), at(12, 15), place_th="ห้องประชุมใหม่")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [seated.email, waiting.email, invited.email])
    update = entry(to(seated.email)[0])
    assert update["SEQUENCE"] == 1 and str(update["UID"]) == event.ical_uid
    assert update.decoded("DTSTART") == at(12)
    assert str(update["LOCATION"]) == "ห้องประชุมใหม่"
    assert calendar_of(to(waiting.email)[0]) is None  # no calendar entry for the waitlist
    assert calendar_of(to(invited.email)[0])["METHOD"] == "REQUEST"
    assert event.changes.filter(action="move").exists()


def test_a_cancelled_event_sends_a_cancel_to_everyone_registered(world, launch_activity, commit):
    event = make_event(launch_activity, capacity=1)
    seated, waiting = make_people(world.city, 2)
    event.register(seated)
    event.register(waiting)
    with commit():
        event.cancel(world.user("coordinator"), "น้ำท่วมใหญ่")
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        calendar = calendar_of(message)
        assert calendar["METHOD"] == "CANCEL"
        assert str(calendar.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
        assert "น้ำท่วมใหญ่" in message.body


def test_reminders_go_once_to_people_with_a_place_soon(world, launch_activity, commit):
    soon = make_event(launch_activity, capacity=1, starts_at=timezone.now() + dt.timedelta(
        hours=20), ends_at=timezone.now() + dt.timedelta(hours=26))
    later = make_event(launch_activity, starts_at=at(5), ends_at=at(5, 12))
    seated, waiting, far_off = make_people(world.city, 3)
    soon.register(seated)
    soon.register(waiting)
    later.register(far_off)
    with commit():
        call_command("send_event_reminders", "--hours", "48", stdout=open("/dev/null", "w"))
    assert [m.to for m in mail.outbox] == [[seated.email]]
    assert mail.outbox[0].subject.startswith("แจ้งเตือน")  # "Reminder", in Thai
    with commit():
        assert services.send_reminders(hours=48) == 0  # never twice
    assert len(mail.outbox) == 1
    # Moved: a reminder for the new date goes out.
    soon.move(world.user("coordinator"), soon.starts_at + dt.timedelta(hours=2),
              soon.ends_at + dt.timedelta(hours=2))
    mail.outbox.clear()
    with commit():
        assert services.send_reminders(hours=48) == 1


def test_a_mail_server_failure_is_logged_not_raised(world, event, commit, monkeypatch):
    from apps.events import mail as event_mail

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    logged = []
    monkeypatch.setattr(event_mail, "get_connection", broken)
    monkeypatch.setattr(event_mail.logger, "exception", lambda *args: logged.append(args))
    with commit():
        registration = event.register(make_people(world.city, 1)[0])
    assert registration.pk and logged and "Could not send" in logged[0][0]
