"""The good-practice library in headless Chromium, in Thai (issue 6).

City A1's coordinator writes a practice of their own, then searches the library for
"ความเสี่ยง" (risk): Thai has no spaces, so the word sits inside one long phrase in city A2's
title ("การประเมินความเสี่ยงน้ำท่วมระดับชุมชน"); it is found, A2's draft is not, and the entry
opens. Screenshots go to test-artifacts/practices-*.png.
"""
import re

import pytest

from apps.core.testing import PASSWORD, make_world
from apps.practices.models import Practice
from apps.practices.tests.helpers import make_practice
from tests.test_browser import ARTIFACTS, browser  # noqa: F401 (browser: fixture)
from tests.test_browser_sld import thai

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"practices-{name}-th.png"), full_page=True)


def test_search_in_thai_finds_another_citys_practice(live_server, browser):
    world = make_world()
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    make_practice(world.other_city, "การประเมินความเสี่ยงน้ำท่วมระดับชุมชน",
                  title_en="Community flood risk assessment", hazards=["flood"],
                  sectors=["drainage"],
                  problem_th="แผนที่น้ำท่วมของเมืองหยาบเกินกว่าจะบอกได้ว่าบ้านหลังใดเสี่ยง")
    make_practice(world.other_city, "ร่างแผนลดความเสี่ยงภัยแล้ง", status="draft",
                  hazards=["drought"])
    make_practice(world.far_city, "ห้องปลอดฝุ่นในโรงเรียนช่วงวิกฤตหมอกควัน", hazards=["haze"])

    page = thai(browser).new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "coordinator")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()

    # -- the coordinator writes the city's own practice ----------------------------------------
    page.goto(f"{base}/c/{world.city.slug}/practices/new/")
    page.fill("[name=title_th]", "ระบบเตือนภัยน้ำท่วมล่วงหน้าโดยชุมชน")
    page.locator("input[name=hazards][value=flood]").check()
    page.locator("input[name=sectors][value=communications]").check()
    page.fill("[name=what_was_done_th]", "<p>ติดตั้งเสาวัดระดับน้ำ</p><script>x()</script>")
    shot(page, "form")
    page.locator("main form button[type=submit].primary").click()
    page.wait_for_url(re.compile(r"/practices/\d+/$"))
    own = Practice.objects.get(title_th="ระบบเตือนภัยน้ำท่วมล่วงหน้าโดยชุมชน")
    assert own.hazards == ["flood"] and own.what_was_done_th == "<p>ติดตั้งเสาวัดระดับน้ำ</p>"
    page.locator(f"form[action$='/practices/{own.pk}/submit/'] button").click()
    page.wait_for_load_state()
    own.refresh_from_db()
    assert own.status == "submitted"

    # -- and searches the library in Thai -------------------------------------------------------
    page.goto(f"{base}/practices/")
    page.fill("input[name=q]", "ความเสี่ยง")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url(re.compile(r"q=%E0%B8%84"))
    titles = page.locator(".practice-list .practice-title").all_inner_texts()
    assert titles == ["การประเมินความเสี่ยงน้ำท่วมระดับชุมชน"]  # A2's draft stays hidden
    assert "เมือง a2" in page.locator(".practice-list").inner_text()
    shot(page, "search")
    page.locator(".practice-list .practice-title").first.click()
    page.wait_for_url(re.compile(r"/practices/\d+/$"))
    assert page.locator("h1").inner_text().startswith("การประเมินความเสี่ยงน้ำท่วมระดับชุมชน")
    assert page.locator("form[action$='/edit/']").count() == 0  # not the coordinator's city
    shot(page, "detail")
