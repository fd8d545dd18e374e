"""Places, the waitlist and the per-city quota: the rules, each refusal leaving nothing changed."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from apps.core.testing import make_city
from apps.events.models import Event, Registration
from apps.events.tests.conftest import at, make_event, make_people
from apps.people.models import Person

pytestmark = pytest.mark.django_db
Status = Registration.Status


def statuses(event):
    return list(event.registrations.order_by("position").values_list("status", flat=True))


def test_places_up_to_capacity_then_the_waitlist_in_order(world, event):
    people = make_people(world.city, 5)
    registrations = [event.register(p) for p in people]
    assert [r.status for r in registrations] == [Status.CONFIRMED] * 3 + [Status.WAITLISTED] * 2
    assert [r.position for r in registrations] == [1, 2, 3, 4, 5]
    event.refresh_from_db()
    assert event.last_position == 5


def test_cancelling_a_place_promotes_the_first_waiting(world, event):
    people = make_people(world.city, 5)
    first, *_rest = [event.register(p) for p in people]
    promoted = first.cancel(by=world.user("coordinator"))
    assert [r.person for r in promoted] == [people[3]]
    assert statuses(event) == [Status.CANCELLED, Status.CONFIRMED, Status.CONFIRMED,
                               Status.CONFIRMED, Status.WAITLISTED]
    fourth = Registration.objects.get(person=people[3])
    assert fourth.promoted_at is not None
    assert first.cancelled_by == world.user("coordinator")


def test_cancelling_a_waiting_registration_promotes_nobody(world, event):
    people = make_people(world.city, 5)
    registrations = [event.register(p) for p in people]
    assert registrations[3].cancel() == []
    assert statuses(event)[-1] == Status.WAITLISTED


def test_registering_twice_is_refused_and_changes_nothing(world, event):
    person = make_people(world.city, 1)[0]
    event.register(person)
    with translation.override("en"), pytest.raises(ValidationError, match="already registered"):
        event.register(person)
    assert event.registrations.count() == 1
    event.refresh_from_db()
    assert event.last_position == 1


def test_a_person_may_register_again_after_cancelling(world, event):
    person = make_people(world.city, 1)[0]
    event.register(person).cancel()
    again = event.register(person)
    assert again.status == Status.CONFIRMED and again.position == 2


def test_the_database_refuses_two_active_registrations(world, event):
    person = make_people(world.city, 1)[0]
    event.register(person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, person=person, status=Status.WAITLISTED,
                                    position=99)


def test_registration_closes_at_the_deadline(world, launch_activity):
    event = make_event(launch_activity, registration_deadline=timezone.now() - dt.timedelta(
        minutes=1))
    person = make_people(world.city, 1)[0]
    with translation.override("en"), pytest.raises(ValidationError, match="closed on"):
        event.register(person)
    assert not event.registrations.exists()


def test_without_a_deadline_registration_stays_open_until_the_end(world, launch_activity):
    running = make_event(launch_activity, starts_at=timezone.now() - dt.timedelta(hours=2),
                         ends_at=timezone.now() + dt.timedelta(hours=2))
    walk_in = make_people(world.city, 1)[0]
    assert running.register(walk_in).status == Status.CONFIRMED
    over = make_event(launch_activity, starts_at=at(-2), ends_at=at(-2, 16))
    with pytest.raises(ValidationError):
        over.register(walk_in)


@pytest.mark.parametrize("transition", ["cancel", "held"])
def test_no_registration_for_a_cancelled_or_held_event(world, launch_activity, transition):
    event = make_event(launch_activity, starts_at=timezone.now() - dt.timedelta(hours=1),
                       ends_at=timezone.now() + dt.timedelta(hours=5))
    if transition == "cancel":
        event.cancel(world.user("coordinator"), "น้ำท่วม")
    else:
        event.mark_held(world.user("coordinator"), "")
    with translation.override("en"), pytest.raises(ValidationError, match="registration is closed"):
        event.register(make_people(world.city, 1)[0])
    assert not event.registrations.exists()


def test_city_quota_counts_confirmed_places_of_the_same_city(world, launch_activity):
    event = make_event(launch_activity, capacity=10, cap_per_city=2)
    own = make_people(world.city, 3)
    other = make_people(world.other_city, 2)
    event.register(own[0])
    event.register(own[1])
    with translation.override("en"), pytest.raises(ValidationError, match="already has its 2"):
        event.register(own[2])
    assert [event.register(p).status for p in other] == [Status.CONFIRMED] * 2
    assert event.registrations.count() == 4


def test_quota_is_refused_at_registration_when_the_city_has_its_places(world, launch_activity):
    event = make_event(launch_activity, capacity=1, cap_per_city=1)
    first, second = make_people(world.city, 2)
    event.register(first)
    with pytest.raises(ValidationError):
        event.register(second)  # refused, not waitlisted: A1 has its one place
    assert event.registrations.count() == 1


def test_promotion_passes_over_a_city_that_has_its_places(world, launch_activity):
    """Capacity 2, one place per city. A1 and A3 have the places; two A2 people and one B1
    person wait. A1 leaves: the first A2 person gets the place. A3 leaves: the second A2
    person is next in line but A2 has its place, so the B1 person gets it."""
    event = make_event(launch_activity, capacity=2, cap_per_city=1)
    far = make_city(world.network, "a3")
    a1 = make_people(world.city, 1)[0]
    a3 = make_people(far, 1)[0]
    a2_first, a2_second = make_people(world.other_city, 2)
    b1 = make_people(world.far_city, 1)[0]
    a1_place, a3_place = event.register(a1), event.register(a3)
    waiting = [event.register(p) for p in (a2_first, a2_second, b1)]
    assert {r.status for r in waiting} == {Status.WAITLISTED}
    assert [r.person for r in a1_place.cancel()] == [a2_first]
    assert [r.person for r in a3_place.cancel()] == [b1]
    assert Registration.objects.get(person=a2_second).status == Status.WAITLISTED


def test_a_larger_capacity_gives_places_to_the_waitlist(world, event):
    people = make_people(world.city, 5)
    for person in people:
        event.register(person)
    promoted = event.update_details(world.user("coordinator"), capacity=4)
    assert [r.person for r in promoted] == [people[3]]
    assert event.changes.filter(action="edit").exists()


def test_a_capacity_below_the_places_taken_is_refused(world, event):
    for person in make_people(world.city, 3):
        event.register(person)
    with translation.override("en"), pytest.raises(ValidationError, match="3 people already"):
        event.update_details(world.user("coordinator"), capacity=2)
    event.refresh_from_db()
    assert event.capacity == 3


def test_check_in_needs_a_place_and_the_day(world, launch_activity):
    event = make_event(launch_activity, capacity=1, starts_at=timezone.now() - dt.timedelta(
        hours=1), ends_at=timezone.now() + dt.timedelta(hours=3))
    seated, waiting = (event.register(p) for p in make_people(world.city, 2))
    assert seated.check_in(world.user("coordinator")) is True
    assert seated.check_in(world.user("coordinator")) is False  # a double tap changes nothing
    with pytest.raises(ValidationError):
        waiting.check_in()
    future = make_event(launch_activity, starts_at=at(3), ends_at=at(3, 12))
    early = future.register(make_people(world.city, 1)[0])
    with translation.override("en"), pytest.raises(ValidationError, match="day of the event"):
        early.check_in()


def test_a_checked_in_place_cannot_be_cancelled_until_undone(world, launch_activity):
    event = make_event(launch_activity, starts_at=timezone.now() - dt.timedelta(hours=1),
                       ends_at=timezone.now() + dt.timedelta(hours=3))
    registration = event.register(make_people(world.city, 1)[0])
    registration.check_in()
    with pytest.raises(ValidationError):
        registration.cancel()
    registration.undo_check_in()
    registration.cancel()
    assert registration.status == Status.CANCELLED


def test_attendance_statistics_count_checked_in_people(world, launch_activity):
    event = make_event(launch_activity, starts_at=timezone.now() - dt.timedelta(hours=1),
                       ends_at=timezone.now() + dt.timedelta(hours=3))
    women = make_people(world.city, 3, gender="female", sector="water",
                        organisation=world.organisation)
    men = make_people(world.other_city, 2, prefix="ชาย", gender="male", sector="health")
    no_show = make_people(world.city, 1, prefix="ไม่มา", gender="male")
    for person in women + men + no_show:
        event.register(person)
    for registration in event.registrations.exclude(person__in=no_show):
        registration.check_in()
    with translation.override("en"):
        stats = event.attendance_stats()
    assert stats["total"] == 5
    assert {r["value"]: r["count"] for r in stats["gender"]} == {"female": 3, "male": 2}
    assert {r["value"]: r["count"] for r in stats["sector"]} == {"water": 3, "health": 2}
    assert {r["value"]: r["count"] for r in stats["organisation_kind"]} == {"government": 3,
                                                                            "": 2}
    assert {r["label"]: r["count"] for r in stats["city"]} == {"City a1": 3, "City a2": 2}
    assert {r["label"] for r in stats["organisation_kind"]} == {"Government", "Not recorded"}


def test_attendance_statistics_take_one_query_each(world, launch_activity,
                                                   django_assert_num_queries):
    event = make_event(launch_activity)
    # kind, sector, gender, self-declared vulnerable group, city
    with django_assert_num_queries(5):
        event.attendance_stats()


def test_plan_defaults_fill_capacity_quota_and_place(world, launch_activity):
    plan_activity = launch_activity.plan_activity
    plan_activity.participant_cap, plan_activity.cap_per_city = 80, 2
    plan_activity.location_th = "ห้องประชุมเทศบาล"
    plan_activity.save()
    launch_activity.refresh_from_db()
    event = make_event(launch_activity)
    assert (event.capacity, event.cap_per_city, event.place_th) == (80, 2, "ห้องประชุมเทศบาล")
    chosen = make_event(launch_activity, capacity=30)
    assert chosen.capacity == 30


def test_the_database_keeps_an_event_to_one_owner_and_in_order(world, launch_activity):
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(city_activity=launch_activity, network=world.network,
                             title_th="x", starts_at=at(1), ends_at=at(1, 12))
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(title_th="x", starts_at=at(1), ends_at=at(1, 12))
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(city_activity=launch_activity, title_th="x", starts_at=at(1, 12),
                             ends_at=at(1, 9))
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(city_activity=launch_activity, title_th="x", starts_at=at(1),
                             ends_at=at(1, 12), capacity=0)


def test_people_of_other_cities_register_for_a_city_event(world, event):
    outsider = Person.objects.create(full_name_th="ผู้มาเยือน", city=world.far_city)
    assert event.register(outsider).status == Status.CONFIRMED
