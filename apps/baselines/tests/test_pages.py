"""The baseline page, its forms and the city page panel, as the city's team and visitors use
them."""
import datetime as dt

import pytest

from apps.baselines.models import BaselineProfile, ClimateNormal, PastDisaster
from apps.baselines.tests.conftest import complete_profile

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_page_shows_the_data_totals_chart_data_and_completeness(client, world, profile):
    PastDisaster.objects.create(profile=profile, date=dt.date(2000, 11, 21), hazard="flood",
                                people_affected=120000, deaths=30)
    client.force_login(world.user("member"))
    page = client.get("/c/a1/baseline/", **EN).content.decode()
    assert "75,000" in page and "1,233 people per km²" in page
    # sorted by date, with totals of people affected and deaths
    assert page.index("21 November 2000") < page.index("1 November 2010")
    assert "220,000" in page and ">39<" in page
    assert 'id="climograph-data"' in page and "baselines/climograph.js" in page
    assert 'data-completeness="100"' in page
    assert "Edit the baseline" not in page  # a member reads, does not edit


def test_missing_sections_are_listed_with_links_for_editors(client, world):
    BaselineProfile.objects.create(city=world.city, population=75000)
    client.force_login(world.user("expert"))
    page = client.get("/c/a1/baseline/", **EN).content.decode()
    assert 'data-check="population"' in page  # the year and source are still missing
    assert 'href="/c/a1/baseline/edit/#land-use">Land use shares</a>' in page
    assert 'href="/c/a1/baseline/climate/">Climate normals for all 12 months' in page
    assert 'data-completeness="0"' in page


def test_unpublished_baselines_are_the_citys_and_published_ones_public(client, world, profile):
    assert client.get("/c/a1/baseline/").status_code == 404
    client.force_login(world.user("outsider"))
    assert client.get("/c/a1/baseline/").status_code == 404
    assert client.get("/c/a1/baseline/edit/").status_code == 404
    profile.published = True
    profile.save()
    assert client.get("/c/a1/baseline/").status_code == 200
    assert client.get("/c/a1/baseline/edit/").status_code == 403
    client.logout()
    assert client.get("/c/a1/baseline/").status_code == 200


def test_the_team_starts_a_baseline_from_an_empty_page(client, world):
    client.force_login(world.user("coordinator"))
    page = client.get("/c/a1/baseline/", **EN).content.decode()
    assert "Edit the baseline" in page and "No past disasters recorded." in page
    client.force_login(world.user("member"))  # a reader who may not start it
    assert client.get("/c/a1/baseline/").status_code == 404


def edit_data(**values):
    data = {"sectors-TOTAL_FORMS": "2", "sectors-INITIAL_FORMS": "0",
            "land-TOTAL_FORMS": "2", "land-INITIAL_FORMS": "0"}
    data.update(values)
    return data


def test_an_expert_edits_the_baseline_with_a_buddhist_era_year(client, world):
    client.force_login(world.user("expert"))
    response = client.post("/c/a1/baseline/edit/", edit_data(**{
        "population": "75000", "population_year": "2553", "area_km2": "60.85",
        "economy_th": "การค้า", "sectors-0-name_en": "Trade", "sectors-0-share": "45",
        "land-0-category": "residential", "land-0-share": "34"}))
    assert response.status_code == 302
    profile = BaselineProfile.objects.get(city=world.city)
    assert (profile.population_year, profile.updated_by) == (2010, world.user("expert"))
    assert list(profile.sectors.values_list("name_en", "share")) == [("Trade", 45)]
    assert not profile.published  # publishing is a separate, coordinator's step


def test_land_use_over_100_is_refused_naming_the_row_and_nothing_is_saved(client, world):
    client.force_login(world.user("coordinator"))
    response = client.post("/c/a1/baseline/edit/", edit_data(**{
        "population": "75000", "land-0-category": "residential", "land-0-share": "70",
        "land-1-category": "agricultural", "land-1-share": "40"}), **EN)
    assert response.status_code == 200
    assert "Row 2 (Agricultural): the land use shares add up to 110%, more than 100%." \
        in response.content.decode()
    assert not BaselineProfile.objects.exists()


def test_the_climate_grid_saves_months_and_refuses_tmin_above_tmax(client, world, profile):
    client.force_login(world.user("expert"))
    data = {"climate_period": "2524-2553", "m1-tmax": "29", "m1-tmin": "13", "m1-rainfall": "9",
            "m2-tmax": "20", "m2-tmin": "25", "m2-rainfall": "10",
            "m3-tmax": "31", "m3-rainfall": "-2"}
    response = client.post("/c/a1/baseline/climate/", data, **EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tmin (25 °C) is above Tmax (20 °C)." in page
    assert "Enter it, or leave the whole month blank." in page  # March's missing Tmin
    assert profile.normals.count() == 12  # unchanged
    del data["m3-tmax"], data["m3-rainfall"]
    data["m2-tmin"] = "12"
    assert client.post("/c/a1/baseline/climate/", data).status_code == 302
    profile.refresh_from_db()
    assert profile.climate_period == "1981-2010"
    assert list(ClimateNormal.objects.filter(profile=profile).values_list("month", flat=True)) \
        == [1, 2]  # blank months are removed


def test_disasters_are_added_with_a_month_and_removed(client, world, profile):
    client.force_login(world.user("expert"))
    response = client.post("/c/a1/baseline/disasters/add/",
                           {"when": "11/2531", "hazard": "flood", "area_th": "ตัวเมือง"})
    assert response.status_code == 302
    added = profile.disasters.get(date=dt.date(1988, 11, 1))
    assert added.precision == "month"
    bad = client.post("/c/a1/baseline/disasters/add/", {"when": "11/1988", "hazard": "flood"})
    assert "ปีพุทธศักราช" in bad.content.decode() or "2531" in bad.content.decode()
    assert client.post(f"/c/a1/baseline/disasters/{added.pk}/remove/").status_code == 302
    assert not profile.disasters.filter(pk=added.pk).exists()


def test_another_citys_disaster_cannot_be_removed_through_ours(client, world, profile):
    other = complete_profile(world.other_city)
    client.force_login(world.user("coordinator"))
    pk = other.disasters.get().pk
    assert client.post(f"/c/a1/baseline/disasters/{pk}/remove/").status_code == 404
    assert PastDisaster.objects.filter(pk=pk).exists()


def test_the_import_page_lists_problems_by_row_and_column(client, world, profile):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.user("expert"))
    upload = SimpleUploadedFile("d.csv", "date,hazard\n1/1/2554,tsunami\n".encode())
    page = client.post("/c/a1/baseline/disasters/import/", {"file": upload}, **EN)
    text = page.content.decode()
    assert "Nothing was imported: 1 problem to fix" in text
    assert "<td>2</td><td>hazard</td>" in text
    upload = SimpleUploadedFile("d.csv", "date,hazard\n1/1/2554,storm\n".encode())
    assert client.post("/c/a1/baseline/disasters/import/", {"file": upload}).status_code == 302
    assert profile.disasters.count() == 2


def test_only_coordinators_publish(client, world, profile):
    client.force_login(world.user("expert"))
    assert client.post("/c/a1/baseline/publish/", {"published": "1"}).status_code == 403
    client.force_login(world.user("coordinator"))
    assert client.post("/c/a1/baseline/publish/", {"published": "1"}).status_code == 302
    profile.refresh_from_db()
    assert profile.published


def test_the_city_page_panel(client, world, profile):
    client.force_login(world.user("member"))
    page = client.get("/c/a1/", **EN).content.decode()
    assert "100% complete" in page and "past disaster recorded" in page
    assert "/c/a1/baseline/datasheet.pdf" in page
    client.logout()
    assert "Baseline profile" not in client.get("/c/a1/", **EN).content.decode()


def test_the_dashboard_shows_programme_cities_baseline_completeness(client, world, profile):
    BaselineProfile.objects.create(city=world.other_city, published=True, population=1)
    page = client.get("/n/net-a/").content.decode()
    assert 'data-baseline="0"' in page  # A2's published, nearly empty baseline
    assert 'data-baseline="100"' not in page  # A1's is unpublished
    client.force_login(world.user("national"))
    assert 'data-baseline="100"' in client.get("/n/net-a/").content.decode()
