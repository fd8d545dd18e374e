"""The climate pages as their users see them: stations, uploads, analyses, the city panel."""

import pytest
from django.utils import translation

from apps.climate.imports import import_series
from apps.climate.models import Analysis, Observation, SeriesUpload, Station
from apps.climate.tests.conftest import csv_file, make_station, synthetic_file
from apps.core.testing import PASSWORD

pytestmark = pytest.mark.django_db
HEADER = "date,rainfall mm,Tmax,Tmin\n"


def login(client, name):
    assert client.login(username=name, password=PASSWORD)


def station_url(station, rest=""):
    return f"/c/{station.city.slug}/climate/{station.pk}/{rest}"


# -- stations -----------------------------------------------------------------------------
def test_the_station_list_shows_published_stations_to_everyone(client, world):
    shown = make_station(world.city, "P1", published=True)
    hidden = make_station(world.city, "U1")
    page = client.get("/c/a1/climate/").content.decode()
    assert shown.name_en in page or shown.name_th in page
    assert hidden.name_en not in page and "Add a station" not in page
    login(client, "member")
    page = client.get("/c/a1/climate/").content.decode()
    assert hidden.name_en in page and "Add a station" not in page
    login(client, "expert")
    assert "Add a station" in client.get("/c/a1/climate/").content.decode()


def test_an_unpublished_station_is_404_to_other_cities(client, world, station):
    login(client, "outsider")
    assert client.get(station_url(station)).status_code == 404
    assert client.get(station_url(station, "analyses/1/")).status_code == 404
    station.published = True
    station.save()
    assert client.get(station_url(station)).status_code == 200


def test_experts_add_edit_and_publish_a_station(client, world):
    login(client, "expert")
    response = client.post("/c/a1/climate/new/", {"code": "48303", "name_th": "เชียงราย",
                                                    "source": "กรมอุตุนิยมวิทยา"})
    station = Station.objects.get(code="48303")
    assert response.status_code == 302 and response["Location"] == station_url(station)
    again = client.post("/c/a1/climate/new/", {"code": "48303", "name_th": "ซ้ำ"})
    assert "already has a station with this code" in again.content.decode()
    client.post(station_url(station, "edit/"), {"code": "48303", "name_th": "เชียงราย",
                                                "latitude": "95"})
    station.refresh_from_db()
    assert station.latitude is None  # refused: out of range
    client.post(station_url(station, "publish/"), {"published": "1"})
    station.refresh_from_db()
    assert station.published


def test_members_may_read_but_not_upload(client, world, station):
    login(client, "member")
    assert client.get(station_url(station)).status_code == 200
    response = client.post(station_url(station, "upload/"),
                           {"file": csv_file(HEADER + "2010-01-01,1,30,20\n"), "mode": "merge"})
    assert response.status_code == 403 and Observation.objects.count() == 0


# -- uploads ------------------------------------------------------------------------------
def test_uploading_a_good_file_shows_what_it_contained(client, world, station):
    login(client, "expert")
    response = client.post(station_url(station, "upload/"),
                           {"file": synthetic_file(2001, 2004, name="cr.csv"), "mode": "merge"})
    upload = SeriesUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == station_url(station, f"uploads/{upload.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "1,461" in page and "cr.csv" in page  # days imported, the file's name
    station_page = client.get(station_url(station)).content.decode()
    assert "Data coverage per year" in station_page and "2004" in station_page
    download = client.get(station_url(station, f"uploads/{upload.pk}/file/"))
    assert b"".join(download.streaming_content).startswith("\ufeffวันที่".encode())


def test_uploading_a_bad_file_lists_every_problem_and_saves_nothing(client, world, station):
    login(client, "expert")
    text = HEADER + "2010-01-01,1,30,20\n2010-01-02,abc,30,20\n2010-01-02,1,25,27\n"
    response = client.post(station_url(station, "upload/"),
                           {"file": csv_file(text, "bad.csv"), "mode": "merge"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 problems found. Nothing was saved" in page
    assert "<td class=\"num\">3</td><td>rainfall mm</td><td>not a number: “abc”</td>" in page
    assert "<td class=\"num\">4</td><td>date</td><td>the same date as row 3 (2010-01-02)</td>" in page
    assert Observation.objects.count() == 0 and SeriesUpload.objects.count() == 0


def test_an_upload_without_a_file_says_so(client, world, station):
    login(client, "expert")
    response = client.post(station_url(station, "upload/"), {"mode": "merge"})
    assert response.status_code == 200 and "This field is required." in response.content.decode()


def test_the_upload_form_links_to_the_sample_file(client, world, station):
    from django.contrib.staticfiles import finders

    login(client, "expert")
    page = client.get(station_url(station)).content.decode()
    assert "climate/sample-station.csv" in page
    path = finders.find("climate/sample-station.csv")
    with open(path, "rb") as sample:  # the sample file is itself a valid upload
        import_series(station, sample, "sample-station.csv", None)
    assert station.observations.count() > 3000


def test_the_station_page_in_thai_shows_buddhist_era_years(client, world, station):
    import_series(station, csv_file(HEADER + "2010-01-01,1,30,20\n"), "x.csv", None)
    login(client, "member")
    with translation.override("th"):
        page = client.get(station_url(station), HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert "<td>2553</td>" in page


# -- analyses -----------------------------------------------------------------------------
def test_starting_an_analysis_runs_it_and_shows_the_results(
        client, world, station, django_capture_on_commit_callbacks):
    import_series(station, synthetic_file(1981, 2020), "x.csv", None)
    login(client, "expert")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(station_url(station, "analyses/new/"),
                               {"hot_threshold": "35", "base_start": "2524", "base_end": "2553"})
    analysis = Analysis.objects.get()
    assert response.status_code == 302
    assert (analysis.base_start, analysis.base_end) == (1981, 2010)  # BE years accepted
    assert analysis.status == Analysis.Status.DONE and analysis.progress == 100
    page = client.get(response["Location"]).content.decode()
    for text in ("Rx1day", "PRCPTOT", "Mann-Kendall", "Hamed-Rao", "slope per decade",
                 "Return period", "100 years", "L-moments", "Maximum likelihood",
                 'id="climate-charts"', "climate/analysis.js", "chart.umd.min.js"):
        assert text in page, text
    assert "<script>" not in page  # no inline script: data goes through json_script


def test_a_bad_analysis_form_shows_the_errors(client, world, station):
    import_series(station, csv_file(HEADER + "2010-01-01,1,30,20\n"), "x.csv", None)
    login(client, "expert")
    response = client.post(station_url(station, "analyses/new/"),
                           {"hot_threshold": "35", "base_start": "2000"})
    assert response.status_code == 200 and Analysis.objects.count() == 0
    assert "Give both years of the base period" in response.content.decode()


def test_a_running_analysis_shows_a_progress_bar_that_polls_its_status(client, world, station):
    analysis = Analysis.objects.create(station=station, status=Analysis.Status.RUNNING,
                                       stage=Analysis.Stage.TRENDS, progress=50)
    login(client, "member")
    page = client.get(station_url(station, f"analyses/{analysis.pk}/")).content.decode()
    status_url = station_url(station, f"analyses/{analysis.pk}/status/")
    assert f'data-status-url="{status_url}"' in page
    assert '<progress max="100" value="50">' in page and "Testing the trends" in page
    assert 'href="">refresh it</a>' in page  # without JavaScript
    assert client.get(status_url).json() == {
        "status": "running", "status_label": "Running", "progress": 50, "stage": "trends",
        "stage_label": "Testing the trends", "error": ""}


def test_a_failed_analysis_says_why(client, world, station):
    analysis = Analysis.objects.create(station=station)
    analysis.fail("The station has no daily data yet.")
    login(client, "member")
    page = client.get(station_url(station, f"analyses/{analysis.pk}/")).content.decode()
    assert "The analysis failed." in page and "The station has no daily data yet." in page


def test_a_short_series_says_it_is_too_short(client, world, station):
    import_series(station, synthetic_file(2008, 2010, gaps=False), "x.csv", None)
    analysis = Analysis.objects.create(station=station)
    analysis.run()
    login(client, "member")
    page = client.get(station_url(station, f"analyses/{analysis.pk}/")).content.decode()
    assert "Too few years with a value for this test (3)." in page
    assert "Increasing" not in page and "Decreasing" not in page


# -- the city page ------------------------------------------------------------------------
def test_the_city_page_shows_the_headline_trends(client, world, station):
    import_series(station, synthetic_file(1981, 2020), "x.csv", None)
    Analysis.objects.create(station=station).run()
    login(client, "member")
    page = client.get("/c/a1/").content.decode()
    assert 'id="climate"' in page and station.name_en in page or station.name_th in page
    assert "Indices, trends and return levels" in page
    client.logout()
    assert 'id="climate"' not in client.get("/c/a1/").content.decode()  # unpublished
