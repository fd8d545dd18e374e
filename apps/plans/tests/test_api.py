import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.testing import make_plan
from apps.plans.models import PlanTemplate



def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_plan_list_and_detail(client, world):
    body = client.get("/api/plans").json()
    assert [p["code"] for p in body["items"]] == ["test-plan"]
    detail = client.get(f"/api/plans/{world.plan.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    first, second = detail["activities"][:2]
    assert (first["number"], first["name"], first["prerequisites"]) == (1, "Activity 1", [])
    assert second["prerequisites"] == [1]
    assert second["network_wide"] is True
    assert second["leads"] == [{"value": "municipality", "label": "Municipality"}]
    assert (second["window_start"], second["window_end"]) == ("2010-01-01", "2010-01-31")
    assert "participant_cap" in second and "cap_per_city" in second


def test_drafts_only_for_the_owner_networks_coordinator(client, world):
    draft = make_plan(code="draft-plan")
    PlanTemplate.objects.filter(pk=draft.pk).update(status="draft", owner=world.network)
    assert client.get(f"/api/plans/{draft.pk}").status_code == 404
    client.force_login(world.user("stranger"))
    assert client.get(f"/api/plans/{draft.pk}").status_code == 404
    client.force_login(world.user("national"))
    assert client.get(f"/api/plans/{draft.pk}").status_code == 200
    assert client.get("/api/plans").json()["count"] == 2


def test_unknown_plan_is_404(client, db):
    response = client.get("/api/plans/999", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "Unknown plan: 999."}


def test_queries_stay_flat(client, world):
    small = make_plan(code="small", activities=2)
    large = make_plan(code="large", activities=10)
    small_url, large_url = f"/api/plans/{small.pk}", f"/api/plans/{large.pk}"
    assert count_queries(client, small_url) == count_queries(client, large_url)
    few = count_queries(client, "/api/plans")
    for n in range(8):
        make_plan(code=f"more-{n}", activities=1)
    assert count_queries(client, "/api/plans") == few
