import pytest

from apps.practices.richtext import clean_html, to_text
from apps.practices.search import index_text, query_tokens
from apps.practices.tests.helpers import make_practice


def test_sanitiser_keeps_the_allow_list_and_strips_the_rest():
    dirty = ('<p onclick="steal()">ข้อความ <strong>หนา</strong> <em>เอียง</em></p>'
             '<script>alert(1)</script><h3>หัวข้อ</h3><ul><li>หนึ่ง</li></ul>'
             '<a href="javascript:alert(1)">bad</a> <a href="https://example.org" '
             'style="color:red">good</a><img src=x onerror=alert(1)><blockquote>q</blockquote>')
    clean = clean_html(dirty)
    assert "<script" not in clean and "alert(1)" not in clean
    assert "onclick" not in clean and "onerror" not in clean and "style=" not in clean
    assert "javascript:" not in clean and "<img" not in clean
    assert "<strong>หนา</strong>" in clean and "<em>เอียง</em>" in clean
    assert "<h3>หัวข้อ</h3>" in clean and "<li>หนึ่ง</li>" in clean
    assert "<blockquote>q</blockquote>" in clean
    assert '<a href="https://example.org" rel="noopener noreferrer">good</a>' in clean
    assert to_text(clean).splitlines()[0] == "ข้อความ หนา เอียง"


def test_thai_words_are_indexed_whole_and_english_lower_cased():
    index = index_text("การประเมินความเสี่ยงน้ำท่วมระดับชุมชน", "Community Flood-Warning")
    assert " ความเสี่ยง " in index and " น้ำท่วม " in index
    assert " flood " in index and " warning " in index and " community " in index
    assert " เสี่ยง " not in index  # a piece of a word is not a word
    assert query_tokens("ความเสี่ยง น้ำท่วม") == ["ความเสี่ยง", "น้ำท่วม"]


@pytest.mark.django_db
def test_practice_save_cleans_rich_text_and_fills_the_index(world):
    practice = make_practice(world.city, what_was_done_th='<p>ขุดลอกคลอง<script>x()</script></p>',
                             title_en="Drain Dredging", hazards=["flood", "bogus"],
                             sectors=["drainage"])
    practice.refresh_from_db()
    assert practice.what_was_done_th == "<p>ขุดลอกคลอง</p>"
    assert " ขุดลอก " in practice.search_tokens or " ขุด " in practice.search_tokens
    assert " dredging " in practice.search_tokens and " dredging " in practice.title_tokens
    assert practice.hazards == ["flood"]
    assert practice.facets == " hz:flood sc:drainage "
