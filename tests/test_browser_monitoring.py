"""An indicator report from entry to the progress chart, in headless Chromium, in Thai (issue 6).

The pilot team opens its report for the period and enters a value; submits; the city
coordinator returns it with a comment; the team corrects the value and submits again; the
coordinator approves; the city's M&E progress page then draws the new point (read from the
Chart.js instance) and the light follows it. Screenshots go to test-artifacts/monitoring-*.png.
"""
import datetime as dt
import re
from decimal import Decimal

import pytest

from apps.core.testing import PASSWORD, make_world
from apps.monitoring.models import Criterion, Indicator, Period, Report, ReportChange, Target, Value
from apps.monitoring.tests.test_progress import bulk_pilots
from tests.test_browser import ARTIFACTS, browser  # noqa: F401 (browser: fixture)
from tests.test_browser_sld import thai

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"monitoring-{name}-th.png"), full_page=True)


def log_in(context, base, username):
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return page


def test_report_returned_fixed_approved_reaches_the_chart(live_server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    world = make_world()
    city = world.city
    pilot, = bulk_pilots(world, city, 1, "W", framework=False)
    criterion = Criterion.objects.create(city=city, name_th="ชุมชนรับมือน้ำท่วมได้ดีขึ้น",
                                         name_en="Communities cope better with floods")
    indicator = Indicator.objects.create(
        city=city, criterion=criterion, pilot=pilot, code="HH-EW",
        name_th="ครัวเรือนที่ได้รับการเตือนภัยล่วงหน้า", name_en="Households warned in time",
        unit="ครัวเรือน", min_value=Decimal(0), max_value=Decimal(10000), cumulative=True,
        baseline=Decimal(0))
    first = Period.objects.create(city=city, label_th="ไตรมาส 3/2553", label_en="Q3 2010",
                                  start=dt.date(2010, 7, 1), end=dt.date(2010, 9, 30))
    second = Period.objects.create(city=city, label_th="ไตรมาส 4/2553", label_en="Q4 2010",
                                   start=dt.date(2010, 10, 1), end=dt.date(2010, 12, 31))
    Target.objects.create(indicator=indicator, period=first, value=Decimal(50))
    Target.objects.create(indicator=indicator, period=second, value=Decimal(100))
    done = Report.objects.create(city=city, pilot=pilot, period=first)
    Value.objects.create(report=done, indicator=indicator, number=Decimal(40))
    done.submit(world.user("proponent"))
    done.approve(world.user("coordinator"))

    # -- the pilot team opens its report for the period and enters a value ------------------
    team = log_in(thai(browser), base, "proponent")
    team.goto(f"{base}/pilots/{pilot.pk}/indicators/")
    open_form = team.locator("form[action$='/monitoring/reports/']")
    open_form.locator("select[name=period]").select_option(str(second.pk))
    open_form.locator("select[name=pilot]").select_option(str(pilot.pk))
    open_form.locator("button[type=submit]").click()
    team.wait_for_url(re.compile(r"/monitoring/reports/\d+/values/$"))
    report = Report.objects.get(pilot=pilot, period=second)
    cell = f"input[name='v|{indicator.pk}|']"
    team.fill(cell, "5,5")  # a slip: not a number as written
    team.click("form.card button[type=submit]")
    assert team.locator("tr.has-error .error").count() == 1
    assert not report.values.exists()
    team.fill(cell, "50")  # the wrong figure
    team.click("form.card button[type=submit]")
    team.wait_for_load_state()
    assert report.values.get().number == Decimal(50)
    team.goto(f"{base}/monitoring/reports/{report.pk}/")
    team.click("form[action$='/submit/'] button[type=submit]")
    team.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED

    # -- the coordinator returns it with a comment ------------------------------------------
    coordinator = log_in(thai(browser), base, "coordinator")
    coordinator.goto(f"{base}/monitoring/reports/{report.pk}/")
    review = coordinator.locator("form[action$='/review/']")
    review.locator("select[name=action]").select_option("return")
    review.locator("button[type=submit]").click()  # without a comment: refused
    coordinator.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    comment = "ทะเบียนเตือนภัยมี 55 ครัวเรือนในไตรมาสนี้ โปรดแก้ตัวเลข"
    review = coordinator.locator("form[action$='/review/']")
    review.locator("select[name=action]").select_option("return")
    review.locator("textarea[name=comment]").fill(comment)
    review.locator("button[type=submit]").click()
    coordinator.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED and report.comment == comment

    # -- the team reads the comment, fixes the value and submits again ----------------------
    team.goto(f"{base}/monitoring/reports/{report.pk}/")
    assert comment in team.content()
    shot(team, "report-returned")
    team.goto(f"{base}/monitoring/reports/{report.pk}/values/")
    team.fill(cell, "55")
    team.click("form.card button[type=submit]")
    team.wait_for_load_state()
    team.goto(f"{base}/monitoring/reports/{report.pk}/")
    team.click("form[action$='/submit/'] button[type=submit]")
    team.wait_for_load_state()

    # -- the coordinator approves -----------------------------------------------------------
    coordinator.goto(f"{base}/monitoring/reports/{report.pk}/")
    review = coordinator.locator("form[action$='/review/']")
    review.locator("select[name=action]").select_option("approve")
    review.locator("button[type=submit]").click()
    coordinator.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert list(ReportChange.objects.filter(report=report).values_list("to_status", flat=True)) \
        == ["submitted", "returned", "submitted", "approved"]

    # -- the progress page draws the new point ----------------------------------------------
    coordinator.goto(f"{base}/c/{city.slug}/monitoring/progress/")
    coordinator.wait_for_function(f"window.monitoringCharts && window.monitoringCharts[{indicator.pk}]")
    datasets = coordinator.evaluate(
        f"window.monitoringCharts[{indicator.pk}].data.datasets.map(d => d.data)")
    labels = coordinator.evaluate(f"window.monitoringCharts[{indicator.pk}].data.labels")
    assert labels == ["ไตรมาส 3/2553", "ไตรมาส 4/2553"]
    assert datasets == [[40, 95], [50, 100]]  # running total 40 + 55 against the targets
    row = coordinator.locator(f"tr[data-indicator='{indicator.code}']")
    assert row.locator("[data-light]").get_attribute("data-light") == "amber"  # 5 % short
    assert "95" in row.inner_text() and "ไตรมาส 4/2553" in row.inner_text()
    canvas = coordinator.locator(f"canvas[data-chart='{indicator.pk}']")
    assert canvas.bounding_box()["height"] > 100
    shot(coordinator, "progress")

    coordinator.click(f"a[href$='/monitoring/progress/{indicator.pk}/']")
    coordinator.wait_for_function(f"window.monitoringCharts && window.monitoringCharts[{indicator.pk}]")
    assert coordinator.locator(f"tr[data-period='{second.pk}']").inner_text().split("\t")[1:3] \
        == ["95", "55"]
    shot(coordinator, "indicator")

    # -- the national coordinator's network roll-up -----------------------------------------
    national = log_in(thai(browser), base, "national")
    national.goto(f"{base}/n/{world.network.slug}/monitoring/progress/")
    own = national.locator(f"tr[data-city='{city.slug}']").inner_text().split("\t")
    assert own[1:] == ["1", "0", "1", "0", "0%"]
    shot(national, "network")
