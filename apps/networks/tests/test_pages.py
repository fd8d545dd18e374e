import datetime as dt

import pytest

from apps.core.testing import PASSWORD, make_city
from apps.progress.models import CityActivity

pytestmark = pytest.mark.django_db


def test_home_goes_to_the_only_network_or_lists_them(client, world):
    response = client.get("/")
    assert response.status_code == 200 and "net-a" in response.content.decode()


def test_dashboard_counts_and_country_filter(client, world):
    make_city(world.network, "vn1", country="VN")
    CityActivity.objects.adopt(world.network, world.plan)
    client.login(username="national", password=PASSWORD)
    response = client.get("/n/net-a/")
    counts = {value: count for value, _label, count in response.context["grid"].status_counts()}
    assert counts["not_started"] == 12  # three programme cities x four activities
    assert [code for code, _ in response.context["countries"]] == ["TH", "VN"]
    filtered = client.get("/n/net-a/?country=VN")
    assert [city.slug for city, _cells, _s in filtered.context["rows"]] == ["vn1"]


def test_dashboard_changes_when_an_activity_is_done(client, world):
    client.login(username="coordinator", password=PASSWORD)
    before = client.get("/n/net-a/").context["grid"]
    CityActivity.objects.get(city=world.city, plan_activity__number=1).complete(
        world.user("coordinator"), on=dt.date(2009, 12, 20))
    after = client.get("/n/net-a/").context["grid"]
    done = lambda grid: dict((v, c) for v, _l, c in grid.status_counts())["done"]
    assert done(after) == done(before) + 1


def test_anonymous_dashboard_shows_only_published_cells(client, world):
    activity = CityActivity.objects.get(city=world.city, plan_activity__number=1)
    activity.set_published(world.user("coordinator"), True)
    grid = client.get("/n/net-a/").context["grid"]
    visible = [cell for city in grid.cities for cell in grid.city_cells(city)]
    assert [cell.activity.pk for cell in visible] == [activity.pk]


def test_city_page_lists_next_blocked_and_late(client, world):
    client.login(username="coordinator", password=PASSWORD)
    response = client.get("/c/a1/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert [c.activity.number for c in response.context["next_up"]] == [1]
    assert [c.activity.number for c in response.context["blocked_cells"]] == [2, 3, 4]
    assert [c.activity.number for c in response.context["late"]] == [1, 2, 3, 4]
    assert "waits for" in response.content.decode()


def test_working_group_size_warning_on_city_page(client, world):
    client.login(username="coordinator", password=PASSWORD)
    response = client.get("/c/a1/", HTTP_ACCEPT_LANGUAGE="en")
    assert "this group has 1" in response.content.decode()


def test_unknown_city_is_404(client, world):
    assert client.get("/c/nowhere/").status_code == 404
    assert client.get("/c/nowhere/activities/1/").status_code == 404


def test_adopt_page_only_for_the_networks_coordinator(client, world):
    client.login(username="coordinator", password=PASSWORD)
    assert client.get("/n/net-a/adopt/").status_code == 403
    client.login(username="stranger", password=PASSWORD)
    assert client.get("/n/net-a/adopt/").status_code == 403
    client.login(username="national", password=PASSWORD)
    response = client.post("/n/net-a/adopt/", {"plan": world.plan.pk, "start": "01/06/2569"})
    assert response.status_code == 302
    assert CityActivity.objects.get(city=world.city, plan_activity__number=1).planned_start == dt.date(2026, 6, 1)


BOWTIE = '{"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}'
SQUARE = '{"type": "Polygon", "coordinates": [[[99.8, 19.9], [99.9, 19.9], [99.9, 20.0], [99.8, 20.0], [99.8, 19.9]]]}'


def city_post(**changes):
    data = {"name_th": "เมืองเอหนึ่ง", "name_en": "A1", "population": "120000",
            "latitude": "19.95", "longitude": "99.85", "boundary": ""}
    data.update(changes)
    return data


def test_city_facts_form_saves_a_valid_boundary(client, world):
    client.login(username="coordinator", password=PASSWORD)
    response = client.post("/c/a1/edit/", city_post(boundary=SQUARE))
    assert response.status_code == 302
    world.city.refresh_from_db()
    assert world.city.boundary["type"] == "Polygon" and world.city.population == 120000


def test_city_facts_form_refuses_a_self_intersecting_boundary(client, world):
    client.login(username="coordinator", password=PASSWORD)
    response = client.post("/c/a1/edit/", city_post(boundary=BOWTIE), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Self-intersection" in response.content.decode()
    world.city.refresh_from_db()
    assert world.city.boundary is None and world.city.population == 100000


def test_city_facts_form_checks_uploaded_files_and_coordinates(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.login(username="coordinator", password=PASSWORD)
    upload = SimpleUploadedFile("area.geojson", BOWTIE.encode())
    response = client.post("/c/a1/edit/", {**city_post(), "boundary_file": upload})
    assert response.status_code == 200 and response.context["form"].errors["boundary_file"]
    response = client.post("/c/a1/edit/", city_post(latitude="95"))
    assert response.status_code == 200 and "latitude" in response.context["form"].errors
    upload = SimpleUploadedFile("area.geojson", SQUARE.encode())
    assert client.post("/c/a1/edit/", {**city_post(), "boundary_file": upload}).status_code == 302
    world.city.refresh_from_db()
    assert world.city.boundary["coordinates"][0][0] == [99.8, 19.9]


def test_not_found_and_not_allowed_pages_speak_the_users_language(client, world):
    response = client.get("/c/nowhere/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and "Not found" in response.content.decode()
    client.login(username="member", password=PASSWORD)
    response = client.post("/c/a1/activities/1/status/", {"action": "start"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403 and "Not allowed" in response.content.decode()
