"""A city coordinator in headless Chromium (Debian's, driven by Playwright), in Thai.

Logs in, marks an activity done with evidence, and sees the network dashboard change.
Screenshots of the dashboard and the city page in Thai and English go to test-artifacts/
for a person to look at.
"""
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the live server
    # makes happen in its own thread, so this flag only silences Django's guard for fixtures.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def cell(page, city, number):
    return page.locator(f'td[data-city="{city}"][data-activity="{number}"]')


def done_count(page):
    return int(page.locator('.stat [data-status="done"]').inner_text())


def test_coordinator_marks_an_activity_done_and_the_dashboard_changes(live_server, browser):
    call_command("seed_demo", verbosity=0)
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="th-TH", extra_http_headers={"Accept-Language": "th"},
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()

    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "th"
    page.fill("input[name=username]", "chiangrai")
    page.fill("input[name=password]", "demo-pass-2553")
    page.click("main button[type=submit]")

    page.goto(f"{live_server.url}/n/acccrn-thailand/")
    assert cell(page, "chiang-rai", 10).get_attribute("data-status") == "in_progress"
    before = done_count(page)
    page.screenshot(path=str(ARTIFACTS / "dashboard-th-before.png"), full_page=True)

    cell(page, "chiang-rai", 10).locator("a").click()
    page.wait_for_url(re.compile(r"/c/chiang-rai/activities/10/$"))
    page.locator("details.edit summary").click()
    page.select_option("select[name=kind]", "note")
    page.fill("input[name=title]", "รายงานการประชุมคัดเลือกโครงการนำร่อง")
    page.fill("textarea[name=text]", "ที่ประชุมคัดเลือกโครงการนำร่อง 2 โครงการ ผู้เข้าร่วม 42 คน")
    page.locator("details.edit button[type=submit]").click()
    assert page.get_by_text("รายงานการประชุมคัดเลือกโครงการนำร่อง").first.is_visible()

    complete = page.locator("form.complete-form")
    complete.locator("input[name=on]").fill(today_be())
    complete.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/c/chiang-rai/activities/10/$"))
    assert page.locator(".badge.st-done").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / "activity-th-done.png"), full_page=True)

    page.goto(f"{live_server.url}/n/acccrn-thailand/")
    assert cell(page, "chiang-rai", 10).get_attribute("data-status") == "done"
    assert done_count(page) == before + 1
    page.screenshot(path=str(ARTIFACTS / "dashboard-th.png"), full_page=True)
    page.goto(f"{live_server.url}/c/chiang-rai/")
    page.screenshot(path=str(ARTIFACTS / "city-th.png"), full_page=True)
    # Thai dates on the city page are Buddhist Era (today's marker included).
    assert today_be()[-4:] in page.locator(".gantt + .legend-line").inner_text()

    # The language switcher on the page takes the user to English.
    page.locator(".lang-switch button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.screenshot(path=str(ARTIFACTS / "city-en.png"), full_page=True)
    page.goto(f"{live_server.url}/n/acccrn-thailand/")
    page.screenshot(path=str(ARTIFACTS / "dashboard-en.png"), full_page=True)
    assert "Late" in page.locator(".stats").inner_text()

    # On a phone the dashboard still works: the matrix scrolls inside its own box.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="th-TH",
                                extra_http_headers={"Accept-Language": "th"})
    mobile = phone.new_page()
    mobile.goto(f"{live_server.url}/c/hat-yai/")
    mobile.screenshot(path=str(ARTIFACTS / "city-th-phone.png"), full_page=True)
    width = mobile.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the city page overflows a phone screen ({width}px)"


def today_be():
    from django.utils import timezone

    today = timezone.localdate()
    return f"{today.day:02d}/{today.month:02d}/{today.year + 543}"
