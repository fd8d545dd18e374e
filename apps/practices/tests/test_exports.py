"""PDF (Chromium print) and DOCX exports of one practice and of the library."""
import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from apps.core.testing import PASSWORD
from apps.practices.tests.helpers import make_practice

pytestmark = pytest.mark.django_db
TITLE = "ระบบเตือนภัยน้ำท่วมล่วงหน้าโดยชุมชน"


def test_one_practice_as_pdf_keeps_thai_text(client, world, monkeypatch):
    practice = make_practice(world.city, TITLE, hazards=["flood"],
                             what_was_done_th="<p>ติดตั้ง<strong>เสาวัดระดับน้ำ</strong></p>")
    printed = []
    from apps.events import pdf

    real = pdf.html_to_pdf
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: printed.append(html) or real(html))
    response = client.get(f"/practices/{practice.pk}/export.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    html = printed[0]
    assert TITLE in html and "<strong>เสาวัดระดับน้ำ</strong>" in html and 'lang="th"' in html


def test_one_practice_as_docx_with_thai_fonts(client, world):
    practice = make_practice(world.city, TITLE, problem_th="ชุมชนริมคลองน้ำท่วมทุกปี",
                             what_was_done_th="<p>ขั้นที่หนึ่ง</p><ul><li>ขั้นที่สอง</li></ul>",
                             cost="125000")
    response = client.get(f"/practices/{practice.pk}/export.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert TITLE in texts and "ชุมชนริมคลองน้ำท่วมทุกปี" in texts
    assert "ขั้นที่หนึ่ง" in texts and "ขั้นที่สอง" in texts
    assert any("125,000.00" in t for t in texts)
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:cs")) == "TH Sarabun New" and fonts.get(qn("w:ascii")) == "Tahoma"


def test_library_export_holds_published_entries_matching_the_filters(client, world, monkeypatch):
    make_practice(world.city, TITLE, hazards=["flood"])
    make_practice(world.other_city, "ลดหมอกควันจากการเผาในที่โล่ง", hazards=["haze"])
    make_practice(world.city, "ร่างที่ยังไม่เผยแพร่", status="draft", hazards=["flood"])
    client.login(username="coordinator", password=PASSWORD)  # reads the draft, yet it is left out
    document = Document(io.BytesIO(client.get("/practices/export.docx",
                                              {"hazard": "flood"}).content))
    texts = [p.text for p in document.paragraphs]
    assert TITLE in texts
    assert "ลดหมอกควันจากการเผาในที่โล่ง" not in texts and "ร่างที่ยังไม่เผยแพร่" not in texts
    printed = []
    monkeypatch.setattr("apps.events.pdf.html_to_pdf", lambda html: printed.append(html) or b"%PDF")
    client.get("/practices/export.pdf", {"q": "หมอกควัน"})
    assert "ลดหมอกควันจากการเผาในที่โล่ง" in printed[0] and TITLE not in printed[0]


def test_a_draft_is_not_exported_to_others(client, world):
    draft = make_practice(world.city, "ร่าง", status="draft")
    assert client.get(f"/practices/{draft.pk}/export.docx").status_code == 404
    assert client.get(f"/practices/{draft.pk}/export.pdf").status_code == 404
