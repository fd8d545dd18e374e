"""Similar practices: other cities' published entries sharing the city's hazards and sectors."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.assessments.models import Assessment, RiskRating
from apps.core.testing import PASSWORD
from apps.practices.similar import similar_for_city
from apps.practices.tests.helpers import make_practice
from apps.studies.models import SectorStudy

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed(world):
    assessment = Assessment.objects.create(city=world.city, published=True)
    RiskRating.objects.create(assessment=assessment, hazard="flood", system="drainage",
                              likelihood=4, consequence=4, justification_th="น้ำท่วมทุกปี")
    SectorStudy.objects.create(assessment=assessment, title_th="สาธารณสุข", sector="health")
    return assessment


def test_ranked_by_overlap_of_hazards_and_sectors(world, assessed):
    both = make_practice(world.other_city, "น้ำท่วมและสุขภาพ", hazards=["flood"],
                         sectors=["health"])
    one = make_practice(world.far_city, "หมอกควันกับสุขภาพ", hazards=["haze"], sectors=["health"])
    make_practice(world.other_city, "ภัยแล้ง", hazards=["drought"], sectors=["food"])
    make_practice(world.city, "ของเมืองเอง", hazards=["flood"], sectors=["health"])
    make_practice(world.other_city, "ร่างน้ำท่วม", status="draft", hazards=["flood"])
    make_practice(world.other_city, "รอเผยแพร่", status="submitted", hazards=["flood"])
    found = similar_for_city(world.city, world.user("coordinator"))
    assert found == [both, one]
    assert [p.overlap for p in found] == [2, 1]
    assert similar_for_city(world.city, world.user("coordinator"), limit=1) == [both]


def test_an_unpublished_assessment_does_not_steer_what_outsiders_see(world, assessed):
    assessed.published = False
    assessed.save()
    make_practice(world.other_city, "น้ำท่วม", hazards=["flood"])
    assert similar_for_city(world.city, world.user("coordinator")) != []
    assert similar_for_city(world.city, None) == []


def test_shown_on_the_assessment_page_and_the_city_page(client, world, assessed):
    make_practice(world.other_city, "ระบบเตือนภัยน้ำท่วมล่วงหน้าโดยชุมชน", hazards=["flood"])
    client.login(username="coordinator", password=PASSWORD)
    overview = client.get(f"/c/{world.city.slug}/assessment/").content.decode()
    assert "similar-practices" in overview and "ระบบเตือนภัยน้ำท่วมล่วงหน้าโดยชุมชน" in overview
    city = client.get(f"/c/{world.city.slug}/").content.decode()
    assert 'id="practices"' in city and "ระบบเตือนภัยน้ำท่วมล่วงหน้าโดยชุมชน" in city


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_is_flat(client, world, assessed):
    client.login(username="coordinator", password=PASSWORD)
    for n in range(5):
        make_practice(world.other_city, f"น้ำท่วม {n}", hazards=["flood"], sectors=["health"])
        make_practice(world.city, f"ของเรา {n}", hazards=["flood"])
    urls = [f"/c/{world.city.slug}/assessment/", f"/c/{world.city.slug}/"]
    small = [_queries(client, url) for url in urls]
    for n in range(45):
        make_practice(world.far_city, f"เพิ่ม {n}", hazards=["flood"], sectors=["health"])
        make_practice(world.city, f"ของเราเพิ่ม {n}", status="draft")
    assert [_queries(client, url) for url in urls] == small
