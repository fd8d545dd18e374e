"""The climate pages, the city panel and the list endpoints keep a flat number of queries as
stations, days, uploads and analyses grow."""
import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.climate.models import Analysis, Observation, SeriesUpload, Station
from apps.core.testing import PASSWORD

pytestmark = pytest.mark.django_db
_codes = itertools.count(1)
CODES = ["Rx1day", "Rx5day", "PRCPTOT", "CDD"]


def results(years):
    """Results in the stored layout (apps/climate/analysis.py), `years` long."""
    span = list(range(1981, 1981 + years))
    trend = {"s": 10, "var_s": 100.0, "z": 0.9, "p": 0.35, "tau": 0.1, "trend": 0,
             "slope": 0.2, "intercept": 50.0}
    levels = [{"period": t, "level": 50.0 + t, "low": 40.0 + t, "high": 60.0 + t}
              for t in (2, 5, 10, 25, 50, 100)]
    fit = {"shape": -0.1, "loc": 60.0, "scale": 12.0, "n": years, "levels": levels,
           "level": 0.95}
    return {
        "codes": CODES, "years": span, "missing_days": [0] * years, "notes": [], "hot_threshold": 35.0,
        "base_period": None,
        "indices": {c: {"name": c, "unit": "mm", "definition": "", "values": [1.0] * years}
                    for c in CODES},
        "trends": {c: {"n": years, "mk": {**trend, "trend": 1}, "hamed_rao": trend}
                   for c in CODES},
        "extremes": {c: {"n": years, "lmoments": fit, "mle": fit} for c in CODES[:2]},
    }


def grow(world, main, size):
    """`size` more stations (half published), and on the main station `size` more years of
    days, uploads and analyses."""
    for n in range(size):
        other = Station.objects.create(city=world.city, code=f"S{next(_codes)}",
                                       name_th="อื่น", published=n % 2 == 0)
        Analysis.objects.create(station=other, status="done", results=results(5),
                                finished_at=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
    last = main.observations.order_by("-date").values_list("date", flat=True).first()
    start = (last or dt.date(1980, 12, 31)) + dt.timedelta(days=1)
    Observation.objects.bulk_create([
        Observation(station=main, date=start + dt.timedelta(days=d), prcp_mm=1.0, tmax_c=30,
                    tmin_c=20) for d in range(365 * size)])
    for n in range(size):
        SeriesUpload.objects.create(station=main, original_name=f"f{n}.csv", file="x.csv",
                                    rows=10, uploaded_by=world.user("expert"))
        Analysis.objects.create(station=main, status="done", results=results(10 * size),
                                created_by=world.user("expert"))


@pytest.fixture
def main_station(world):
    return Station.objects.create(city=world.city, code="MAIN", name_th="หลัก", published=True)


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


URLS = ["/c/a1/climate/", "station", "analysis", "/c/a1/", "/api/climate/stations",
        "/api/climate/analyses", "/api/climate/analyses?city=a1", "api-station"]


@pytest.mark.parametrize("persona", ["expert", None])
@pytest.mark.parametrize("url", URLS)
def test_query_counts_stay_flat(client, world, main_station, persona, url):
    if persona:
        client.login(username=persona, password=PASSWORD)
    grow(world, main_station, 2)
    analysis = main_station.analyses.first()

    def resolve():
        return {"station": f"/c/a1/climate/{main_station.pk}/",
                "analysis": f"/c/a1/climate/{main_station.pk}/analyses/{analysis.pk}/",
                "api-station": f"/api/climate/stations/{main_station.pk}"}.get(url, url)

    small = count(client, resolve())
    grow(world, main_station, 6)
    large = count(client, resolve())
    assert large == small, f"{url}: {small} queries with few rows, {large} with many"


def test_the_city_panel_takes_two_queries(rf, world, main_station, django_assert_num_queries):
    from apps.climate.panels import city_panel
    from apps.networks.models import City

    grow(world, main_station, 4)
    request = rf.get("/c/a1/")
    request.user = world.user("member")
    city = City.objects.select_related("network").get(pk=world.city.pk)
    with django_assert_num_queries(3):  # two, plus the user's roles (once per request)
        panel = city_panel(request, city)
    assert len(panel["stations"]) == 5
    main = next(s for s in panel["stations"] if s.pk == main_station.pk)
    assert [h["code"] for h in main.headlines] == CODES  # the MK verdicts of the fake results
