"""The national forum synthesis in headless Chromium, in Thai (issue 7).

The national coordinator opens the network's forum page, builds a synthesis, watches its
progress reach 100 % and opens the PDF; the PDF's first page is rendered to PNG
(test-artifacts/forum-pdf-page1.png) to be looked at, and its text checked with pdftotext.
"""
import re
import subprocess

import pytest

from apps.core.testing import PASSWORD, make_world
from apps.forum.models import ForumSynthesis
from apps.forum.tests.conftest import assess
from tests.test_browser import ARTIFACTS, browser  # noqa: F401 (browser: fixture)
from tests.test_browser_sld import thai

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_national_coordinator_builds_and_opens_the_synthesis(live_server, browser):
    world = make_world()
    ARTIFACTS.mkdir(exist_ok=True)
    assess(world.city, group="ผู้สูงอายุริมน้ำ", area="ชุมชนริมคลอง",
           risks=(("flood", "drainage", 4, 5), ("heat", "health", 3, 3)))
    assess(world.other_city, group="แรงงานนอกระบบ", area="ตลาดสด",
           risks=(("flood", "drainage", 3, 4),))
    assess(world.far_city, group="กลุ่มของเครือข่ายอื่น", area="พื้นที่อื่น")
    base = live_server.url
    page = thai(browser).new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "national")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()

    page.goto(f"{base}/forum/network/{world.network.slug}/")
    page.fill("[name=title_th]", "สังเคราะห์ผลการดำเนินงานของเมือง")
    page.locator("main form button[type=submit].primary").click()
    page.wait_for_url(re.compile(r"/forum/\d+/$"), timeout=120_000)
    page.wait_for_function("document.getElementById('forum-percent').textContent === '100'",
                           timeout=120_000)
    assert page.locator("#forum-progress").get_attribute("value") == "100"
    assert page.locator("#forum-files").is_visible()
    page.screenshot(path=str(ARTIFACTS / "forum-detail-th.png"), full_page=True)
    synthesis = ForumSynthesis.objects.get()
    assert synthesis.status == "done"

    response = page.request.get(base + page.locator("#forum-pdf").get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = ARTIFACTS / "forum-synthesis.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                          check=True).stdout.decode()
    for thai_text in ("สังเคราะห์ผลการดำเนินงานของเมือง", "ผู้สูงอายุริมน้ำ", "แรงงานนอกระบบ",
                      "ชุมชนริมคลอง"):
        assert thai_text in text, thai_text
    assert "กลุ่มของเครือข่ายอื่น" not in text
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(ARTIFACTS / "forum-pdf-page1")], check=True)
    assert (ARTIFACTS / "forum-pdf-page1.png").stat().st_size > 10_000
