"""Funder proposals: generated from the intervention's risks and studies, editable, exported
as DOCX (reopened with python-docx) and PDF (pdftotext gives back the Thai text), visibility
checked before any document is built, submissions tracked."""
import io
import subprocess

import pytest
from django.urls import reverse

from apps.strategies.funding import generate
from apps.strategies.funding_models import FunderProposal, FunderSubmission
from apps.strategies.models import Intervention

THAI = "ขุดลอกและขยายท่อระบายน้ำเขตเมืองเก่า"


@pytest.fixture
def intervention(world, strategy):
    from apps.studies.models import SectorStudy

    i = Intervention.objects.create(strategy=strategy, title_th=THAI,
                                    title_en="Dredge the old town's drains",
                                    description_th="ขุดลอกท่อ 12 กิโลเมตร", cost=1500000)
    i.risks.add(world.flood)
    study = SectorStudy.objects.create(assessment=world.flood.assessment, title_th="ระบายน้ำ",
                                       sector="drainage")
    first = study.start(None)
    first.findings_th = "ท่อระบายน้ำรับน้ำได้เพียงครึ่งของฝนรอบ 10 ปี"
    first.save()
    first.risks.set([world.flood])
    first.sign_off(None)
    return i


def test_generated_from_risks_and_studies(world, intervention):
    proposal = generate(intervention, None)
    assert world.flood.justification_th in proposal.problem_th
    assert "ท่อระบายน้ำรับน้ำได้เพียงครึ่ง" in proposal.problem_th
    assert proposal.budget == 1500000
    assert proposal.title_en == "Dredge the old town's drains"
    assert proposal.logframe["th"]["activities"]["summary"] == "ขุดลอกท่อ 12 กิโลเมตร"
    assert "Reduce the risk of Flood" in proposal.objectives_en


def test_docx_reopened_contains_the_thai_text_and_cs_font(client, world, intervention):
    from docx import Document

    proposal = generate(intervention, None)
    client.force_login(world.user("coordinator"))
    response = client.get(reverse("strategies:proposal-docx",
                                  args=[world.city.slug, proposal.pk]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert THAI in text and world.flood.justification_th in text
    cells = [c.text for row in document.tables[0].rows for c in row.cells]
    assert "ขุดลอกท่อ 12 กิโลเมตร" in cells
    assert 'w:cs="TH Sarabun New"' in document.styles["Normal"].element.xml


def test_pdf_text_is_the_thai_source(client, world, intervention):
    proposal = generate(intervention, None)
    client.force_login(world.user("coordinator"))
    response = client.get(reverse("strategies:proposal-pdf", args=[world.city.slug, proposal.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=response.content,
                          capture_output=True, check=True).stdout.decode()
    assert THAI in text
    assert "ท่อระบายน้ำรับน้ำได้เพียงครึ่งของฝนรอบ 10 ปี" in text


def test_strategy_pdf_text_is_the_thai_source(client, world, intervention):
    client.force_login(world.user("coordinator"))
    response = client.get(reverse("strategies:pdf", args=[world.city.slug]))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=response.content,
                          capture_output=True, check=True).stdout.decode()
    assert "เชียงรายเมืองที่ปรับตัวได้" in text and f"1. {THAI}" in text


@pytest.mark.parametrize("name", ["proposal", "proposal-docx", "proposal-pdf"])
def test_documents_of_a_draft_are_404_to_others(client, world, intervention, name,
                                                monkeypatch):
    built = []
    monkeypatch.setattr("apps.events.pdf.html_to_pdf", lambda html: built.append(1) or b"%PDF")
    proposal = generate(intervention, None)
    client.force_login(world.user("outsider"))
    assert client.get(reverse(f"strategies:{name}",
                              args=[world.city.slug, proposal.pk])).status_code == 404
    assert built == []


def test_edit_and_track_submissions(client, world, intervention):
    proposal = generate(intervention, None)
    client.force_login(world.user("coordinator"))
    url = reverse("strategies:proposal-edit", args=[world.city.slug, proposal.pk])
    data = {"title_th": "ข้อเสนอขอทุน", "budget": "1200000",
            "lf_th_goal_summary": "เมืองรับมือน้ำท่วมได้"}
    assert client.post(url, data).status_code == 302
    proposal.refresh_from_db()
    assert proposal.title_th == "ข้อเสนอขอทุน"
    assert proposal.logframe["th"]["goal"]["summary"] == "เมืองรับมือน้ำท่วมได้"
    add = reverse("strategies:submission-add", args=[world.city.slug, proposal.pk])
    client.post(add, {"funder": "มูลนิธิ", "status": "approved", "submitted_on": "01/06/2567"},
                HTTP_ACCEPT_LANGUAGE="en")
    assert not FunderSubmission.objects.exists()  # a decision needs its date
    client.post(add, {"funder": "มูลนิธิ", "status": "approved", "amount": "1200000",
                      "submitted_on": "01/06/2567", "decided_on": "01/09/2567"})
    submission = FunderSubmission.objects.get()
    assert submission.decided_on.year == 2024 and submission.status == "approved"
    page = client.get(reverse("strategies:proposal", args=[world.city.slug, proposal.pk]))
    assert "มูลนิธิ" in page.content.decode()
    assert FunderProposal.objects.count() == 1
