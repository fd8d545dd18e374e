"""The baselines API: scoped like the pages, completeness in the list, validated changes with
errors at their field and row, in the caller's language."""
import pytest

from apps.baselines.models import BaselineProfile
from apps.baselines.tests.conftest import complete_profile

pytestmark = pytest.mark.django_db


def patch(client, url, data, lang="en"):
    return client.patch(url, data, content_type="application/json", HTTP_ACCEPT_LANGUAGE=lang)


def test_the_list_is_scoped_and_carries_completeness(client, world, profile):
    BaselineProfile.objects.create(city=world.other_city, published=True, population=5)
    items = client.get("/api/baselines").json()["items"]
    assert [(i["city"], i["completeness"]["percent"]) for i in items] == [("a2", 0)]
    assert "population_year" in items[0]["completeness"]["missing"] or \
        "population" in items[0]["completeness"]["missing"]
    client.force_login(world.user("member"))
    items = client.get("/api/baselines?network=net-a").json()["items"]
    assert {i["city"]: i["completeness"]["percent"] for i in items} == {"a1": 100, "a2": 0}
    assert client.get("/api/baselines?city=nowhere").status_code == 404


def test_the_detail_has_every_section(client, world, profile):
    client.force_login(world.user("expert"))
    body = client.get("/api/baselines/a1", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["density"] == 1233
    assert body["sectors"] == [{"name_th": "การค้า", "name_en": "Trade", "share": "45.0"}]
    assert body["disasters"][0]["when"] == "1 November 2010"
    assert body["disasters"][0]["hazard_label"] == "Flash flood"
    assert [n["month"] for n in body["normals"]] == list(range(1, 13))
    client.logout()
    assert client.get("/api/baselines/a1").status_code == 404


def test_an_expert_patches_numbers_and_replaces_the_land_use(client, world, profile):
    client.force_login(world.user("expert"))
    response = patch(client, "/api/baselines/a1", {
        "households": 34000, "land_use": [{"category": "residential", "share": 40},
                                          {"category": "water", "detail_en": "Kok River",
                                           "share": 6}]})
    assert response.status_code == 200, response.json()
    assert response.json()["households"] == 34000
    assert list(profile.land_use.values_list("category", "detail_en")) == [
        ("residential", ""), ("water", "Kok River")]


def test_bad_values_are_refused_at_their_field_and_nothing_changes(client, world, profile):
    client.force_login(world.user("coordinator"))
    response = patch(client, "/api/baselines/a1", {
        "households": 1, "land_use": [{"category": "residential", "share": 70},
                                      {"category": "agricultural", "share": 40}]})
    assert response.status_code == 422
    assert response.json()["detail"] == [{
        "loc": ["body", "land_use"],
        "msg": "Row 2 (Agricultural): the land use shares add up to 110%, more than 100%."}]
    response = patch(client, "/api/baselines/a1", {"water_coverage": 130,
                                                   "climate_period": "2010"})
    assert response.status_code == 422
    assert {tuple(d["loc"]) for d in response.json()["detail"]} == {
        ("body", "water_coverage"), ("body", "climate_period")}
    profile.refresh_from_db()
    assert profile.households == 33500 and profile.land_use.count() == 1


def test_patch_starts_a_missing_baseline_for_the_team_only(client, world):
    client.force_login(world.user("member"))
    assert patch(client, "/api/baselines/a1", {"population": 5}).status_code == 403
    client.force_login(world.user("outsider"))
    assert patch(client, "/api/baselines/a1", {"population": 5}).status_code == 404
    client.force_login(world.user("expert"))
    assert patch(client, "/api/baselines/a1", {"population": 5}).status_code == 200
    assert BaselineProfile.objects.get(city=world.city).population == 5


def test_another_citys_published_baseline_is_read_only(client, world):
    complete_profile(world.other_city, published=True)
    client.force_login(world.user("coordinator"))
    assert client.get("/api/baselines/a2").status_code == 200
    response = patch(client, "/api/baselines/a2", {"population": 5}, lang="th")
    assert response.status_code == 403
    assert "ผู้" in response.json()["detail"] or response.json()["detail"]
