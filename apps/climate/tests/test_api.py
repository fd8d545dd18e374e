"""The climate API: stations with their coverage, analyses with their results, starting one."""
import pytest

from apps.accounts.models import ApiToken
from apps.climate.imports import import_series
from apps.climate.models import Analysis
from apps.climate.tests.conftest import csv_file, make_station

pytestmark = pytest.mark.django_db
HEADER = "date,rainfall mm,Tmax,Tmin\n"


def auth(world, name):
    _token, key = ApiToken.issue(world.user(name), "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def stations(world):
    published = make_station(world.city, "P1", published=True)
    hidden = make_station(world.city, "U1")
    import_series(published, csv_file(HEADER + "2010-01-01,1,30,20\n2010-01-03,,31,\n"),
                  "x.csv", None)
    return published, hidden


def test_stations_are_listed_by_visibility(client, world, stations):
    published, hidden = stations
    anonymous = [s["id"] for s in client.get("/api/climate/stations").json()["items"]]
    assert anonymous == [published.pk]
    member = client.get("/api/climate/stations?city=a1", **auth(world, "member")).json()
    assert {s["id"] for s in member["items"]} == {published.pk, hidden.pk}
    row = next(s for s in member["items"] if s["id"] == published.pk)
    assert (row["day_count"], row["first_date"], row["last_date"]) == (2, "2010-01-01",
                                                                        "2010-01-03")
    assert client.get("/api/climate/stations?city=nowhere").status_code == 404


def test_a_station_shows_its_yearly_coverage_and_uploads(client, world, stations):
    published, hidden = stations
    body = client.get(f"/api/climate/stations/{published.pk}").json()
    assert body["coverage"] == [{"year": 2010, "days": 365, "prcp": 1, "tmax": 2, "tmin": 1,
                                 "missing": 364, "complete": False}]
    assert [u["rows"] for u in body["uploads"]] == [2]
    assert client.get(f"/api/climate/stations/{hidden.pk}").status_code == 404


def test_starting_an_analysis(client, world, stations, django_capture_on_commit_callbacks):
    published, _hidden = stations
    url = f"/api/climate/stations/{published.pk}/analyses"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"hot_threshold": 33}, content_type="application/json",
                               **auth(world, "expert"))
    assert response.status_code == 202
    analysis = Analysis.objects.get(pk=response.json()["id"])
    assert analysis.hot_threshold == 33 and analysis.status in ("done", "failed")
    detail = client.get(f"/api/climate/analyses/{analysis.pk}").json()
    assert detail["status"] == analysis.status and "results" in detail
    listed = client.get(f"/api/climate/analyses?station={published.pk}").json()["items"]
    assert [a["id"] for a in listed] == [analysis.pk] and "results" not in listed[0]


def test_bad_analysis_requests_name_the_field(client, world, stations):
    published, hidden = stations
    url = f"/api/climate/stations/{published.pk}/analyses"
    headers = auth(world, "expert")
    response = client.post(url, {"base_start": 1981}, content_type="application/json", **headers)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "base_end"], "msg": "Give both years of the base period, or neither."}]
    response = client.post(url, {"hot_threshold": 80}, content_type="application/json",
                           **headers)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == [
        "body", "hot_threshold"]
    empty = f"/api/climate/stations/{hidden.pk}/analyses"
    response = client.post(empty, {}, content_type="application/json", **headers)
    assert response.status_code == 422
    assert response.json()["message"] == "Upload the station's daily series first."
    assert Analysis.objects.count() == 0


def test_readers_may_not_start_analyses(client, world, stations):
    published, _hidden = stations
    response = client.post(f"/api/climate/stations/{published.pk}/analyses", {},
                           content_type="application/json", **auth(world, "member"))
    assert response.status_code == 403
    assert "coordinators and experts" in response.json()["detail"]
