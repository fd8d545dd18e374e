import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.assessments.models import UrbanSystem
from apps.evaluations.models import Outcome
from apps.evaluations.tests.conftest import make_evaluation, risk

pytestmark = pytest.mark.django_db


def test_list_shows_what_the_caller_may_read(client, world, signed, draft):
    other = make_evaluation(world.other_city, title_th="เมืองอื่น")
    assert client.get("/api/evaluations").json()["items"] == []
    signed.set_published(world.user("coordinator"), True)
    assert [e["id"] for e in client.get("/api/evaluations").json()["items"]] == [signed.pk]
    client.force_login(world.user("member"))
    body = client.get("/api/evaluations", {"city": world.city.slug}).json()
    assert sorted(e["id"] for e in body["items"]) == sorted([signed.pk, draft.pk])
    assert other.pk not in [e["id"] for e in client.get("/api/evaluations").json()["items"]]
    assert client.get("/api/evaluations", {"city": "nowhere"}).status_code == 404


def test_detail_carries_questions_findings_outcomes_recommendations(client, world, signed):
    client.force_login(world.user("member"))
    body = client.get(f"/api/evaluations/{signed.pk}").json()
    assert body["status"] == "signed" and body["signed_off_by"] == "expert"
    assert body["questions"][0]["findings"][0]["rating"] == 3
    assert body["recommendations"][0]["target"] == "strategy"
    assert body["outcomes"] == []
    client.logout()
    assert client.get(f"/api/evaluations/{signed.pk}").status_code == 404


def test_list_queries_stay_flat(client, world):
    client.force_login(world.user("national"))
    counts = []
    for n in (1, 8):
        for i in range(n):
            evaluation = make_evaluation(world.city, title_th=f"ฉบับ {n}-{i}")
            evaluation.evaluators.add(world.user("expert"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/evaluations").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_detail_queries_stay_flat(client, world):
    client.force_login(world.user("national"))
    counts = []
    for n in (1, 10):
        evaluation = make_evaluation(world.city, questions=5, findings=n)
        for i in range(n):
            Outcome.objects.create(evaluation=evaluation, description_th=f"ผล {i}",
                                   risk=risk(world.city, system=UrbanSystem.values[i])
                                   if n == 10 else None)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/evaluations/{evaluation.pk}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
