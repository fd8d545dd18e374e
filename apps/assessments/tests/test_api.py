import pytest

from apps.accounts.models import ApiToken
from apps.assessments.models import RiskRating, ScopeGroup
from apps.assessments.tests.conftest import BOWTIE, SQUARE

pytestmark = pytest.mark.django_db


def headers(world, name, language="en"):
    _token, key = ApiToken.issue(world.user(name), "t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": language}


RISK = {"hazard": "flood", "system": "drainage", "likelihood": 4, "consequence": 5,
        "justification_th": "ท่วมขัง"}


def post(client, path, body, h):
    return client.post(path, body, content_type="application/json", **h)


def test_rating_through_the_api_creates_then_replaces(client, world, assessment):
    h = headers(world, "expert")
    path = f"/api/assessments/{world.city.slug}/risks"
    first = post(client, path, RISK, h)
    assert first.status_code == 201
    assert first.json() | {"id": 0} == {"id": 0, "hazard": "flood", "system": "drainage",
                                        "likelihood": 4, "consequence": 5, "score": 20,
                                        "level": "extreme", "justification_th": "ท่วมขัง",
                                        "justification_en": "", "evidence": ""}
    again = post(client, path, {**RISK, "consequence": 2}, h)
    assert again.status_code == 200 and again.json()["level"] == "medium"
    assert RiskRating.objects.count() == 1


def test_out_of_range_ratings_name_the_field(client, world, assessment):
    response = post(client, f"/api/assessments/{world.city.slug}/risks",
                    {**RISK, "likelihood": 7}, headers(world, "expert"))
    assert response.status_code == 422
    assert ["body", "likelihood"] in [e["loc"] for e in response.json()["detail"]]
    assert not RiskRating.objects.exists()


def test_vulnerability_needs_a_system_or_a_group(client, world, assessment):
    h = headers(world, "expert")
    path = f"/api/assessments/{world.city.slug}/vulnerabilities"
    values = {"exposure": 3, "sensitivity": 3, "capacity_agents": 3, "capacity_institutions": 3}
    group = ScopeGroup.objects.create(assessment=assessment, name_th="เด็ก")
    assert post(client, path, values, h).status_code == 422
    assert post(client, path, {**values, "system": "health", "group": group.pk},
                h).status_code == 422
    created = post(client, path, {**values, "group": group.pk, "characteristics": ["learning"]}, h)
    assert created.status_code == 201 and created.json()["group_name"] == "เด็ก"
    assert created.json()["index"] == 3.0


def test_areas_are_repaired_or_refused_with_where(client, world, assessment):
    h = headers(world, "expert")
    path = f"/api/assessments/{world.city.slug}/areas"
    ok = post(client, path, {"name_th": "โบว์", "hazard": "flood", "geometry": BOWTIE}, h)
    assert ok.status_code == 201 and ok.json()["geometry"]["type"] == "MultiPolygon"
    far = {"type": "Polygon", "coordinates": [[[500, 13], [501, 13], [501, 14], [500, 13]]]}
    bad = post(client, path, {"name_th": "ไกล", "hazard": "flood", "geometry": far}, h)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "geometry"


def test_detail_shows_the_scope_ratings_areas_and_gaps(client, world, assessment):
    RiskRating.objects.create(assessment=assessment, justification_th="x", **{
        k: RISK[k] for k in ("hazard", "system", "likelihood", "consequence")})
    assessment.areas.create(name_th="ก", hazard="flood", geometry=SQUARE)
    assessment.hazards.create(hazard="heat")
    data = client.get(f"/api/assessments/{world.city.slug}", **headers(world, "member")).json()
    assert data["risks"][0]["level"] == "extreme" and data["extreme_count"] == 1
    assert data["areas"][0]["geometry"] == SQUARE
    assert "No risk rated for Heat yet." in data["gaps"]


def test_unpublished_assessments_are_404_to_others_and_published_ones_public(
        client, world, assessment):
    path = f"/api/assessments/{world.city.slug}"
    assert client.get(path).status_code == 404
    assert client.get(path, **headers(world, "outsider")).status_code == 404
    assessment.published = True
    assessment.save()
    assert client.get(path).status_code == 200
    assert [row["city"] for row in client.get("/api/assessments").json()["items"]] == [
        world.city.slug]
    assert post(client, f"{path}/risks", RISK, headers(world, "outsider")).status_code == 403
