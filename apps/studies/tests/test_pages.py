"""The pages as their users meet them: editing the graph through forms (with messages naming
the nodes), writing, signing and revising a study, comparing rounds, and who sees what."""
import pytest
from django.utils import translation

from apps.core.testing import PASSWORD
from apps.studies.models import ImpactLink, ImpactNode, SectorStudy, StudyVersion
from apps.studies.tests.conftest import node

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def login(client, name):
    assert client.login(username=name, password=PASSWORD)


def test_expert_builds_a_chain_through_the_forms(client, world):
    login(client, "expert")
    page = client.get("/c/a1/impact-chains/", **EN)
    assert page.status_code == 200 and "No impact chain recorded yet." in page.content.decode()
    url = "/c/a1/impact-chains/nodes/add/"
    client.post(url, {"kind": "hazard", "hazard": "flood"})  # the assessment starts here
    client.post(url, {"kind": "impact", "text_th": "ท่อระบายน้ำล้น", "system": "drainage"})
    client.post(url, {"kind": "consequence", "text_th": "ถนนถูกตัดขาด"})
    client.post(url, {"kind": "affected", "text_th": "ผู้สูงอายุ"})
    nodes = {n.kind: n for n in ImpactNode.objects.all()}
    assert len(nodes) == 4 and nodes["hazard"].text_en == "Flood"
    for a, b in [("hazard", "impact"), ("impact", "consequence"), ("consequence", "affected")]:
        client.post("/c/a1/impact-chains/links/add/",
                    {"from_node": nodes[a].pk, "to_node": nodes[b].pk})
    page = client.get("/c/a1/impact-chains/", **EN).content.decode()
    assert "1</strong> complete chain" in page and "<svg" in page
    # A backward link is refused with a message naming both nodes; nothing saved.
    response = client.post("/c/a1/impact-chains/links/add/",
                           {"from_node": nodes["affected"].pk, "to_node": nodes["hazard"].pk},
                           **EN)
    text = response.content.decode()
    assert response.status_code == 200 and "cannot lead to" in text
    assert "ผู้สูงอายุ" in text and ImpactLink.objects.count() == 3


def test_wrong_node_link_is_refused_by_field(client, world, assessment):
    login(client, "coordinator")
    response = client.post("/c/a1/impact-chains/nodes/add/",
                           {"kind": "consequence", "text_th": "x", "hazard": "flood"}, **EN)
    assert response.status_code == 200
    assert "cannot have this" in response.content.decode()
    assert not ImpactNode.objects.exists()


def test_new_assessment_is_not_half_made_by_a_bad_node(client, world):
    from apps.assessments.models import Assessment

    login(client, "coordinator")
    client.post("/c/a1/impact-chains/nodes/add/", {"kind": "consequence", "text_th": ""})
    assert not Assessment.objects.exists()


def test_write_sign_revise_and_compare(client, world, assessment):
    login(client, "expert")
    response = client.post("/c/a1/studies/new/", {"title_th": "น้ำท่วมเมือง",
                                                  "sector": "drainage"})
    study = SectorStudy.objects.get()
    assert response.status_code == 302 and study.versions.get().round == 1
    edit = f"/c/a1/studies/{study.pk}/edit/"
    client.post(edit, {"findings_th": "ท่อรับฝนได้ 50 มม.", "recommendations_th": "ขยายท่อ"})
    client.post(f"/c/a1/studies/{study.pk}/rounds/1/sign-off/")
    first = StudyVersion.objects.get(study=study, round=1)
    assert first.status == "signed" and first.signed_by == world.user("expert")
    # Looking at the form changes nothing; saving it makes round 2.
    assert "Saving starts round 2" in client.get(edit, **EN).content.decode()
    assert study.versions.count() == 1
    client.post(edit, {"findings_th": "ท่อรับฝนได้ 45 มม.", "recommendations_th": "ขยายท่อ"})
    assert list(study.versions.values_list("round", "status")) == [(1, "signed"), (2, "draft")]
    first.refresh_from_db()
    assert first.findings_th == "ท่อรับฝนได้ 50 มม."
    page = client.get(f"/c/a1/studies/{study.pk}/?round=1", **EN).content.decode()
    assert "ท่อรับฝนได้ 50 มม." in page and "Signed off by" in page
    compare = client.get(f"/c/a1/studies/{study.pk}/compare/?a=1&b=2").content.decode()
    assert "<del>50</del><ins>45</ins>" in compare
    listing = client.get("/c/a1/studies/", **EN).content.decode()
    assert "Round 2" in listing and "Draft" in listing


def test_readers_see_no_forms_and_outsiders_nothing(client, world, assessment, study, chain):
    login(client, "member")
    chains = client.get("/c/a1/impact-chains/").content.decode()
    assert "<svg" in chains and "nodes/add" not in chains
    assert "/edit/" not in client.get(f"/c/a1/studies/{study.pk}/").content.decode()
    assert client.post(f"/c/a1/studies/{study.pk}/edit/", {"findings_th": "x"}).status_code == 403
    client.logout()
    login(client, "stranger")
    assert client.get("/c/a1/impact-chains/").status_code == 404
    assert client.get(f"/c/a1/studies/{study.pk}/").status_code == 404
    assessment.set_published(None, True)
    assert client.get(f"/c/a1/studies/{study.pk}/").status_code == 200
    assert client.get("/c/a1/impact-chains/graph.svg")["Content-Type"].startswith("image/svg")


def test_a_node_in_a_signed_round_stays(client, world, assessment, study):
    flood = node(assessment, "hazard", "น้ำท่วม")
    first = study.versions.get()
    first.findings_th = "ผล"
    first.save()
    first.nodes.add(flood)
    first.sign_off(None)
    login(client, "coordinator")
    client.post(f"/c/a1/impact-chains/nodes/{flood.pk}/remove/")
    assert ImpactNode.objects.filter(pk=flood.pk).exists()


def test_city_panel(client, world, assessment, study, chain):
    login(client, "coordinator")
    with translation.override("en"):
        page = client.get("/c/a1/", **EN).content.decode()
    assert "Sector studies and impact chains" in page
    assert "2 complete chains" in page and "Flood management" in page
