"""Searching and filtering the library, pages and API alike; drafts never leak."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.testing import PASSWORD
from apps.practices.models import Practice
from apps.practices.tests.helpers import make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(world):
    far = world.far_city
    far.country = "VN"
    far.save()
    return {
        "risk": make_practice(world.other_city, "การประเมินความเสี่ยงน้ำท่วมระดับชุมชน",
                              title_en="Community flood risk assessment",
                              hazards=["flood"], sectors=["drainage"]),
        "warning": make_practice(world.city, "ระบบเตือนภัยน้ำท่วมล่วงหน้าโดยชุมชน",
                                 title_en="Community-based flood early warning",
                                 problem_th="ชุมชนริมคลองมีความเสี่ยงสูงเมื่อฝนตกหนัก",
                                 hazards=["flood", "flash_flood"], sectors=["communications"]),
        "haze": make_practice(far, "ลดหมอกควันจากการเผาในที่โล่ง",
                              title_en="Reducing haze from open burning",
                              hazards=["haze"], sectors=["health"]),
        "draft": make_practice(world.other_city, "ร่างแผนลดความเสี่ยงภัยแล้ง", status="draft",
                               title_en="Draft drought risk plan", hazards=["drought"]),
    }


def titles(response):
    return [p.title_th for p in response.context["practices"]]


def test_thai_word_is_found_inside_a_long_thai_phrase(client, library):
    response = client.get("/practices/", {"q": "ความเสี่ยง"})
    # The title match ranks first; the body-only match follows; the draft stays hidden.
    assert titles(response) == ["การประเมินความเสี่ยงน้ำท่วมระดับชุมชน",
                                "ระบบเตือนภัยน้ำท่วมล่วงหน้าโดยชุมชน"]


def test_part_of_a_word_does_not_match(client, library):
    assert titles(client.get("/practices/", {"q": "สี่ย"})) == []


def test_all_words_must_match(client, library):
    assert titles(client.get("/practices/", {"q": "ความเสี่ยง ระดับ"})) == [
        "การประเมินความเสี่ยงน้ำท่วมระดับชุมชน"]
    assert titles(client.get("/practices/", {"q": "น้ำท่วม หมอกควัน"})) == []


def test_english_query_is_case_insensitive(client, library):
    assert titles(client.get("/practices/", {"q": "Early WARNING"})) == [
        "ระบบเตือนภัยน้ำท่วมล่วงหน้าโดยชุมชน"]
    assert titles(client.get("/practices/", {"q": "tsunami"})) == []


def test_filters(client, world, library):
    assert titles(client.get("/practices/", {"hazard": "haze"})) == ["ลดหมอกควันจากการเผาในที่โล่ง"]
    assert set(titles(client.get("/practices/", {"sector": "drainage"}))) == {
        "การประเมินความเสี่ยงน้ำท่วมระดับชุมชน"}
    assert titles(client.get("/practices/", {"city": world.city.slug})) == [
        "ระบบเตือนภัยน้ำท่วมล่วงหน้าโดยชุมชน"]
    assert titles(client.get("/practices/", {"country": "VN"})) == ["ลดหมอกควันจากการเผาในที่โล่ง"]
    assert len(titles(client.get("/practices/", {"country": "TH", "q": "น้ำท่วม"}))) == 2
    # A bad filter value from an old link is ignored rather than an error page.
    assert client.get("/practices/", {"hazard": "lava"}).status_code == 200


def test_the_city_is_typed_in_either_language(client, world, library):
    """A national network has thousands of cities: the city filter is typed, part of the
    name in Thai or English (or the slug from a link)."""
    warning = ["ระบบเตือนภัยน้ำท่วมล่วงหน้าโดยชุมชน"]
    assert titles(client.get("/practices/", {"city": "เมือง a1"})) == warning
    assert titles(client.get("/practices/", {"city": " city A1 "})) == warning
    assert titles(client.get("/practices/", {"city": "nowhere"})) == []


def test_new_practice_buttons_give_way_to_the_city_page_for_many_cities(client, world):
    """A city coordinator gets a button for their city; the national coordinator of a network
    of many cities is sent to a city's page instead of a row of thousands of buttons."""
    from apps.core.testing import make_city

    client.login(username="coordinator", password=PASSWORD)
    page = client.get("/practices/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"/c/{world.city.slug}/practices/new/" in page
    for n in range(6):
        make_city(world.network, f"extra-{n}")
    client.login(username="national", password=PASSWORD)
    page = client.get("/practices/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "practices/new/" not in page
    assert "open the city's page" in page


@pytest.mark.parametrize("name", ["anonymous", "coordinator", "outsider", "stranger"])
def test_a_draft_appears_only_to_its_city_and_national_coordinator(client, world, library, name):
    if name != "anonymous":
        client.login(username=name, password=PASSWORD)
    found = "ร่างแผนลดความเสี่ยงภัยแล้ง" in titles(client.get("/practices/", {"q": "ความเสี่ยง"}))
    api = client.get("/api/practices", {"q": "ความเสี่ยง"}).json()
    in_api = library["draft"].pk in [item["id"] for item in api["items"]]
    sees = name == "outsider"  # the draft is city A2's, whose coordinator is `outsider`
    assert found is sees and in_api is sees


def test_national_coordinator_filters_by_status(client, world, library):
    client.login(username="national", password=PASSWORD)
    assert titles(client.get("/practices/", {"status": "draft"})) == ["ร่างแผนลดความเสี่ยงภัยแล้ง"]


def test_api_search_filters_and_detail(client, world, library):
    data = client.get("/api/practices", {"q": "ความเสี่ยง"}).json()
    assert [item["title_th"] for item in data["items"]] == [
        "การประเมินความเสี่ยงน้ำท่วมระดับชุมชน", "ระบบเตือนภัยน้ำท่วมล่วงหน้าโดยชุมชน"]
    assert data["items"][0]["rank"] == 1 and data["count"] == 2
    assert client.get("/api/practices", {"hazard": "haze"}).json()["items"][0]["country"] == "VN"
    assert client.get("/api/practices", {"hazard": "lava"}).status_code == 422
    detail = client.get(f"/api/practices/{library['risk'].pk}").json()
    assert detail["city"] == world.other_city.slug and detail["hazards"] == ["flood"]
    assert client.get(f"/api/practices/{library['draft'].pk}").status_code == 404


def test_pagination(client, world):
    for n in range(25):
        make_practice(world.city, f"แนวปฏิบัติที่ {n} น้ำท่วม")
    first = client.get("/practices/", {"q": "น้ำท่วม"})
    assert len(first.context["practices"]) == 20 and first.context["page"].paginator.count == 25
    assert len(client.get("/practices/", {"q": "น้ำท่วม", "page": 2}).context["practices"]) == 5


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def test_library_and_api_query_counts_stay_flat(client, world):
    client.login(username="national", password=PASSWORD)
    for n in range(10):
        make_practice(world.city, f"แนวปฏิบัติ {n} ความเสี่ยง", hazards=["flood"])
    small = [count_queries(client, "/practices/", {"q": "ความเสี่ยง"}),
             count_queries(client, "/api/practices", {"q": "ความเสี่ยง"})]
    Practice.objects.bulk_create([
        Practice(city=world.other_city, title_th=f"เพิ่ม {n}", status="published",
                 published_at=Practice.objects.first().published_at,
                 search_tokens=" เพิ่ม ความเสี่ยง ", facets=" hz:flood ") for n in range(90)])
    large = [count_queries(client, "/practices/", {"q": "ความเสี่ยง"}),
             count_queries(client, "/api/practices", {"q": "ความเสี่ยง"})]
    assert small == large
