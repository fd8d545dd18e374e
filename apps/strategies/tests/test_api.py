"""The API: lists and details by visibility; another city's risk refused with a message."""
import pytest

from apps.strategies.models import Intervention


def test_api_add_intervention_refuses_another_citys_risk(client, world, strategy):
    client.force_login(world.user("coordinator"))
    response = client.post(f"/api/strategies/{strategy.pk}/interventions", {
        "title_th": "ขุดลอก", "risks": [world.flood.pk, world.far_risk.pk]},
        content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert "another city" in response.content.decode()
    assert not Intervention.objects.exists()
    response = client.post(f"/api/strategies/{strategy.pk}/interventions", {
        "title_th": "ขุดลอก", "risks": [world.flood.pk], "characteristics": ["redundancy"]},
        content_type="application/json")
    assert response.status_code == 201
    assert response.json()["risks"] == [world.flood.pk]


def test_api_detail_shows_gaps_and_hides_drafts(client, world, strategy):
    assert client.get(f"/api/strategies/{strategy.pk}").status_code == 404
    client.force_login(world.user("member"))
    data = client.get(f"/api/strategies/{strategy.pk}").json()
    assert data["gap_risks"] == [world.flood.pk, world.haze.pk]
    assert [s["id"] for s in client.get("/api/strategies").json()["items"]] == [strategy.pk]
    client.force_login(world.user("stranger"))
    assert client.get("/api/strategies").json()["items"] == []
