"""The network dashboard at national scale: one page of cities at a time, counts over all of
them from the database, the same numbers as the full grid, and a flat query count."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.testing import PASSWORD, make_city
from apps.networks import views
from apps.progress.grid import ProgressGrid
from apps.progress.models import CityActivity

pytestmark = pytest.mark.django_db


def grid_counts(grid):
    return ({value: count for value, _label, count in grid.status_counts()},
            grid.late_count(), grid.blocked_count())


def page_counts(response):
    totals = response.context["totals"]
    return ({value: count for value, _label, count in totals.status_counts()},
            totals.late_count(), totals.blocked_count())


@pytest.mark.parametrize("username", [None, "national", "coordinator"])
def test_the_counts_are_those_of_the_full_grid_for_every_reader(client, world, username):
    coordinator = world.user("coordinator")
    first = CityActivity.objects.get(city=world.city, plan_activity__number=1)
    first.complete(coordinator, on=dt.date(2009, 12, 20))  # 2 is no longer blocked by it
    first.set_published(coordinator, True)
    CityActivity.objects.get(city=world.city, plan_activity__number=2).start(coordinator)
    CityActivity.objects.get(city=world.other_city, plan_activity__number=3).skip(
        world.user("national"), "ไม่จำเป็น")
    if username:
        client.login(username=username, password=PASSWORD)
    response = client.get("/n/net-a/")
    user = response.wsgi_request.user
    full = ProgressGrid(world.network.cities.all(), world.plan, user)
    assert page_counts(response) == grid_counts(full)
    assert page_counts(response)[2] > 0 or username is None  # the blocked rule is exercised


def test_cities_come_a_page_at_a_time_with_the_filter_kept(client, world, monkeypatch):
    monkeypatch.setattr(views, "CITIES_PER_PAGE", 2)
    for n in range(3):
        make_city(world.network, f"vn{n}", country="VN")
    CityActivity.objects.adopt(world.network, world.plan)
    client.login(username="national", password=PASSWORD)
    first = client.get("/n/net-a/?country=VN", HTTP_ACCEPT_LANGUAGE="en")
    assert [c.slug for c, _cells, _s in first.context["rows"]] == ["vn0", "vn1"]
    assert "country=VN&amp;page=2" in first.content.decode()
    second = client.get("/n/net-a/?country=VN&page=2")
    assert [c.slug for c, _cells, _s in second.context["rows"]] == ["vn2"]
    # The counts cover the three Vietnamese cities, not the page's two or one.
    counts = page_counts(second)[0]
    assert sum(counts.values()) == 3 * 4
    assert client.get("/n/net-a/?page=99").status_code == 200  # the last page, not an error


def test_the_query_count_does_not_grow_with_the_cities(client, world, monkeypatch):
    monkeypatch.setattr(views, "CITIES_PER_PAGE", 3)
    client.login(username="national", password=PASSWORD)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/n/net-a/").status_code == 200
        return len(captured)

    before = queries()
    for n in range(8):
        make_city(world.network, f"x{n}")
    CityActivity.objects.adopt(world.network, world.plan)
    assert queries() == before
