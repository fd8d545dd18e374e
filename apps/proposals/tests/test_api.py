"""The proposals API: calls, the ranking, proposals and evaluators' draft scores."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import ApiToken, Role
from apps.proposals.models import Score
from apps.proposals.testing import (
    make_call, make_evaluator, make_organisation, make_proposal, make_user, score_all,
)

pytestmark = pytest.mark.django_db


def headers(user, language="en"):
    _token, key = ApiToken.issue(user, "t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": language}


def post(client, path, body, h):
    return client.post(path, body, content_type="application/json", **h)


@pytest.fixture
def closed(world):
    """A closed call, two eligible proposals, `expert` assigned and declared (not scored)."""
    call = make_call(world.city, open=False, criteria=((2, 1, 5), (1, 0, 10)))
    org = make_organisation(world.city, "มูลนิธิรักษ์น้ำ")
    first = make_proposal(call, world.user("proponent"), org, title="ระบายน้ำชุมชน")
    second = make_proposal(call, world.user("proponent"), org, title="ต้นไม้ริมทาง")
    evaluator = make_evaluator(call, world.user("expert"))
    evaluator.declare({first.pk: (False, ""), second.pk: (False, "")})
    call.first, call.second, call.evaluator = first, second, evaluator
    return call


def test_published_calls_are_listed_for_everyone_drafts_for_the_city(client, world, closed):
    draft = make_call(world.city, published=False)
    anonymous = client.get("/api/calls").json()
    assert [c["id"] for c in anonymous["items"]] == [closed.pk]
    item = anonymous["items"][0]
    assert item["phase"] == "closed" and item["city"] == world.city.slug
    assert item["title"] == "เปิดรับข้อเสนอโครงการนำร่อง"  # Thai by default
    ids = {c["id"] for c in client.get("/api/calls", **headers(world.user("coordinator")))
           .json()["items"]}
    assert ids == {closed.pk, draft.pk}
    assert client.get(f"/api/calls/{draft.pk}").status_code == 404


def test_call_detail_has_criteria_rules_and_iso_dates(client, world, closed):
    body = client.get(f"/api/calls/{closed.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["title"] == "Call for pilot projects"
    assert [(c["name_en"], c["weight"], c["scale_min"], c["scale_max"])
            for c in body["criteria"]] == [("Criterion 1", "2.0000", 1, 5),
                                           ("Criterion 2", "1.0000", 0, 10)]
    assert body["rules"][0]["text_th"] == "เป็นหน่วยงานในพื้นที่"
    assert body["closes_at"].startswith(closed.closes_at.isoformat()[:19])  # ISO 8601, UTC
    assert body["quota"] == 2 and body["budget_ceiling"] == "500000.00"
    assert body["phase"] == "closed"


def test_the_ranking_follows_the_ranking_page(client, world, closed):
    score_all(closed.evaluator, {closed.first.pk: [5, 8], closed.second.pk: [2, 3]})
    url = f"/api/calls/{closed.pk}/ranking"
    assert client.get(url).status_code == 401
    refused = client.get(url, **headers(world.user("proponent")))
    assert refused.status_code == 403
    assert "ranking" in refused.json()["detail"]
    body = client.get(url, **headers(world.user("coordinator"))).json()
    assert [r["proposal"] for r in body["rows"]] == [closed.first.pk, closed.second.pk]
    assert [r["rank"] for r in body["rows"]] == [1, 2]
    assert body["rows"][0]["scores"] == [5.0, 8.0] and body["frozen"] is False
    assert body["margins"][0]["above"] == closed.first.pk and body["margins"][0]["message"]
    topsis = client.get(url + "?method=topsis", **headers(world.user("expert"))).json()
    assert topsis["method"] == "topsis"
    assert client.get("/api/calls/999999/ranking", **headers(world.user("coordinator"))
                      ).status_code == 404


def test_ties_are_reported_with_their_explanation(client, world, closed):
    score_all(closed.evaluator, {closed.first.pk: [4, 5], closed.second.pk: [4, 5]})
    body = client.get(f"/api/calls/{closed.pk}/ranking",
                      **headers(world.user("coordinator"))).json()
    assert [r["rank"] for r in body["rows"]] == [1, 1]
    assert len(body["ties"]) == 1 and body["ties"][0]["resolved"] is False
    assert set(body["ties"][0]["proposals"]) == {closed.first.pk, closed.second.pk}
    assert "same total" in body["ties"][0]["message"]


def test_proposals_are_listed_for_those_who_may_read_them(client, world, closed):
    assert client.get("/api/proposals").status_code == 401
    mine = client.get("/api/proposals", **headers(world.user("proponent"))).json()
    assert {p["id"] for p in mine["items"]} == {closed.first.pk, closed.second.pk}
    assert mine["items"][0]["budget_requested"] == "200000.00"
    assert client.get("/api/proposals", **headers(world.user("outsider"))).json()["count"] == 0
    assert client.get("/api/proposals", **headers(world.user("expert"))).json()["count"] == 2
    # Funders read proposals only once they are shortlisted.
    assert client.get("/api/proposals", **headers(world.user("funder"))).json()["count"] == 0


def test_proposal_detail_is_404_to_those_who_may_not_read_it(client, world, closed):
    url = f"/api/proposals/{closed.first.pk}"
    assert client.get(url).status_code == 401
    missing = client.get(url, **headers(world.user("outsider")))
    assert missing.status_code == 404 and missing.json()["detail"] == (
        "This proposal does not exist or is not yours to read.")
    body = client.get(url, **headers(world.user("proponent"))).json()
    assert body["title_th"] == "ระบายน้ำชุมชน" and body["budget_lines"][0]["amount"] == "200000.00"
    assert body["indicators"][0]["target"] == "100" and body["screening"] == []


def test_an_evaluator_saves_draft_scores(client, world, closed):
    c1, c2 = closed.criteria.all()
    url = f"/api/proposals/{closed.first.pk}/scores"
    h = headers(world.user("expert"))
    saved = post(client, url, {"scores": [{"criterion": c1.pk, "value": 4, "comment": "ดี"},
                                          {"criterion": c2.pk, "value": 7}]}, h)
    assert saved.status_code == 200, saved.content
    assert saved.json() == {"proposal": closed.first.pk, "submitted": False, "scores": [
        {"criterion": c1.pk, "value": 4, "comment": "ดี"},
        {"criterion": c2.pk, "value": 7, "comment": ""}]}
    again = post(client, url, {"scores": [{"criterion": c1.pk, "value": 2}]}, h)
    assert again.status_code == 200
    assert Score.objects.get(evaluator=closed.evaluator, proposal=closed.first,
                             criterion=c1).value == 2


def test_bad_scores_are_400_naming_the_criterion_in_the_callers_language(client, world, closed):
    c1, _c2 = closed.criteria.all()
    url = f"/api/proposals/{closed.first.pk}/scores"
    bad = post(client, url, {"scores": [{"criterion": c1.pk, "value": 9},
                                        {"criterion": 424242, "value": 1}]},
               headers(world.user("expert")))
    assert bad.status_code == 400
    detail = bad.json()["detail"]
    assert detail[0] == {"loc": ["body", "scores", 0, "value"],
                         "msg": "The score for “Criterion 1” must be between 1 and 5."}
    assert detail[1]["loc"] == ["body", "scores", 1, "criterion"] and "424242" in detail[1]["msg"]
    thai = post(client, url, {"scores": [{"criterion": c1.pk, "value": 9}]},
                headers(world.user("expert"), "th"))
    assert "เกณฑ์ 1" in thai.json()["detail"][0]["msg"]
    assert not Score.objects.exists()


def test_scoring_is_refused_by_role_and_by_the_rules(client, world, closed):
    c1, _c2 = closed.criteria.all()
    body = {"scores": [{"criterion": c1.pk, "value": 3}]}
    url = f"/api/proposals/{closed.first.pk}/scores"
    assert post(client, url, body, {}).status_code == 401
    assert post(client, url, body, headers(world.user("coordinator"))).status_code == 403
    assert post(client, url, body, headers(world.user("outsider"))).status_code == 404
    # Own organisation: the rule refuses it, with the model's message.
    org_user = make_user("judge", world.city, Role.EXPERT,
                         organisation=closed.first.organisation)
    own = make_evaluator(closed, org_user, organisation=closed.first.organisation)
    own.declare({closed.first.pk: (False, ""), closed.second.pk: (False, "")})
    refused = post(client, url, body, headers(org_user))
    # Conflicted evaluators do not read the proposal at all: 404 like for a missing one.
    assert refused.status_code == 404
    assert not Score.objects.exists()


def test_lists_take_the_same_queries_for_more_rows(client, world, closed):
    h = headers(world.user("proponent"))
    client.get("/api/calls", **h)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/calls", **h)
        client.get("/api/proposals", **h)
    org = make_organisation(world.city, "ชมรมอาสา")
    for i in range(5):
        make_call(world.city, open=False)
        make_proposal(closed, world.user("proponent"), org, title=f"โครงการ {i}")
    with CaptureQueriesContext(connection) as many:
        client.get("/api/calls", **h)
        client.get("/api/proposals", **h)
    assert len(many) == len(few)
