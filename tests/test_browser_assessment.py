"""The vulnerability assessment in headless Chromium, in Thai, as issue 4 tells it.

Hat Yai's expert uploads a weather-station file, waits for the analysis, sees the indices,
their trend tests and the return levels; then scores a climate risk, rates a group's
vulnerability, draws a risk area on the Leaflet map, cites the analysis for the flood trend,
and the city page shows the assessment's summary. Screenshots go to test-artifacts/.
"""
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.assessments.models import RiskArea, RiskRating, TrendEvidence
from tests.test_browser import ARTIFACTS, browser  # noqa: F401 (browser: fixture)
from tests.test_browser_sld import log_in, thai

SAMPLE = Path(__file__).resolve().parent.parent / "static" / "climate" / "sample-station.csv"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"assessment-{name}-th.png"), full_page=True)


def draw_square(page):
    """Draw a rectangle with Leaflet.draw's rectangle tool in the middle of the map."""
    page.locator(".leaflet-draw-draw-rectangle").click()
    box = page.locator("#area-map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x - 60, y - 40)
    page.mouse.down()
    page.mouse.move(x + 60, y + 40, steps=8)
    page.mouse.up()


def test_expert_assesses_hat_yai_in_thai(live_server, browser):
    call_command("seed_demo", verbosity=0)
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    page = log_in(thai(browser), base, "expert")

    # -- the climate evidence: upload a station file, run the analysis ------------------------
    page.goto(f"{base}/c/hat-yai/climate/")
    page.locator("main h2 a[href*='/climate/']").first.click()
    page.wait_for_selector("form.upload-form")
    station_url = page.url
    upload = page.locator("form.upload-form")
    upload.locator("input[type=file]").set_input_files(str(SAMPLE))
    upload.locator("input[name=mode][value=replace]").check()
    upload.locator("button[type=submit]").click()
    page.wait_for_load_state()
    shot(page, "upload")
    assert "/uploads/" in page.url
    page.goto(station_url)
    run = page.locator('form[action$="/analyses/new/"]')
    run.locator("xpath=..").locator("summary").click()
    run.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/analyses/\d+/$"))
    page.wait_for_selector("section.index-card")  # tests run tasks at once: already done
    assert page.locator("section.index-card").count() >= 8
    assert page.locator("section.index-card canvas").count() >= 8
    assert page.locator("section.extreme-card table.levels").count() >= 1
    assert "Rx1day" in page.inner_text("main")
    shot(page, "analysis")

    # -- the assessment: a risk, a vulnerability, an area, a cited analysis -----------------
    page.goto(f"{base}/c/hat-yai/assessment/risks/")
    form = page.locator('form[action$="/risks/rate/"]')
    form.locator("select[name=hazard]").select_option("flood")
    form.locator("select[name=system]").select_option("housing")
    form.locator("select[name=likelihood]").select_option("4")
    form.locator("select[name=consequence]").select_option("4")
    form.locator("[name=justification_th]").fill("บ้านเรือนริมคลองอู่ตะเภาถูกน้ำท่วมซ้ำ")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert RiskRating.objects.filter(assessment__city__slug="hat-yai", system="housing",
                                     score=16).exists()
    # The matrix cell likelihood 4 x consequence 4 holds the new rating's chip.
    assert page.locator("table.riskmatrix td.lvl-high .chip").count() >= 1
    shot(page, "risks")

    page.goto(f"{base}/c/hat-yai/assessment/areas/")
    page.wait_for_selector(".leaflet-draw-draw-rectangle")
    draw_square(page)
    geometry = page.locator("#draw-form input[name=geometry]").input_value()
    assert '"Polygon"' in geometry
    page.locator("#draw-form [name=name_th]").fill("ชุมชนริมคลองอู่ตะเภา")
    page.locator("#draw-form select[name=hazard]").select_option("flood")
    page.locator("#draw-form button[type=submit]").click()
    page.wait_for_load_state()
    assert RiskArea.objects.filter(name_th="ชุมชนริมคลองอู่ตะเภา", source="drawn").exists()
    assert page.locator("#area-map path.leaflet-interactive").count() >= 1
    shot(page, "areas")

    # The flood trend, with the analysis's Rx1day cited as its evidence.
    page.goto(f"{base}/c/hat-yai/assessment/")
    trend = page.locator('form[action$="/trend/add/"]')
    trend.locator("xpath=..").locator("summary").click()
    trend.locator("select[name=hazard]").select_option("flood")
    trend.locator("[name=current_th]").fill("น้ำท่วมใหญ่ปี 2553 และน้ำท่วมขังเกือบทุกปี")
    trend.locator("button[type=submit]").click()
    page.wait_for_load_state()
    cite = page.locator('form[action$="/evidence/cite/"]')
    cite.locator("xpath=..").locator("summary").click()
    cite.locator("select[name=trend]").select_option(label="น้ำท่วม")
    source = cite.locator("select[name=source] option", has_text="Rx1day").first
    cite.locator("select[name=source]").select_option(source.get_attribute("value"))
    cite.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert TrendEvidence.objects.filter(index="Rx1day", trend__hazard="flood").exists()
    assert page.locator("ul.evidence li").first.is_visible()
    shot(page, "overview")

    page.goto(f"{base}/c/hat-yai/")
    panel = page.locator("#assessment")
    assert panel.is_visible()
    assert panel.locator("table.riskmatrix strong").count() >= 1
    assert "ชุมชนริมคลองอู่ตะเภา" in panel.inner_text() or panel.locator("ol.ranked li").count()
    panel.screenshot(path=str(ARTIFACTS / "assessment-city-panel-th.png"))
    assert re.search(r"16", panel.inner_text())
