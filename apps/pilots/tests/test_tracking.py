"""Implementation tracking: weighted roll-ups, flags, spending rules, the report workflow."""
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from apps.core.testing import PASSWORD, make_world
from apps.pilots import tracking
from apps.pilots.models import (
    Expense, Milestone, Pilot, PilotBudgetLine, PilotComponent, PilotPhoto, ProgressReport,
    ReportChange,
)
from apps.pilots.tests.test_pages import approved_pilots

pytestmark = pytest.mark.django_db
TODAY = dt.date(2010, 10, 1)


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def pilot(world):
    return approved_pilots(world)[0]


def annotated(pilot, today=TODAY):
    return tracking.annotate_pilots(Pilot.objects.filter(pk=pilot.pk), today=today).get()


def milestone(component, percent, weight=1, end=None, status="under_way"):
    return Milestone.objects.create(component=component, title_th=f"งาน {percent}",
                                    percent=percent, weight=weight, planned_end=end,
                                    status=status)


def test_progress_rolls_up_weighted(pilot):
    a = PilotComponent.objects.create(pilot=pilot, title_th="ก", weight=3)
    b = PilotComponent.objects.create(pilot=pilot, title_th="ข", weight=1)
    milestone(a, 100, weight=1)
    milestone(a, 0, weight=3)  # a: (100*1 + 0*3) / 4 = 25
    milestone(b, 80, weight=2)
    milestone(b, 40, weight=2)  # b: 60
    progress = {c.pk: c.progress for c in tracking.annotate_components(
        PilotComponent.objects.filter(pilot=pilot))}
    assert progress == {a.pk: pytest.approx(25.0), b.pk: pytest.approx(60.0)}
    # pilot: (25*3 + 60*1) / 4 = 33.75
    assert annotated(pilot).progress == pytest.approx(33.75)
    # A component without milestones counts as 0 % done: (25*3 + 60*1 + 0*4) / 8
    PilotComponent.objects.create(pilot=pilot, title_th="ค", weight=4)
    assert annotated(pilot).progress == pytest.approx(16.875)


def test_done_milestone_counts_as_complete(pilot):
    c = PilotComponent.objects.create(pilot=pilot, title_th="ก")
    m = milestone(c, 30, status="done")
    assert m.percent == 100
    assert annotated(pilot).progress == pytest.approx(100.0)


def test_pilot_without_workplan_is_zero(pilot):
    assert annotated(pilot).progress == 0.0


def test_city_and_network_rollup_weighted_by_budget(world):
    small, big = approved_pilots(world, 2)
    Pilot.objects.filter(pk=small.pk).update(approved_budget=Decimal("100000"))
    Pilot.objects.filter(pk=big.pk).update(approved_budget=Decimal("300000"))
    milestone(PilotComponent.objects.create(pilot=small, title_th="ก"), 100)
    milestone(PilotComponent.objects.create(pilot=big, title_th="ก"), 20)
    pilots = list(tracking.annotate_pilots(Pilot.objects.all(), today=TODAY))
    # (100 * 100k + 20 * 300k) / 400k = 40
    assert tracking.rollup(pilots) == {world.city.pk: pytest.approx(40.0)}
    assert tracking.rollup(pilots, key=lambda p: None)[None] == pytest.approx(40.0)
    Pilot.objects.filter(pk=big.pk).update(status="cancelled")
    pilots = list(tracking.annotate_pilots(Pilot.objects.all(), today=TODAY))
    assert tracking.rollup(pilots)[world.city.pk] == pytest.approx(100.0)


def test_overdue_milestones_are_flagged(pilot):
    c = PilotComponent.objects.create(pilot=pilot, title_th="ก")
    done = milestone(c, 100, end=dt.date(2010, 9, 1), status="done")
    future = milestone(c, 10, end=dt.date(2010, 12, 1))
    assert not annotated(pilot).has_overdue_milestone
    assert not done.is_overdue(TODAY) and not future.is_overdue(TODAY)
    late = milestone(c, 10, end=dt.date(2010, 9, 30))
    assert late.is_overdue(TODAY)
    assert annotated(pilot).has_overdue_milestone


def expense(line, amount, by=None):
    return Expense(line=line, amount=Decimal(amount), date=dt.date(2010, 8, 1),
                   description="ค่าวัสดุ").record(by)


def test_spending_on_a_closed_line_is_refused_and_nothing_saved(pilot, client, world):
    line = pilot.budget_lines.get(item="เครื่องวัดระดับน้ำ")
    line.closed = True
    line.save()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        expense(line, "100")
    assert "is closed" in str(caught.value)
    assert Expense.objects.count() == 0
    client.login(username="proponent", password=PASSWORD)
    response = client.post(reverse("pilots:expense-new", args=[pilot.pk]), {
        "line": line.pk, "amount": "500", "date": "01/08/2010", "description": "ทราย"},
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "is closed" in response.content.decode()
    assert Expense.objects.count() == 0


def test_overspending_is_allowed_but_flagged(pilot, client):
    line = pilot.budget_lines.get(item="เครื่องวัดระดับน้ำ")  # 80,000
    expense(line, "50000")
    assert not annotated(pilot).has_overspent_line
    client.login(username="proponent", password=PASSWORD)
    response = client.post(reverse("pilots:expense-new", args=[pilot.pk]), {
        "line": line.pk, "amount": "40000", "date": "01/09/2010", "description": "ทราย"},
        HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert Expense.objects.count() == 2
    assert "overspent by 10,000.00 THB" in response.content.decode()
    assert annotated(pilot).has_overspent_line
    row, = [r for r in tracking.line_rows(pilot) if r.pk == line.pk]
    assert row.overspent and row.spent == Decimal("90000") and row.remaining == Decimal("-10000")


def test_slow_spending_is_flagged(pilot):
    Pilot.objects.filter(pk=pilot.pk).update(start_date=dt.date(2010, 7, 1),
                                             end_date=dt.date(2011, 6, 30))
    line = pilot.budget_lines.get(item="เครื่องวัดระดับน้ำ")
    expense(line, "15000")  # 10 % of 150,000
    early, late = dt.date(2010, 8, 15), dt.date(2011, 3, 1)
    assert not tracking.slow_spending(annotated(pilot, early), today=early)  # ~12 % of time
    assert tracking.slow_spending(annotated(pilot, late), today=late)  # ~66 % of time
    expense(line, "60000")  # 50 %
    assert not tracking.slow_spending(annotated(pilot, late), today=late)
    Pilot.objects.filter(pk=pilot.pk).update(start_date=None)
    assert not tracking.slow_spending(annotated(pilot, late), today=late)


def test_report_workflow(pilot, world):
    team, coordinator = world.user("proponent"), world.user("coordinator")
    report = ProgressReport.objects.create(pilot=pilot, period="Q3", narrative_th="คืบหน้า",
                                           created_by=team)
    assert report.editable
    report.submit(team)
    assert not report.editable
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        report.send_back(coordinator, "  ")
    assert "needs a comment" in str(caught.value)
    report.refresh_from_db()
    assert report.status == "submitted" and ReportChange.objects.count() == 1
    report.send_back(coordinator, "เพิ่มภาพถ่าย")
    report.refresh_from_db()
    assert report.status == "returned" and report.review_comment == "เพิ่มภาพถ่าย"
    assert report.editable
    report.submit(team)
    report.accept(coordinator)
    report.refresh_from_db()
    assert report.status == "accepted" and not report.editable
    with pytest.raises(ValidationError):
        report.check_editable()
    with pytest.raises(ValidationError):
        report.submit(team)  # accepted is final
    history = list(report.changes.values_list("from_status", "to_status", "by__username"))
    assert history == [("draft", "submitted", "proponent"),
                       ("submitted", "returned", "coordinator"),
                       ("returned", "submitted", "proponent"),
                       ("submitted", "accepted", "coordinator")]
    change = report.changes.first()
    change.comment = "rewritten"
    with pytest.raises(ValidationError):
        change.save()


def test_report_pages_workflow_and_accepted_report_not_editable(pilot, client, world):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.login(username="proponent", password=PASSWORD)
    response = client.post(reverse("pilots:report-new", args=[pilot.pk]), {
        "period": "ก.ค.-ก.ย. 2553", "narrative_th": "ติดตั้งแล้ว 3 จุด", "percent": "30"})
    report = ProgressReport.objects.get()
    assert response.status_code == 302 and report.created_by == world.user("proponent")
    # The team cannot review its own report.
    client.post(reverse("pilots:report-submit", args=[report.pk]))
    assert client.post(reverse("pilots:report-review", args=[report.pk]),
                       {"decision": "accept"}).status_code == 403
    client.login(username="coordinator", password=PASSWORD)
    response = client.post(reverse("pilots:report-review", args=[report.pk]),
                           {"decision": "return", "comment": ""})
    assert response.status_code == 200 and "needs a comment" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "submitted"
    client.post(reverse("pilots:report-review", args=[report.pk]), {"decision": "accept"})
    report.refresh_from_db()
    assert report.status == "accepted"
    client.login(username="proponent", password=PASSWORD)
    response = client.post(reverse("pilots:report-edit", args=[report.pk]), {
        "period": "changed", "narrative_th": "แก้", "percent": "90"}, follow=True)
    assert "can no longer be changed" in response.content.decode()
    report.refresh_from_db()
    assert report.period == "ก.ค.-ก.ย. 2553" and report.percent == 30


def jpeg_with_gps():
    im = Image.new("RGB", (50, 30), (10, 100, 10))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    out = io.BytesIO()
    im.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_report_photo_is_reencoded(pilot, client):
    client.login(username="proponent", password=PASSWORD)
    photo = SimpleUploadedFile("site visit.jpg", jpeg_with_gps(), content_type="image/jpeg")
    client.post(reverse("pilots:report-new", args=[pilot.pk]), {
        "period": "Q3", "narrative_th": "x", "percent": "10", "photo": photo, "caption": "จุดที่ 1"})
    stored = PilotPhoto.objects.get()
    body = stored.image.read()
    assert b"SecretCam" not in body and "site" not in stored.image.name
    response = client.get(reverse("pilots:photo", args=[stored.pk]))
    assert response.status_code == 200
    client.logout()
    assert client.get(reverse("pilots:photo", args=[stored.pk])).status_code == 404


def test_text_file_as_photo_or_receipt_is_refused(pilot, client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.login(username="proponent", password=PASSWORD)
    fake = SimpleUploadedFile("x.jpg", b"MZ not an image", content_type="image/jpeg")
    response = client.post(reverse("pilots:report-new", args=[pilot.pk]), {
        "period": "Q3", "narrative_th": "x", "percent": "10", "photo": fake})
    assert response.status_code == 200 and ProgressReport.objects.count() == 0
    fake = SimpleUploadedFile("r.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(reverse("pilots:expense-new", args=[pilot.pk]), {
        "line": pilot.budget_lines.get(item="เครื่องวัดระดับน้ำ").pk, "amount": "10", "date": "01/08/2010",
        "description": "x", "receipt": fake})
    assert "is not a PDF" in response.content.decode() and Expense.objects.count() == 0
    pdf = SimpleUploadedFile("r.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
    client.post(reverse("pilots:expense-new", args=[pilot.pk]), {
        "line": pilot.budget_lines.get(item="เครื่องวัดระดับน้ำ").pk, "amount": "10", "date": "01/08/2010",
        "description": "x", "receipt": pdf})
    saved = Expense.objects.get()
    assert saved.receipt_type == "application/pdf"
    assert client.get(reverse("pilots:receipt", args=[saved.pk])).status_code == 200


def test_who_may_write_review_and_read(pilot, client, world):
    urls = {"workplan": reverse("pilots:workplan", args=[pilot.pk]),
            "budget": reverse("pilots:budget", args=[pilot.pk]),
            "reports": reverse("pilots:reports", args=[pilot.pk])}
    component = reverse("pilots:component-new", args=[pilot.pk])
    close = reverse("pilots:line-close", args=[pilot.budget_lines.get(item="เครื่องวัดระดับน้ำ").pk])
    # The pilot team reads its own (unpublished) pilot and writes the workplan, not reviews.
    client.login(username="proponent", password=PASSWORD)
    for url in urls.values():
        assert client.get(url).status_code == 200
    assert client.post(component, {"title_th": "ก", "weight": "2"}).status_code == 302
    assert client.post(close).status_code == 403
    # The coordinator writes and reviews.
    client.login(username="coordinator", password=PASSWORD)
    assert client.post(component, {"title_th": "ข", "weight": "1"}).status_code == 302
    assert client.post(close).status_code == 302
    assert PilotBudgetLine.objects.get(item="เครื่องวัดระดับน้ำ").closed
    # A member reads but does not write.
    client.login(username="member", password=PASSWORD)
    assert client.get(urls["workplan"]).status_code == 200
    assert client.post(component, {"title_th": "ค", "weight": "1"}).status_code == 403
    # Another network's coordinator: as if the pilot did not exist.
    client.login(username="stranger", password=PASSWORD)
    for url in urls.values():
        assert client.get(url).status_code == 404
    assert client.post(component, {"title_th": "ง", "weight": "1"}).status_code == 404
    assert list(PilotComponent.objects.values_list("title_th", flat=True)) == ["ก", "ข"]


def test_milestone_form_takes_buddhist_era_dates(pilot, client):
    component = PilotComponent.objects.create(pilot=pilot, title_th="ก")
    client.login(username="coordinator", password=PASSWORD)
    response = client.post(reverse("pilots:milestone-new", args=[pilot.pk]), {
        "component": component.pk, "title_th": "จัดซื้อ", "planned_start": "01/07/2553",
        "planned_end": "30/09/2553", "status": "under_way", "percent": "50", "weight": "1"},
        HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 302
    m = Milestone.objects.get()
    assert m.planned_end == dt.date(2010, 9, 30)
    page = client.get(reverse("pilots:workplan", args=[pilot.pk]),
                      HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert "2553" in page and "overdue" in page  # 2010 is long past: flagged


def bulk_pilots(world, n, offset):
    """n published pilots with a workplan and spending, made with bulk_create (fast)."""
    from apps.proposals.models import Decision, Proposal
    from apps.proposals.testing import make_call, make_organisation

    call = make_call(world.city if offset % 2 == 0 else world.other_city, open=False)
    org = make_organisation(call.city, f"องค์กร {offset}")
    user = world.user("proponent")
    proposals = Proposal.objects.bulk_create(
        Proposal(call=call, proponent=user, organisation=org, title_th=f"โครงการ {offset + i}",
                 problem_th="x") for i in range(n))
    decisions = Decision.objects.bulk_create(
        Decision(proposal=p, outcome="approved", approved_budget=Decimal("100000"),
                 decided_by=world.user("funder")) for p in proposals)
    pilots = Pilot.objects.bulk_create(
        Pilot(city=call.city, proposal=p, decision=d, title_th=p.title_th, published=True,
              approved_budget=Decimal("100000"), start_date=dt.date(2010, 7, 1),
              end_date=dt.date(2011, 6, 30)) for p, d in zip(proposals, decisions))
    components = PilotComponent.objects.bulk_create(
        PilotComponent(pilot=p, title_th="ก", weight=2) for p in pilots)
    Milestone.objects.bulk_create(
        Milestone(component=c, title_th="ง", percent=50, planned_end=dt.date(2010, 9, 1))
        for c in components)
    lines = PilotBudgetLine.objects.bulk_create(
        PilotBudgetLine(pilot=p, item="ค่าวัสดุ", amount=Decimal("1000")) for p in pilots)
    Expense.objects.bulk_create(
        Expense(line=line, amount=Decimal("2000"), date=dt.date(2010, 8, 1), description="x")
        for line in lines)


def test_network_overview_keeps_a_flat_query_count(client, world):
    """10 vs 200 pilots: the same number of queries (a note instead of a benchmark: the
    roll-ups are correlated subqueries over indexed foreign keys, one row per pilot)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("pilots:overview", args=[world.network.slug])
    counts = []
    for n, offset in ((10, 0), (190, 10)):
        bulk_pilots(world, n, offset)
        client.login(username="coordinator", password=PASSWORD)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        counts.append(len(queries))
    content = response.content.decode()
    assert content.count("Overspent") >= 200 and "โครงการ 199" in content
    assert "50%" in content  # progress
    assert counts[0] == counts[1], counts


def test_team_sets_the_implementation_period_in_buddhist_era(pilot, client):
    url = reverse("pilots:schedule", args=[pilot.pk])
    client.login(username="proponent", password=PASSWORD)
    response = client.post(url, {"start_date": "01/07/2553", "end_date": "30/06/2553",
                                 "status": "running"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200  # English refuses a BE year; and the end is before
    response = client.post(url, {"start_date": "01/07/2553", "end_date": "30/06/2554",
                                 "status": "cancelled"}, HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 200  # cancelling is the funder's decision, not this form
    response = client.post(url, {"start_date": "01/07/2553", "end_date": "30/06/2554",
                                 "status": "running"}, HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 302
    pilot.refresh_from_db()
    assert (pilot.start_date, pilot.end_date, pilot.status) == (
        dt.date(2010, 7, 1), dt.date(2011, 6, 30), "running")
    client.login(username="member", password=PASSWORD)
    assert client.post(url, {"start_date": "01/07/2553", "end_date": "30/06/2555",
                             "status": "done"}).status_code == 403
    pilot.refresh_from_db()
    assert pilot.status == "running"
