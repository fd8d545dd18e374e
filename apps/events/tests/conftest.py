import datetime as dt
import secrets

import pytest
from django.utils import timezone

from apps.events.models import Event
from apps.people.models import Person
from apps.progress.models import CityActivity


def at(days, hour=9, minute=0):
    """An aware datetime `days` from today at hour:minute, Bangkok time."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def make_event(city_activity=None, network=None, by=None, **values):
    values = {"title_th": "งานเปิดตัวโครงการ", "title_en": "Project launch",
              "starts_at": at(10), "ends_at": at(10, 16), **values}
    event = Event(city_activity=city_activity, network=network, **values)
    event.create(by)
    return event


def make_people(city, count, prefix="ผู้เข้าร่วม", **values):
    batch = secrets.token_hex(3)
    return Person.objects.bulk_create(
        Person(full_name_th=f"{prefix} {i}", full_name_en=f"Participant {i}", city=city,
               email=f"{city.slug}-{batch}-{i}@example.org", **values)
        for i in range(count))


@pytest.fixture
def launch_activity(world):
    """Activity 2 of the personas' city (the plan's launch: a network-wide activity in the
    test plan, so partner cities have one too)."""
    return CityActivity.objects.select_related("city", "plan_activity").get(
        city=world.city, plan_activity__number=2)


@pytest.fixture
def event(launch_activity):
    return make_event(launch_activity, capacity=3)
