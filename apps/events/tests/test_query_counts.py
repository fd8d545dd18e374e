"""Event pages and endpoints keep a flat number of queries as events, registrations and
invitations grow."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.testing import PASSWORD
from apps.events.models import AgendaItem, Invitation, Material
from apps.events.tests.conftest import at, make_event, make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(world, launch_activity):
    """The event whose own pages are counted: running now, published, capacity 5."""
    return make_event(launch_activity, capacity=5, published=True,
                      starts_at=timezone.now() - dt.timedelta(hours=1),
                      ends_at=timezone.now() + dt.timedelta(hours=5))


def grow(world, activity, target, size):
    """`size` more events of the city and the network, and `size` more people registered
    (some waiting, some checked in) and invited to the target event."""
    for i in range(size):
        event = make_event(activity, title_th=f"งาน {i}", published=True,
                           starts_at=at(i + 1), ends_at=at(i + 1, 15))
        make_event(activity, title_th=f"งานที่ผ่านมา {i}", published=True,
                   starts_at=at(-i - 1), ends_at=at(-i - 1, 15))
        network_event = make_event(network=world.network, title_th=f"เครือข่าย {i}",
                                   published=True, starts_at=at(i + 1), ends_at=at(i + 1, 15))
        for person in make_people(world.city, 2, prefix=f"คน{i}"):
            event.register(person)
            network_event.register(person)
        AgendaItem.objects.create(event=target, time=dt.time(9, i % 60), title_th=f"วาระ {i}")
        Material.objects.create(event=target, title=f"ลิงก์ {i}", url="https://example.org")
    people = make_people(world.city, size, prefix="ผู้มา", gender="female", sector="water",
                         organisation=world.organisation)
    others = make_people(world.other_city, size, prefix="เมืองอื่น")
    for person in people + others:
        registration = target.register(person)
        if registration.status == "confirmed":
            registration.check_in()
    Invitation.objects.bulk_create(
        Invitation(event=target, person=p, token_hash=f"{target.pk}-{p.pk}".ljust(64, "0"))
        for p in people)


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


URLS = [
    "/c/a1/events/", "/n/net-a/events/", "/events/{pk}/", "/events/{pk}/check-in/",
    "/events/{pk}/invite/", "/c/a1/", "/api/events", "/api/events?city=a1",
    "/api/events/{pk}", "/api/registrations", "/api/registrations?event={pk}",
]
EDITOR_ONLY = ("check-in", "invite")
CASES = [(url, persona) for url in URLS for persona in ("coordinator", "national")] + [
    (url, None) for url in URLS if not any(part in url for part in EDITOR_ONLY)]


@pytest.mark.parametrize("url,persona", CASES)
def test_query_count_does_not_grow_with_events_and_people(client, world, launch_activity,
                                                          target, url, persona):
    if persona:
        client.login(username=persona, password=PASSWORD)
    url = url.format(pk=target.pk)
    grow(world, launch_activity, target, 2)
    small = count(client, url)
    grow(world, launch_activity, target, 8)
    large = count(client, url)
    assert large == small, f"{url}: {small} queries with few rows, {large} with many"
