"""The assessment workspace as its users drive it: start from SLD 1, rate risks and
vulnerabilities, publish."""
import pytest
from django.urls import reverse

from apps.assessments.models import (
    Assessment, AssessmentChange, RiskRating, ScopeGroup, VulnerabilityRating,
)
from apps.core.testing import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, world, name):
    assert client.login(username=name, password=PASSWORD)
    return client


def url(name, city, *args):
    return reverse(f"assessments:{name}", args=[city.slug, *args])


RISK = {"hazard": "flood", "system": "drainage", "likelihood": "4", "consequence": "5",
        "justification_th": "ท่อระบายน้ำรับน้ำฝนหนักไม่ได้", "evidence": "บันทึกน้ำท่วม 2554"}


def test_an_expert_starts_the_assessment_and_readers_only_see_it_once_started(client, world):
    city = world.city
    login(client, world, "member")
    assert client.get(url("overview", city)).status_code == 404
    login(client, world, "expert")
    page = client.get(url("overview", city))
    assert page.status_code == 200 and "Start the assessment" in page.content.decode() \
        or "เริ่มการประเมิน" in page.content.decode()
    response = client.post(url("start", city))
    assert response.status_code == 302
    assessment = Assessment.objects.get(city=city)
    assert assessment.created_by == world.user("expert")
    login(client, world, "member")
    assert client.get(url("overview", city)).status_code == 200
    client.logout()
    assert client.get(url("overview", city)).status_code == 404  # unpublished


def test_rating_a_risk_and_rating_it_again_keeps_the_history(client, world, assessment):
    login(client, world, "expert")
    assert client.post(url("rate-risk", world.city), RISK).status_code == 302
    rating = RiskRating.objects.get(assessment=assessment)
    assert (rating.score, rating.rated_by) == (20, world.user("expert"))
    client.post(url("rate-risk", world.city), {**RISK, "likelihood": "2", "consequence": "2"})
    rating.refresh_from_db()
    assert rating.score == 4 and RiskRating.objects.count() == 1
    details = list(AssessmentChange.objects.filter(action="rate").values_list("detail", flat=True))
    assert any("4×5 → 2×2" in d for d in details)
    page = client.get(url("risks", world.city)).content.decode()
    assert "ท่อระบายน้ำรับน้ำฝนหนักไม่ได้" in page and "lvl-low" in page


def test_a_bad_rating_says_which_field_and_saves_nothing(client, world, assessment):
    login(client, world, "expert")
    response = client.post(url("rate-risk", world.city),
                           {**RISK, "likelihood": "6", "justification_th": ""},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"likelihood", "justification_th"}
    assert not RiskRating.objects.exists()


def test_thai_is_the_default_language_of_errors(client, world, assessment):
    login(client, world, "expert")
    response = client.post(url("rate-risk", world.city), {**RISK, "justification_th": ""})
    assert "ฟิลด์นี้จำเป็น" in response.content.decode()


def test_rating_a_groups_vulnerability(client, world, assessment):
    group = ScopeGroup.objects.create(assessment=assessment, name_th="ผู้ป่วยติดเตียง")
    login(client, world, "expert")
    response = client.post(url("rate-vulnerability", world.city), {
        "target": f"group:{group.pk}", "exposure": "4", "sensitivity": "5",
        "capacity_agents": "2", "capacity_institutions": "3",
        "characteristics": ["responsiveness", "information"]})
    assert response.status_code == 302
    rating = VulnerabilityRating.objects.get()
    assert (rating.group, str(rating.index), rating.characteristics) == (
        group, "4.17", ["responsiveness", "information"])


def test_a_group_of_another_assessment_cannot_be_rated(client, world, assessment):
    other = Assessment.objects.create(city=world.other_city)
    group = ScopeGroup.objects.create(assessment=other, name_th="อื่น")
    login(client, world, "expert")
    response = client.post(url("rate-vulnerability", world.city), {
        "target": f"group:{group.pk}", "exposure": "4", "sensitivity": "5",
        "capacity_agents": "2", "capacity_institutions": "3"})
    assert response.status_code == 200 and "target" in response.context["form"].errors
    assert not VulnerabilityRating.objects.exists()


def test_scope_records_are_added_once_and_removed(client, world, assessment):
    login(client, world, "expert")
    client.post(url("add", world.city, "hazard"), {"hazard": "heat"})
    response = client.post(url("add", world.city, "hazard"), {"hazard": "heat"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert "This hazard is already in the scope." in response.content.decode()
    hazard = assessment.hazards.get()
    client.post(url("remove", world.city, "hazard", hazard.pk))
    assert not assessment.hazards.exists()


def test_only_the_citys_coordinators_publish(client, world, assessment):
    login(client, world, "expert")
    assert client.post(url("publish", world.city), {"published": "1"}).status_code == 403
    login(client, world, "coordinator")
    assert client.post(url("publish", world.city), {"published": "1"}).status_code == 302
    client.logout()
    assert client.get(url("overview", world.city)).status_code == 200


def test_the_city_page_shows_the_summary(client, world, assessment):
    RiskRating.objects.create(assessment=assessment, hazard="flood", system="drainage",
                              likelihood=5, consequence=4, justification_th="x")
    login(client, world, "member")
    page = client.get(reverse("networks:city", args=[world.city.slug]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="assessment"' in page and "Flood" in page


def test_network_scale_page_changes_thresholds(client, world):
    login(client, world, "national")
    response = client.post(reverse("assessments:scale", args=[world.network.slug]), {
        "risk_medium_from": "4", "risk_high_from": "8", "risk_extreme_from": "15",
        "vulnerability_medium_from": "2", "vulnerability_high_from": "3",
        "vulnerability_extreme_from": "4"})
    assert response.status_code == 302
    bad = client.post(reverse("assessments:scale", args=[world.network.slug]), {
        "risk_medium_from": "9", "risk_high_from": "8", "risk_extreme_from": "15",
        "vulnerability_medium_from": "2", "vulnerability_high_from": "3",
        "vulnerability_extreme_from": "4"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Risk thresholds must increase" in bad.content.decode()
