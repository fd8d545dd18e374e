"""Building a synthesis from the page (the task runs immediately in tests), its three files,
staleness, recommendations and who may see and change what."""
import io
import subprocess

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from apps.core.testing import PASSWORD
from apps.forum.models import ForumSynthesis, PolicyRecommendation
from apps.forum.tests.conftest import assess

pytestmark = pytest.mark.django_db(transaction=False)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _login(client, world, role):
    assert client.login(username=role, password=PASSWORD)


def _build(client, world, title="สังเคราะห์ผลการดำเนินงาน", django_capture_on_commit_callbacks=None):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("forum:new", args=[world.network.slug]),
                               {"title_th": title})
    assert response.status_code == 302
    return ForumSynthesis.objects.get(title_th=title)


def test_build_makes_pdf_docx_xlsx_with_exact_thai(client, world,
                                                   django_capture_on_commit_callbacks):
    assess(world.city, group="ผู้สูงอายุริมน้ำ", area="ชุมชนริมคลอง")
    assess(world.other_city, group="=HYPERLINK(\"http://x\")", area="พื้นที่ลุ่มต่ำ")
    _login(client, world, "national")
    synthesis = _build(client, world,
                       django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert synthesis.status == "done" and synthesis.progress == 100
    assert synthesis.built_at and not synthesis.is_stale()
    progress = client.get(reverse("forum:progress", args=[synthesis.pk])).json()
    assert progress["progress"] == 100 and progress["status"] == "done"

    pdf = b"".join(client.get(reverse("forum:file", args=[synthesis.pk, "pdf"]))
                   .streaming_content)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    for thai in ("สังเคราะห์ผลการดำเนินงาน", "ผู้สูงอายุริมน้ำ", "ชุมชนริมคลอง", "พื้นที่ลุ่มต่ำ",
                 "เครือข่าย เอ"):
        assert thai in text, thai

    docx = b"".join(client.get(reverse("forum:file", args=[synthesis.pk, "docx"]))
                    .streaming_content)
    document = Document(io.BytesIO(docx))
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "ผู้สูงอายุริมน้ำ" in cells and "ชุมชนริมคลอง" in cells
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:cs")) == "TH Sarabun New"
    # The PDF's charts and maps are pictures in the DOCX, each with its caption under it:
    # the stakeholder chart and one map per city with published risk areas.
    assert len(document.inline_shapes) == 3
    captions = _pictures_and_captions(document)
    assert len(captions) == 3
    assert any(world.city.name in caption for caption, _image in captions)
    assert any(world.other_city.name in caption for caption, _image in captions)
    for _caption, image in captions:
        assert image.size[0] > 100 and image.size[1] > 100
        assert image.convert("L").getextrema()[0] < 200  # something is drawn on it
    matrices = [t for t in document.tables if len(t.rows) == 6 and len(t.columns) == 6]
    assert len(matrices) == 2 and matrices[0].rows[2].cells[4].text == "1"  # 4 x 4

    xlsx = b"".join(client.get(reverse("forum:file", args=[synthesis.pk, "xlsx"]))
                    .streaming_content)
    book = load_workbook(io.BytesIO(xlsx))
    assert len(book.sheetnames) >= 8
    values = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
    assert "ผู้สูงอายุริมน้ำ" in values
    assert "'=HYPERLINK(\"http://x\")" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


def _pictures_and_captions(document):
    """(caption under the picture, the picture as a Pillow image) for each picture."""
    from PIL import Image

    paragraphs = document.paragraphs
    found = []
    for index, paragraph in enumerate(paragraphs):
        for blip in paragraph._p.xpath(".//a:blip"):
            part = document.part.related_parts[blip.get(qn("r:embed"))]
            assert len(part.blob) > 0
            caption = paragraphs[index + 1]
            assert caption.style.name == "Caption"
            found.append((caption.text, Image.open(io.BytesIO(part.blob))))
    return found


def test_stale_after_data_changes_and_rebuild(client, world, no_chromium,
                                              django_capture_on_commit_callbacks):
    assessment = assess(world.city)
    _login(client, world, "national")
    synthesis = _build(client, world,
                       django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    page = client.get(reverse("forum:detail", args=[synthesis.pk]), **EN).content.decode()
    assert "The data has changed" not in page
    # Changed without its commit callbacks running (as a bulk path would): stale until the
    # page is viewed, which queues the rebuild and keeps the previous files on offer.
    assessment.risks.create(hazard="storm", system="energy", likelihood=2, consequence=3,
                            justification_th="พายุ")
    synthesis.refresh_from_db()
    assert synthesis.is_stale()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(reverse("forum:detail", args=[synthesis.pk]), **EN).content.decode()
    assert "Being updated" in page
    assert reverse("forum:file", args=[synthesis.pk, "pdf"]) in page
    synthesis.refresh_from_db()
    assert synthesis.status == "done" and not synthesis.is_stale()
    # Building by hand: refused while it is queued, queued again otherwise.
    ForumSynthesis.objects.filter(pk=synthesis.pk).update(status="queued")
    response = client.post(reverse("forum:rebuild", args=[synthesis.pk]), follow=True, **EN)
    assert "already being built" in response.content.decode()
    ForumSynthesis.objects.filter(pk=synthesis.pk).update(status="failed")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("forum:rebuild", args=[synthesis.pk]))
    synthesis.refresh_from_db()
    assert synthesis.status == "done"


def test_failed_build_is_reported(client, world, monkeypatch,
                                  django_capture_on_commit_callbacks):
    def broken(html):
        raise RuntimeError("chromium missing")
    monkeypatch.setattr("apps.events.pdf.html_to_pdf", broken)
    _login(client, world, "national")
    synthesis = _build(client, world,
                       django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert synthesis.status == "failed" and "chromium missing" in synthesis.error
    assert not synthesis.pdf


def test_who_reads_and_who_builds(client, world, no_chromium,
                                  django_capture_on_commit_callbacks):
    _login(client, world, "national")
    synthesis = _build(client, world,
                       django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    detail = reverse("forum:detail", args=[synthesis.pk])
    pdf = reverse("forum:file", args=[synthesis.pk, "pdf"])
    assert client.get(detail).status_code == 200
    for role in ("stranger", "coordinator", "funder"):
        _login(client, world, role)
        assert client.get(detail).status_code == 404, role
        assert client.get(pdf).status_code == 404, role
        assert client.post(reverse("forum:new", args=[world.network.slug]),
                           {"title_th": "x"}).status_code == 404
        assert client.post(reverse("forum:publish", args=[synthesis.pk]),
                           {"published": "1"}).status_code == 404
    assert api_ids(client) == set()
    client.logout()
    assert client.get(detail).status_code == 404
    _login(client, world, "national")
    client.post(reverse("forum:publish", args=[synthesis.pk]), {"published": "1"})
    client.logout()
    assert client.get(detail).status_code == 200 and client.get(pdf).status_code == 200
    assert api_ids(client) == {synthesis.pk}
    assert ForumSynthesis.objects.count() == 1


def api_ids(client):
    return {item["id"] for item in client.get("/api/forum/syntheses").json()["items"]}


def test_recommendations_link_only_the_networks_published_data(client, world, no_chromium,
                                                               django_capture_on_commit_callbacks):
    own = assess(world.city).risks.get()
    foreign = assess(world.far_city).risks.get()
    _login(client, world, "national")
    synthesis = _build(client, world,
                       django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    url = reverse("forum:recommendation-add", args=[synthesis.pk])
    response = client.post(url, {"text_th": "ข้อเสนอ", "risk": foreign.pk}, **EN)
    assert response.status_code == 400 and not PolicyRecommendation.objects.exists()
    response = client.post(url, {"text_th": "", "text_en": "only English"}, **EN)
    assert response.status_code == 400 and "Write the recommendation in Thai" in \
        response.content.decode()
    for text in ("บรรจุการจัดการน้ำท่วมในแผนชาติ", "สนับสนุนงบประมาณระบบเตือนภัย"):
        assert client.post(url, {"text_th": text, "text_en": "x", "risk": own.pk,
                                 "city": world.city.pk}).status_code == 302
    rows = list(synthesis.recommendations.all())
    assert [r.order for r in rows] == [1, 2] and rows[0].risk == own
    assert synthesis.is_stale() is False  # not an input of other syntheses: its own data
    # Adding one queued the rebuild (its callback does not run here); removing one rebuilds.
    synthesis.refresh_from_db()
    assert synthesis.status == "queued"
    ForumSynthesis.objects.filter(pk=synthesis.pk).update(status="done")
    extra = synthesis.recommendations.create(order=3, text_th="ลบทิ้ง")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("forum:recommendation-remove", args=[synthesis.pk, extra.pk]))
    synthesis.refresh_from_db()
    assert synthesis.status == "done"
    detail = client.get(f"/api/forum/syntheses/{synthesis.pk}").json()
    assert [r["text_th"] for r in detail["recommendations"]][0] == "บรรจุการจัดการน้ำท่วมในแผนชาติ"
    assert set(detail["files"]) == {"pdf", "docx", "xlsx"}


def test_network_dashboard_links_the_synthesis(client, world):
    page = client.get(reverse("networks:dashboard", args=[world.network.slug])).content.decode()
    assert f'href="{reverse("forum:list", args=[world.network.slug])}"' in page
    assert reverse("strategies:scales", args=[world.network.slug]) not in page
    _login(client, world, "national")
    page = client.get(reverse("networks:dashboard", args=[world.network.slug])).content.decode()
    assert reverse("strategies:scales", args=[world.network.slug]) in page
