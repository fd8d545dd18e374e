"""The Content Security Policy in headless Chromium: the key pages, with their maps (Leaflet and
Leaflet.draw), charts (Chart.js) and the Swagger UI, render without a single violation.

Chromium reports each blocked script, style or image as a console error and as a
`securitypolicyviolation` event; both are collected, and the pages are checked to have drawn
what the blocked code would have drawn, so a silently missing feature also fails.
"""
import pytest
from django.core.management import call_command

from apps.climate.models import Analysis
from tests.test_browser import browser  # noqa: F401 (browser: fixture)
from tests.test_browser_sld import log_in, thai

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Recorded by the page itself: Playwright's init scripts run outside the page's policy.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(
  `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));
"""


def watch(page):
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script(LISTEN)
    return errors


def visit(page, errors, url, drawn):
    """Open url, wait for the selector its scripts draw, and return the violations seen."""
    page.goto(url)
    page.wait_for_selector(drawn, timeout=15000)
    assert page.evaluate("!!document.querySelector('script:not([src]):not([type])')") is False
    return violations(page, errors)


def violations(page, errors):
    """The violations seen on the page since it loaded (and console errors since last asked)."""
    page.wait_for_load_state("networkidle")
    seen = page.evaluate("window.__violations") + [
        e for e in errors if "Content Security Policy" in e or "Refused to" in e]
    errors.clear()
    return seen


def test_key_pages_run_under_the_policy_without_violations(live_server, browser):
    call_command("seed_demo", verbosity=0)
    base = live_server.url
    analysis = Analysis.objects.filter(station__city__slug="hat-yai",
                                       status=Analysis.Status.DONE).first()
    assert analysis is not None, "the demo data has a finished analysis for Hat Yai"

    anonymous = thai(browser).new_page()
    errors = watch(anonymous)
    response = anonymous.goto(f"{base}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    problems = {}
    for name, url, drawn in [
        ("home", f"{base}/", "main"),
        ("network dashboard", f"{base}/n/acccrn-thailand/", "td[data-city]"),
        ("city page", f"{base}/c/chiang-rai/", ".gantt"),
        # Swagger UI (django-ninja serves it from our static files) has drawn the operations.
        ("API docs", f"{base}/api/docs", ".swagger-ui .opblock"),
    ]:
        problems[name] = visit(anonymous, errors, url, drawn)

    # Swagger UI's "Try it out" calls the API from the page (connect-src) and shows its
    # selects, whose arrows are data: images in its stylesheet (img-src).
    anonymous.locator(".opblock-get .opblock-summary").first.click()
    anonymous.locator("button.try-out__btn").first.click()
    anonymous.locator("button.execute").first.click()
    anonymous.wait_for_selector(".responses-wrapper .live-responses-table", timeout=15000)
    problems["API docs, try it out"] = violations(anonymous, errors)

    # The dashboard's country filter submits itself (a listener, no onchange="").
    anonymous.goto(f"{base}/n/acccrn-thailand/")
    anonymous.select_option("select#country", index=1)
    anonymous.wait_for_url("**country=*")
    anonymous.wait_for_selector("td[data-city]")
    problems["country filter"] = violations(anonymous, errors)

    expert = log_in(thai(browser), base, "expert")
    errors = watch(expert)
    for name, url, drawn in [
        # Leaflet has drawn its panes and Leaflet.draw its toolbar.
        ("assessment areas", f"{base}/c/hat-yai/assessment/areas/",
         "#area-map .leaflet-map-pane .leaflet-overlay-pane path"),
        # Chart.js has drawn on the index cards' canvases.
        ("climate analysis", f"{base}{analysis.get_absolute_url()}",
         "section.index-card canvas"),
    ]:
        problems[name] = visit(expert, errors, url, drawn)
        if name == "assessment areas":
            assert expert.locator(".leaflet-draw-draw-rectangle").count() == 1
    charts = expert.evaluate(
        "Array.from(document.querySelectorAll('section.index-card canvas'))"
        ".filter((c) => window.Chart && Chart.getChart(c)).length")
    assert charts >= 8, "Chart.js drew the index charts"

    assert {name: seen for name, seen in problems.items() if seen} == {}
