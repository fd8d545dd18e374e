import pytest

from apps.accounts.models import ApiToken
from apps.studies.models import ImpactLink, ImpactNode

pytestmark = pytest.mark.django_db


def auth(world, name):
    _token, key = ApiToken.issue(world.user(name), "t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": "en"}


def test_graph_with_chains(client, world, assessment, chain):
    body = client.get("/api/cities/a1/impact-graph", **auth(world, "member")).json()
    assert len(body["nodes"]) == 7 and len(body["links"]) == 7
    assert body["chains"][0] == [chain[k].pk for k in
                                 ("flood", "drainage", "roads", "cutoff", "riverbank")]
    assert client.get("/api/cities/a1/impact-graph").status_code == 404  # unpublished


def test_add_nodes_and_links(client, world, assessment):
    headers = auth(world, "expert")
    made = [client.post("/api/cities/a1/impact-graph/nodes", body,
                        content_type="application/json", **headers)
            for body in ({"kind": "hazard", "hazard": "flood"},
                         {"kind": "impact", "text_th": "ท่อล้น", "system": "drainage"})]
    assert [r.status_code for r in made] == [201, 201]
    hazard, impact = (r.json()["id"] for r in made)
    assert made[0].json()["text_en"] == "Flood"
    ok = client.post(f"/api/cities/a1/impact-graph/links/{hazard}/{impact}", {},
                     content_type="application/json", **headers)
    assert ok.status_code == 201 and ok.json()["from_node"] == hazard
    back = client.post(f"/api/cities/a1/impact-graph/links/{impact}/{hazard}", {},
                       content_type="application/json", **headers)
    assert back.status_code == 422 and "cannot lead to" in back.json()["message"]
    wrong = client.post("/api/cities/a1/impact-graph/nodes",
                        {"kind": "consequence", "text_th": "x", "system": "drainage"},
                        content_type="application/json", **headers)
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["body", "system"]
    assert ImpactLink.objects.count() == 1 and ImpactNode.objects.count() == 2


def test_studies_with_rounds(client, world, assessment, study):
    first = study.versions.get()
    first.findings_th = "ผล"
    first.save()
    first.sign_off(world.user("expert"))
    study.draft_for_edit(None)
    headers = auth(world, "member")
    listing = client.get("/api/studies?city=a1", **headers).json()["items"]
    assert listing[0]["latest"]["round"] == 2 and listing[0]["round_count"] == 2
    detail = client.get(f"/api/studies/{study.pk}", **headers).json()
    assert [r["status"] for r in detail["rounds"]] == ["signed", "draft"]
    assert detail["rounds"][0]["signed_by"] == "expert"
    assert client.get("/api/studies").json()["items"] == []
