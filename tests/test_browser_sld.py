"""Shared Learning Dialogue 1 in headless Chromium, in Thai, as the issue tells it.

Udon Thani's coordinator records SLD 1 (risks and a risk area), opens a Borda vote on the
risks, three working-group members rank them, the coordinator closes the vote, and the city
page shows the ranked result and the risk-area map. Screenshots go to test-artifacts/.
"""
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from apps.accounts.models import Role, RoleAssignment
from apps.people.models import Person
from tests.test_browser import ARTIFACTS, browser, today_be  # noqa: F401 (browser: fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-pass-2553"
RISKS = [("flood", "น้ำท่วมขังย่านตลาดเทศบาลเมื่อฝนตกหนัก"),
         ("drought", "ภัยแล้งทำให้น้ำประปาไม่พอใช้ในหน้าแล้ง"),
         ("storm", "พายุฤดูร้อนทำให้บ้านเรือนเสียหาย")]
AREA = ('{"type": "Polygon", "coordinates": [[[102.78, 17.40], [102.80, 17.40], '
        '[102.80, 17.42], [102.78, 17.42], [102.78, 17.40]]]}')
# Each member's ranks for the three risks above; Borda with 3 options gives 2, 1, 0 points:
# flood 2+1+2 = 5, drought 1+2+0 = 3, storm 0+0+1 = 1.
BALLOTS = [(1, 2, 3), (2, 1, 3), (1, 3, 2)]


def log_in(context, base, username):
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    return page


def thai(browser):
    return browser.new_context(locale="th-TH", extra_http_headers={"Accept-Language": "th"},
                               viewport={"width": 1280, "height": 900})


def test_sld1_vote_and_map_reach_the_city_page(live_server, browser):
    call_command("seed_demo", verbosity=0)
    ARTIFACTS.mkdir(exist_ok=True)
    members = list(Person.objects.filter(city__slug="udon-thani", user__isnull=True)[:3])
    for i, person in enumerate(members):
        person.user = get_user_model().objects.create_user(f"udon-m{i}", password=PASSWORD)
        person.save()
        RoleAssignment.objects.create(user=person.user, city=person.city,
                                      role=Role.WORKING_GROUP_MEMBER)
    base = live_server.url

    page = log_in(thai(browser), base, "udon")
    page.goto(f"{base}/c/udon-thani/sld/1/")
    page.wait_for_url(re.compile(r"/sld/1/edit/$"))  # nothing recorded yet: start the record
    page.fill("input[name=date]", today_be())
    page.fill("textarea[name=summary_th]", "คณะทำงานร่วมกันระบุผลกระทบและความเสี่ยงของเมือง")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/sld/1/$"))

    for hazard, text in RISKS:
        form = page.locator('form[action$="/risk/add/"]')
        form.locator("xpath=..").locator("summary").click()
        form.locator("select[name=hazard]").select_option(hazard)
        form.locator("[name=description_th]").fill(text)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert page.get_by_text(text).first.is_visible()
    area = page.locator('form[action$="/area/add/"]')
    area.locator("xpath=..").locator("summary").click()
    area.locator("[name=name_th]").fill("ชุมชนริมหนองประจักษ์")
    area.locator("select[name=hazard]").select_option("flood")
    area.locator("[name=geometry]").fill(AREA)
    area.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.screenshot(path=str(ARTIFACTS / "sld-area-th.png"), full_page=True)
    assert page.locator("svg.map").first.locator("path.area").count() == 1

    page.goto(f"{base}/c/udon-thani/sld/1/votes/new/")
    page.fill("input[name=title_th]", "จัดลำดับความเสี่ยงที่เมืองต้องรับมือก่อน")
    for checkbox in page.locator("input[name=options]").all():
        checkbox.check()
    page.locator("form.vote-open-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/votes/\d+/$"))
    vote_url = page.url

    for i, ranks in enumerate(BALLOTS):
        voter = log_in(thai(browser), base, f"udon-m{i}")
        voter.goto(vote_url)
        for option, rank in enumerate(ranks, 1):
            voter.select_option(f"select[name=option_{option}]", str(rank))
        voter.locator("form.ballot button[type=submit]").click()
        voter.wait_for_load_state()
        if i == 0:
            voter.screenshot(path=str(ARTIFACTS / "sld-vote-th.png"), full_page=True)
        voter.context.close()

    page.goto(vote_url)
    page.locator('form[action$="/close/"] button[type=submit]').click()
    page.wait_for_load_state()
    page.screenshot(path=str(ARTIFACTS / "sld-dialogue-th.png"), full_page=True)

    page.goto(f"{base}/c/udon-thani/")
    panel = page.locator("#sld")
    results = panel.locator(".top-results li").all_inner_texts()
    assert [RISKS[0][1][:20] in results[0], RISKS[1][1][:20] in results[1]] == [True, True], results
    assert "5" in results[0] and "3" in results[1]
    assert panel.locator("svg.map path.area").count() == 1
    panel.screenshot(path=str(ARTIFACTS / "sld-city-panel-th.png"))
    page.screenshot(path=str(ARTIFACTS / "sld-city-th.png"), full_page=True)
