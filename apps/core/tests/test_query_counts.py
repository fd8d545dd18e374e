"""Pages keep a flat number of SQL queries as cities, activities and people grow."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.testing import PASSWORD, make_city
from apps.people.models import Membership, Organisation, Person, WorkingGroup
from apps.progress.models import CityActivity, Evidence

pytestmark = pytest.mark.django_db


def grow(world, cities):
    """Add cities to network A, each with people, members, evidence and history."""
    coordinator = world.user("national")
    for i in range(cities):
        city = make_city(world.network, f"grown-{i}-{Person.objects.count()}")
        org = Organisation.objects.create(name_th=f"องค์กร {city.slug}", kind="ngo", city=city)
        for j in range(3):
            person = Person.objects.create(full_name_th=f"คน {j}", city=city, organisation=org)
            Membership.objects.create(group=city.working_group, person=person, start=dt.date(2009, 12, 1))
    CityActivity.objects.adopt(world.network, world.plan)
    fresh = CityActivity.objects.filter(city__network=world.network, plan_activity__number=1,
                                        status="not_started")
    for activity in fresh:
        activity.complete(coordinator, on=dt.date(2009, 12, 20))
        activity.set_published(coordinator, True)
        Evidence(city_activity=activity, kind="note", title="Minutes", text="ok").record(coordinator)
    own = CityActivity.objects.get(city=world.city, plan_activity__number=1)
    for k in range(3):  # more evidence and history on the personas' own activity page
        Evidence(city_activity=own, kind="link", title=f"Link {k}",
                 url="https://example.org").record(coordinator)
    for k in range(5):  # more members in the personas' own city too
        extra = Person.objects.create(full_name_th=f"เพิ่ม {k}", city=world.city,
                                      organisation=world.organisation)
        Membership.objects.create(group=world.city.working_group, person=extra,
                                  start=dt.date(2009, 12, 1))


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


URLS = [
    "/n/net-a/",
    "/n/net-a/?country=TH",
    "/c/a1/",
    "/c/a1/activities/1/",
    "/c/a1/working-group/",
    "/c/a1/people/",
    "/organisations/",
]


# Anonymous visitors: every public page (the sign-in pages redirect them to log in).
CASES = [(url, persona) for url in URLS for persona in ("national", "coordinator")] + [
    (url, None) for url in URLS if url not in ("/c/a1/people/", "/organisations/")]


@pytest.mark.parametrize("url,persona", CASES)
def test_query_count_does_not_grow_with_data(client, world, persona, url):
    if persona:
        client.login(username=persona, password=PASSWORD)
    else:
        for activity in CityActivity.objects.filter(city=world.city):
            activity.set_published(world.user("national"), True)
        WorkingGroup.objects.filter(city=world.city).update(published=True)
    grow(world, 2)
    small = count(client, url)
    grow(world, 8)
    large = count(client, url)
    assert large == small, f"{url}: {small} queries with few rows, {large} with many"
