"""The pages: another city's risk refused in the form with a clear message, read-only after
adoption, drafts hidden from other cities, exports checking visibility first, flat queries."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.strategies.models import Intervention

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def url(name, strategy, *args):
    return reverse(f"strategies:{name}", args=[strategy.city.slug, *args])


def test_form_refuses_another_citys_risk_and_saves_nothing(client, world, strategy):
    client.force_login(world.user("coordinator"))
    response = client.post(url("intervention-add", strategy), {
        "title_th": "ขุดลอกคลอง", "risks": [world.flood.pk, world.far_risk.pk]}, **EN)
    assert response.status_code == 400
    assert "belongs to another city" in response.content.decode()
    assert not Intervention.objects.exists()


def test_form_adds_an_intervention_with_be_years_and_scores(client, world, strategy):
    client.force_login(world.user("coordinator"))
    response = client.post(url("intervention-add", strategy), {
        "title_th": "ขุดลอกคลอง", "risks": [world.flood.pk], "cost": "2500000",
        "start_year": "2567", "end_year": "2569", "funding_source": "municipal",
        "characteristics": ["redundancy", "safe_failure"],
        "feas_technical": "4", "feas_financial": "3", "feas_political_social": "5"})
    assert response.status_code == 302
    i = Intervention.objects.get()
    assert (i.start_year, i.end_year) == (2024, 2026)
    assert i.feasibility == {"technical": 4, "financial": 3, "political_social": 5}
    assert list(i.risks.all()) == [world.flood]
    page = client.get(url("detail", strategy), **EN).content.decode()
    assert "ขุดลอกคลอง" in page and "2567–2569" not in page  # English page: CE years
    assert "2024–2026" in page


def test_form_refuses_years_out_of_range_and_reversed(client, world, strategy):
    client.force_login(world.user("coordinator"))
    response = client.post(url("intervention-add", strategy), {
        "title_th": "x", "start_year": "2570", "end_year": "2567"}, **EN)
    assert response.status_code == 400 and "end year is before" in response.content.decode()
    response = client.post(url("intervention-add", strategy), {
        "title_th": "x", "start_year": "1800"}, **EN)
    assert response.status_code == 400 and "between 2000 and 2100" in response.content.decode()
    assert not Intervention.objects.exists()


def test_gap_disappears_when_an_intervention_covers_the_risk(client, world, strategy):
    client.force_login(world.user("coordinator"))
    page = client.get(url("detail", strategy), **EN).content.decode()
    assert f'data-risk="{world.haze.pk}"' in page
    client.post(url("intervention-add", strategy), {"title_th": "หน้ากาก",
                                                     "risks": [world.haze.pk]})
    page = client.get(url("detail", strategy), **EN).content.decode()
    assert f'data-risk="{world.haze.pk}"' not in page
    assert f'data-risk="{world.flood.pk}"' in page


def test_adopted_strategy_refuses_edits_until_a_new_version(client, world, strategy):
    client.force_login(world.user("coordinator"))
    client.post(url("status", strategy), {"status": "submitted"})
    evidence = SimpleUploadedFile("resolution.pdf", b"%PDF-1.4 resolution")
    response = client.post(url("status", strategy), {
        "status": "adopted", "decided_on": "01/03/2567", "evidence": evidence})
    strategy.refresh_from_db()
    assert strategy.status == "adopted", response
    assert strategy.decided_on.year == 2024
    response = client.post(url("intervention-add", strategy), {"title_th": "ใหม่"}, **EN)
    assert response.status_code == 302 and not Intervention.objects.exists()
    response = client.post(url("edit", strategy), {"vision_th": "แก้"})
    strategy.refresh_from_db()
    assert strategy.vision_th == "เชียงรายเมืองที่ปรับตัวได้"
    client.post(url("new-version", strategy))
    client.post(url("intervention-add", strategy), {"title_th": "ใหม่"})
    assert Intervention.objects.count() == 1


def test_evidence_is_checked_by_content(client, world, strategy):
    client.force_login(world.user("coordinator"))
    client.post(url("status", strategy), {"status": "submitted"})
    fake = SimpleUploadedFile("resolution.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(url("status", strategy), {
        "status": "adopted", "decided_on": "01/03/2567", "evidence": fake}, **EN, follow=True)
    strategy.refresh_from_db()
    assert strategy.status == "submitted"
    assert "is not a PDF" in response.content.decode()


@pytest.mark.parametrize("user, status", [(None, 404), ("outsider", 404), ("stranger", 404),
                                          ("member", 200), ("national", 200)])
def test_draft_visible_only_to_the_citys_readers(client, world, strategy, user, status,
                                                 monkeypatch):
    monkeypatch.setattr("apps.events.pdf.html_to_pdf", lambda html: b"%PDF-1.4 test")
    if user:
        client.force_login(world.user(user))
    for name in ("detail", "ranking", "versions", "pdf"):
        assert client.get(url(name, strategy)).status_code == status, name


def test_published_strategy_is_public_but_not_editable(client, world, strategy):
    strategy.published = True
    strategy.save()
    assert client.get(url("detail", strategy)).status_code == 200
    client.force_login(world.user("outsider"))
    assert client.get(url("intervention-add", strategy)).status_code == 403
    assert client.post(url("edit", strategy), {"vision_th": "x"}).status_code == 403


def _interventions(strategy, world, n):
    for k in range(n):
        i = Intervention.objects.create(strategy=strategy, title_th=f"มาตรการ {k}",
                                        characteristics=["redundancy"],
                                        feasibility={"technical": 1 + k % 5})
        i.risks.add(world.flood if k % 2 else world.haze)
        i.agencies.add(world.organisation)


@pytest.mark.parametrize("name", ["detail", "ranking"])
def test_flat_query_count(client, world, strategy, name):
    client.force_login(world.user("coordinator"))
    counts = []
    for n in (10, 100):
        Intervention.objects.all().delete()
        _interventions(strategy, world, n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(name, strategy)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_ranking_page_sends_chart_data_without_inline_script(client, world, strategy):
    _interventions(strategy, world, 3)
    client.force_login(world.user("coordinator"))
    page = client.get(url("ranking", strategy)).content.decode()
    assert 'id="strategy-chart-data"' in page and "strategies/ranking.js" in page
    assert '"points": [{"x": 5.0' in page or '"x":' in page
