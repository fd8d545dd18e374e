"""From a call for proposals to an approved pilot, in headless Chromium, in Thai (issue 5).

Hat Yai's coordinator writes and publishes a call; a partner agency drafts a proposal, draws
its area on the map and submits it; the call closes; the coordinator screens it; the city's
expert declares no conflict, scores and submits; the coordinator reads the ranking and
records the selection meeting's shortlist; the funder reviewer approves it with a budget and
conditions, and the pilot page carries the proposal's risks, budget and indicators.
Screenshots go to test-artifacts/proposals-*.png.
"""
import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from apps.accounts.models import Role
from apps.core.dates import format_input
from apps.people.models import Organisation
from apps.pilots.models import Pilot
from apps.proposals.models import Call, Proposal
from apps.proposals.testing import make_user
from tests.test_browser import ARTIFACTS, browser  # noqa: F401 (browser: fixture)
from tests.test_browser_assessment import draw_square
from tests.test_browser_sld import PASSWORD, log_in, thai

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"proposals-{name}-th.png"), full_page=True)


def test_call_to_approved_pilot_in_thai(live_server, browser):
    call_command("seed_demo", verbosity=0)
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    agency = Organisation.objects.create(name_th="มูลนิธิคลองอู่ตะเภาสีเขียว", kind="ngo",
                                         city_id=Call.objects.get(city__slug="hat-yai").city_id)
    user = make_user("hy-agency", agency.city, role=Role.PROPONENT, organisation=agency)
    user.set_password(PASSWORD)  # the demo's, as log_in() types it
    user.save()
    today = timezone.localdate()

    # -- the coordinator writes and publishes the call ---------------------------------------
    page = log_in(thai(browser), base, "hatyai")
    page.goto(f"{base}/c/hat-yai/calls/new/")
    page.fill("[name=title_th]", "โครงการนำร่องป้องกันน้ำท่วมชุมชนริมคลอง")
    page.fill("[name=budget_ceiling]", "900000")
    page.fill("[name=opens_at_0]", format_input(today - dt.timedelta(days=1), "th"))
    page.fill("[name=opens_at_1]", "09:00")
    page.fill("[name=closes_at_0]", format_input(today + dt.timedelta(days=14), "th"))
    page.fill("[name=closes_at_1]", "16:30")
    page.fill("[name=rules_text]", "หน่วยงานในจังหวัดสงขลา | An agency of Songkhla")
    page.locator("input[name=risks]").first.check()
    expert = get_user_model().objects.get(username="expert")
    page.locator(f"input[name=evaluators][value='{expert.pk}']").check()
    page.fill("[name=criteria-0-name_th]", "ตอบโจทย์ความเสี่ยงน้ำท่วม")
    page.fill("[name=criteria-0-weight]", "3")
    page.fill("[name=criteria-1-name_th]", "ความคุ้มค่า")
    page.fill("[name=criteria-1-weight]", "1")
    shot(page, "call-form")
    page.locator("main form button[type=submit].primary").click()
    page.wait_for_url(re.compile(r"/calls/\d+/$"))
    call = Call.objects.get(title_th="โครงการนำร่องป้องกันน้ำท่วมชุมชนริมคลอง")
    page.locator(f"form[action$='/calls/{call.pk}/publish/'] button").click()
    page.wait_for_load_state()
    call.refresh_from_db()
    assert call.published and call.criteria.count() == 2
    shot(page, "call")

    # -- a partner agency drafts, draws its area and submits ---------------------------------
    page = log_in(thai(browser), base, "hy-agency")
    page.goto(f"{base}/calls/{call.pk}/")
    page.locator(f"form[action$='/calls/{call.pk}/propose/'] button").click()
    page.wait_for_url(re.compile(r"/proposals/\d+/edit/$"))
    page.fill("[name=title_th]", "ประตูระบายน้ำชุมชนและอาสาสมัครเฝ้าระวัง")
    page.fill("[name=problem_th]", "น้ำจากคลองอู่ตะเภาท่วมบ้านเรือนริมคลองเกือบทุกปี")
    page.locator("input[name=risks]").first.check()
    draw_square(page)
    page.fill("[name=activities-0-name]", "สำรวจจุดเสี่ยงกับชุมชน")
    page.fill("[name=activities-0-starts]", format_input(today + dt.timedelta(days=60), "th"))
    page.fill("[name=activities-0-ends]", format_input(today + dt.timedelta(days=120), "th"))
    page.fill("[name=budget-0-item]", "ประตูระบายน้ำขนาดเล็ก 3 จุด")
    page.fill("[name=budget-0-amount]", "650000")
    page.fill("[name=budget-0-cofunding]", "100000")
    page.fill("[name=indicators-0-name]", "ครัวเรือนที่พ้นน้ำท่วมขัง")
    page.fill("[name=indicators-0-target]", "300")
    shot(page, "proposal-form")
    page.locator("button[name=submit]").click()
    page.wait_for_url(re.compile(r"/proposals/\d+/$"))
    proposal = Proposal.objects.get(call=call)
    assert proposal.status == "submitted" and proposal.geometry is not None
    assert "650,000" in page.inner_text("main")
    shot(page, "dossier")

    # -- the call closes; the coordinator screens -------------------------------------------
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    page = log_in(thai(browser), base, "hatyai")
    page.goto(f"{base}/proposals/{proposal.pk}/screen/")
    page.locator("input[value=yes]").first.check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/calls/{call.pk}/$"))
    proposal.refresh_from_db()
    assert proposal.eligibility == "eligible"

    # -- the expert declares, scores and submits ---------------------------------------------
    page = log_in(thai(browser), base, "expert")
    page.goto(f"{base}/calls/{call.pk}/evaluate/")
    page.locator("#declare input[value=no]").first.check()
    page.locator("#declare button[type=submit]").click()
    page.wait_for_load_state()
    page.locator(f"a[href$='/proposals/{proposal.pk}/score/']").first.click()
    page.wait_for_url(re.compile(r"/score/$"))
    for fieldset in page.locator("fieldset.choices").all():
        fieldset.locator("input[type=radio][value='4']").check()
    shot(page, "score")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/evaluate/"))
    page.locator(f"form[action$='/calls/{call.pk}/evaluate/submit/'] button").click()
    page.wait_for_load_state()
    assert call.evaluators.get().submitted_at is not None
    shot(page, "evaluated")

    # -- the coordinator reads the ranking and records the shortlist --------------------------
    page = log_in(thai(browser), base, "hatyai")
    page.goto(f"{base}/calls/{call.pk}/ranking/")
    assert "ประตูระบายน้ำชุมชน" in page.inner_text("main")
    shot(page, "ranking")
    page.goto(f"{base}/calls/{call.pk}/shortlist/")
    page.locator(f"input[name=proposals][value='{proposal.pk}']").check()
    page.locator("select[name=event]").select_option(index=1)
    page.fill("[name=note_th]", "ที่ประชุมเห็นชอบให้เสนอผู้ให้ทุน")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert hasattr(Call.objects.get(pk=call.pk), "shortlist_record")

    # -- the funder approves; the pilot carries the proposal on ----------------------------------
    page = log_in(thai(browser), base, "funder")
    page.goto(f"{base}/calls/{call.pk}/review/")
    form = page.locator(f"form[action$='/proposals/{proposal.pk}/decide/']")
    form.locator("input[name$='-outcome'][value=approved]").check()
    form.locator("[name$='-approved_budget']").fill("600000")
    form.locator("[name$='-conditions_th']").fill("รายงานความก้าวหน้าทุกไตรมาส")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    shot(page, "review")
    pilot = Pilot.objects.get(proposal=proposal)
    assert pilot.approved_budget == 600000
    page.goto(f"{base}/pilots/{pilot.pk}/")
    text = page.inner_text("main")
    assert "ประตูระบายน้ำชุมชน" in text and "600,000" in text and "ครัวเรือนที่พ้นน้ำท่วมขัง" in text
    shot(page, "pilot")

    # -- the same records in English --------------------------------------------------------
    english = browser.new_context(locale="en-GB", extra_http_headers={"Accept-Language": "en"},
                                  viewport={"width": 1280, "height": 900})
    page = log_in(english, base, "hatyai")
    page.goto(f"{base}/calls/{call.pk}/ranking/")
    assert "Ranking" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "proposals-ranking-en.png"), full_page=True)
    page.goto(f"{base}/pilots/{pilot.pk}/")
    page.screenshot(path=str(ARTIFACTS / "proposals-pilot-en.png"), full_page=True)
