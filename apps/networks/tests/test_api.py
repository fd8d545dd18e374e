import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.testing import make_city
from apps.networks.models import City


POLYGON = {"type": "Polygon",
           "coordinates": [[[100, 13], [101, 13], [101, 14], [100, 14], [100, 13]]]}
# The edges cross in the middle: a bow tie, which shapely calls a self-intersection.
BOW_TIE = {"type": "Polygon",
           "coordinates": [[[100, 13], [101, 14], [101, 13], [100, 14], [100, 13]]]}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def patch(client, slug, data, lang="en"):
    return client.patch(f"/api/cities/{slug}", data, content_type="application/json",
                        HTTP_ACCEPT_LANGUAGE=lang)


def test_networks_list_and_detail(client, world):
    body = client.get("/api/networks").json()
    assert body["count"] == 2
    assert {n["slug"]: n["city_count"] for n in body["items"]} == {"net-a": 2, "net-b": 1}
    detail = client.get("/api/networks/net-a").json()
    assert detail["plan"] == world.plan.pk
    assert [c["slug"] for c in detail["cities"]] == ["a1", "a2"]
    assert client.get("/api/networks/nowhere").status_code == 404


def test_cities_are_public_and_filterable(client, world):
    make_city(world.network, "v1", country="VN")
    assert client.get("/api/cities").json()["count"] == 4
    slugs = [c["slug"] for c in client.get("/api/cities?network=net-a&country=TH").json()["items"]]
    assert slugs == ["a1", "a2"]
    response = client.get("/api/cities?network=nowhere", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "Unknown network: nowhere."}


def test_city_detail_includes_the_boundary(client, world):
    City.objects.filter(pk=world.city.pk).update(boundary=POLYGON)
    body = client.get("/api/cities/a1").json()
    assert body["boundary"] == POLYGON
    assert body["network"] == "net-a"


def test_unknown_city_is_404_with_a_message(client, world):
    response = client.get("/api/cities/nowhere", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "Unknown city: nowhere."}


@pytest.mark.parametrize("persona", ["coordinator", "national"])
def test_city_coordinators_edit_figures_and_boundary(client, world, persona):
    client.force_login(world.user(persona))
    response = patch(client, "a1", {"population": 250_000, "latitude": 7.0, "longitude": 100.47,
                                    "boundary": POLYGON})
    assert response.status_code == 200, response.content
    city = City.objects.get(pk=world.city.pk)
    assert (city.population, float(city.latitude), city.boundary) == (250_000, 7.0, POLYGON)
    assert response.json()["latitude"] == 7.0


@pytest.mark.parametrize("persona,status", [
    ("outsider", 403), ("stranger", 403), ("member", 403), ("funder", 403),
])
def test_others_may_not_edit_the_city(client, world, persona, status):
    client.force_login(world.user(persona))
    assert patch(client, "a1", {"population": 1}).status_code == status
    assert City.objects.get(pk=world.city.pk).population == 100_000


def test_self_intersecting_boundary_is_refused_with_the_reason(client, world):
    client.force_login(world.user("coordinator"))
    response = patch(client, "a1", {"population": 1, "boundary": BOW_TIE})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "boundary"]
    assert "not a valid polygon" in error["msg"] and "Self-intersection" in error["msg"]
    city = City.objects.get(pk=world.city.pk)
    assert (city.population, city.boundary) == (100_000, None)  # nothing partial


def test_list_queries_stay_flat(client, world):
    few_cities = count_queries(client, "/api/cities")
    few_networks = count_queries(client, "/api/networks")
    for n in range(8):
        make_city(world.network, f"x{n}")
    assert count_queries(client, "/api/cities") == few_cities
    assert count_queries(client, "/api/networks") == few_networks
    bigger, smaller = "/api/networks/net-a", "/api/networks/net-b"
    assert count_queries(client, bigger) == count_queries(client, smaller)
