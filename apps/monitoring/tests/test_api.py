"""The monitoring API: a pilot's indicators with targets and approved values, the city's and
the network's roll-ups; scoped as the pages, flat query counts as data grows."""
import datetime as dt
from decimal import Decimal

import pytest

from apps.core.testing import PASSWORD, make_world
from apps.monitoring.models import Criterion, Indicator, Period, Report, Target, Value
from apps.monitoring.tests.test_progress import bulk_pilots

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def pilot(world):
    pilot, = bulk_pilots(world, world.city, 1, "API", framework=False)
    return pilot


def grow(world, pilot, n, tag):
    """n periods and n indicators for the pilot, each with a target and an approved total
    per period, made in bulk."""
    city = world.city
    criterion = Criterion.objects.create(city=city, name_th=f"เกณฑ์ {tag}")
    first = Period.objects.filter(city=city).count()
    Period.objects.bulk_create(Period(city=city, label_th=f"งวด {first + i}",
                                      start=dt.date(2000 + first + i, 1, 1),
                                      end=dt.date(2000 + first + i, 12, 31)) for i in range(n))
    Indicator.objects.bulk_create(Indicator(city=city, criterion=criterion, pilot=pilot,
                                            code=f"{tag}{i}", name_th=f"ตัวชี้วัด {tag}{i}")
                                  for i in range(n))
    periods = list(Period.objects.filter(city=city))
    indicators = list(Indicator.objects.filter(criterion=criterion))
    Target.objects.bulk_create(Target(indicator=i, period=p, value=D(10))
                               for i in indicators for p in periods)
    Report.objects.bulk_create(Report(city=city, pilot=pilot, period=p,
                                      status=Report.Status.APPROVED) for p in periods
                               if not Report.objects.filter(pilot=pilot, period=p).exists())
    reports = list(Report.objects.filter(pilot=pilot))
    Value.objects.bulk_create(Value(report=r, indicator=i, number=D(12)) for r in reports
                              for i in indicators)


def get(client, url, user=None):
    client.logout()
    if user:
        assert client.login(username=user, password=PASSWORD)
    return client.get(url)


def test_a_pilots_indicators_with_targets_and_only_approved_values(client, world, pilot):
    city = world.city
    criterion = Criterion.objects.create(city=city, name_th="การมีส่วนร่วม")
    indicator = Indicator.objects.create(
        city=city, criterion=criterion, pilot=pilot, code="HH", name_th="ครัวเรือน",
        cumulative=True, disaggregation={"gender": ["women", "men"]})
    q1 = Period.objects.create(city=city, label_th="ไตรมาส 1", start=dt.date(2011, 1, 1),
                               end=dt.date(2011, 3, 31))
    q2 = Period.objects.create(city=city, label_th="ไตรมาส 2", start=dt.date(2011, 4, 1),
                               end=dt.date(2011, 6, 30))
    Target.objects.create(indicator=indicator, period=q1, value=D(10))
    Target.objects.create(indicator=indicator, period=q2, value=D(20))
    approved = Report.objects.create(city=city, pilot=pilot, period=q1,
                                     status=Report.Status.APPROVED)
    for category, number in (("", 12), ("gender:women", 7), ("gender:men", 5)):
        Value.objects.create(report=approved, indicator=indicator, category=category,
                             number=D(number))
    draft = Report.objects.create(city=city, pilot=pilot, period=q2)
    Value.objects.create(report=draft, indicator=indicator, number=D(999))
    body = get(client, f"/api/monitoring/pilots/{pilot.pk}/indicators", "member").json()
    assert body["pilot"] == pilot.pk and body["city"] == "a1"
    assert [p["id"] for p in body["periods"]] == [q1.pk, q2.pk]
    row, = body["indicators"]
    assert row["code"] == "HH" and row["light"] == "green"
    points = [(p["period"], p["target"], p["actual"]) for p in row["points"]]
    assert [(p, D(t), a and D(a)) for p, t, a in points] == [
        (q1.pk, D(10), D(12)), (q2.pk, D(20), None)]  # the draft's 999 is nowhere
    assert {(v["period"], v["category"], D(v["number"])) for v in row["values"]} == {
        (q1.pk, "", D(12)), (q1.pk, "gender:women", D(7)), (q1.pk, "gender:men", D(5))}
    assert "999" not in str(body)


@pytest.mark.parametrize("user,status", [
    ("member", 200), ("coordinator", 200), ("national", 200), ("proponent", 200),
    ("expert", 200), ("funder", 404), ("outsider", 404), ("stranger", 404), (None, 404)])
def test_pilot_indicators_are_the_citys_and_the_teams(client, world, pilot, user, status):
    assert get(client, f"/api/monitoring/pilots/{pilot.pk}/indicators", user).status_code \
        == status


def test_another_citys_pilot_is_never_read(client, world):
    theirs, = bulk_pilots(world, world.other_city, 1, "B")  # an approved report and value
    Report.objects.filter(pilot=theirs).update(status=Report.Status.SUBMITTED)
    assert get(client, f"/api/monitoring/pilots/{theirs.pk}/indicators",
               "coordinator").status_code == 404
    body = get(client, f"/api/monitoring/pilots/{theirs.pk}/indicators", "outsider").json()
    # Its own city reads it, but the submitted (not approved) value is not given.
    assert all(p["actual"] is None for p in body["indicators"][0]["points"])
    assert body["indicators"][0]["values"] == []
    assert get(client, "/api/monitoring/cities/a2/progress", "coordinator").status_code == 404
    assert get(client, "/api/monitoring/pilots/999999/indicators", "national").status_code \
        == 404


def test_city_and_network_roll_ups(client, world):
    bulk_pilots(world, world.city, 3, "R")  # each: target 10, approved 0, 1, 2 -> red
    body = get(client, "/api/monitoring/cities/a1/progress", "member").json()
    assert body["city"] == "a1" and body["red"] == 3 and body["share_on_track"] == 0
    assert len(body["pilots"]) == 3 and all(p["red"] == 1 for p in body["pilots"])
    assert get(client, "/api/monitoring/cities/a1/progress").status_code == 404
    assert get(client, "/api/monitoring/cities/a1/progress", "outsider").status_code == 404
    url = "/api/monitoring/networks/net-a/progress"
    body = get(client, url, "national").json()
    cities = {c["city"]: c for c in body["cities"]}
    assert cities["a1"]["red"] == 3 and cities["a2"]["grey"] == 0 and len(body["pilots"]) == 3
    assert get(client, url, "coordinator").status_code == 403
    assert get(client, url, "stranger").status_code == 403
    assert get(client, url).status_code == 401


def test_flat_query_counts_as_indicators_periods_and_pilots_grow(
        client, world, pilot, django_assert_max_num_queries):
    urls = [f"/api/monitoring/pilots/{pilot.pk}/indicators", "/api/monitoring/cities/a1/progress",
            "/api/monitoring/networks/net-a/progress"]
    assert client.login(username="national", password=PASSWORD)
    grow(world, pilot, 2, "S")
    small = {}
    for url in urls:
        with django_assert_max_num_queries(12) as context:
            assert client.get(url).status_code == 200
        small[url] = len(context)
    grow(world, pilot, 12, "L")  # 14 periods x 14 indicators: 196 approved values
    bulk_pilots(world, world.city, 20, "M")
    for url in urls:
        with django_assert_max_num_queries(small[url]):
            response = client.get(url)
        assert response.status_code == 200
    # 14 periods (bulk_pilots reuses 2011's), each indicator a point per period.
    assert len(client.get(urls[0]).json()["indicators"][0]["points"]) == 14
