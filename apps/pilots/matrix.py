"""Pilot pages in the central permission matrix (tests/). The pilots themselves are made in
apps/proposals/matrix.py prepare() (each target city's proposal is approved) and are not
published: the city's readers, the network's funder reviewers who approved them and the pilot
team (the proposal's proponent: `proponent` owns A1's) see them, others get 404 as for a
missing one. prepare() below gives each pilot a component, a milestone, an expense with a
receipt and a draft report with a photo.

Kinds:
- "pilot-read": the readers above; others 404.
- "pilot-write": workplan, expenses, reports: the pilot team and the city's editors; the
  pilot's other readers 403, others 404.
- "pilot-review": reviewing reports, closing budget lines: the city's editors only.
- "pilot-publish": publishing: the network's national coordinator; the pilot's other readers
  403, others 404. The matrix posts published=0 (already so): allowed roles change nothing.
Deleting from the workplan uses a spare component and milestone made for it, so the pages
after it still find theirs.
"""
import datetime as dt
from decimal import Decimal

from tests.test_permission_matrix import EDIT, NETWORK_ADMIN, READ

TEAM = {"proponent": {"own"}}


def _in(table, role, target):
    return target in table.get(role, set())


def readable(role, target):
    funded = role == "funder" and target in ("own", "sibling")
    return _in(READ, role, target) or funded or _in(TEAM, role, target)


def expected(kind, role, target):
    if kind not in ("pilot-read", "pilot-write", "pilot-review", "pilot-publish"):
        return None
    if kind == "pilot-read":
        return 200 if readable(role, target) else 404
    if role == "anonymous":
        return 302
    if kind == "pilot-publish":
        allowed = _in(NETWORK_ADMIN, role, target)
        return "ok" if allowed else (403 if readable(role, target) else 404)
    allowed = _in(EDIT, role, target) or (kind == "pilot-write" and _in(TEAM, role, target))
    return "ok" if allowed else (403 if readable(role, target) else 404)


PAGE_SPECS = {
    "pilots:detail": [("get", "pilot-read", None)],
    "pilots:overview": [("get", "public", None)],
    "pilots:workplan": [("get", "pilot-read", None)],
    "pilots:schedule": [("post", "pilot-write", {})],
    "pilots:component-new": [("post", "pilot-write", {})],
    "pilots:milestone-new": [("post", "pilot-write", {})],
    "pilots:milestone-edit": [("get", "pilot-write", None), ("post", "pilot-write", {})],
    "pilots:budget": [("get", "pilot-read", None)],
    "pilots:expense-new": [("post", "pilot-write", {})],
    "pilots:receipt": [("get", "pilot-read", None)],
    "pilots:reports": [("get", "pilot-read", None)],
    "pilots:report-new": [("post", "pilot-write", {})],
    "pilots:report": [("get", "pilot-read", None)],
    "pilots:photo": [("get", "pilot-read", None)],
    # Before the submit below: the edit page of a draft.
    "pilots:report-edit": [("get", "pilot-write", None)],
    "pilots:report-submit": [("post", "pilot-write", {})],
    "pilots:report-review": [("post", "pilot-review", {})],  # no decision: re-rendered
    "pilots:line-close": [("post", "pilot-review", {})],
    "pilots:milestone-delete": [("get", "pilot-write", None), ("post", "pilot-write", {})],
    "pilots:component-delete": [("get", "pilot-write", None), ("post", "pilot-write", {})],
    "pilots:publish": [("post", "pilot-publish", {"published": "0"})],
}


def page_kwargs(name, world, target):
    if not name.startswith("pilots:"):
        return None
    objects = world.objects[target]
    if name == "pilots:overview":
        return {"slug": world.cities[target].network.slug}
    key = {"pilots:milestone-edit": "pilots_milestone", "pilots:receipt": "pilots_expense",
           "pilots:report": "pilots_report", "pilots:report-edit": "pilots_report",
           "pilots:report-submit": "pilots_report", "pilots:report-review": "pilots_report",
           "pilots:photo": "pilots_photo", "pilots:line-close": "pilots_line",
           "pilots:milestone-delete": "pilots_spare_milestone",
           "pilots:component-delete": "pilots_spare_component"}.get(name, "pilot")
    return {"pk": objects[key].pk}


def prepare(world):
    from django.core.files.base import ContentFile

    from apps.pilots.models import (
        Expense, Milestone, PilotComponent, PilotPhoto, ProgressReport,
    )

    for target in world.cities:
        objects = world.objects[target]
        pilot = objects["pilot"]
        component = PilotComponent.objects.create(pilot=pilot, title_th="ติดตั้งอุปกรณ์")
        milestone = Milestone.objects.create(component=component, title_th="จัดซื้อ",
                                             planned_end=dt.date(2010, 9, 30), percent=50)
        line = pilot.budget_lines.first()
        expense = Expense(line=line, amount=Decimal("1000"), date=dt.date(2010, 8, 1),
                          description="ค่าวัสดุ", receipt_type="application/pdf")
        expense.receipt.save("receipt.pdf", ContentFile(b"%PDF-1.4 receipt"), save=False)
        expense.record(None)
        report = ProgressReport.objects.create(pilot=pilot, period="ก.ค.-ก.ย. 2553",
                                               narrative_th="คืบหน้า", percent=40)
        photo = PilotPhoto(report=report, caption="หน้างาน")
        photo.image.save("photo.jpg", ContentFile(b"\xff\xd8\xff matrix"), save=False)
        photo.save()
        spare = PilotComponent.objects.create(pilot=pilot, title_th="ส่วนงานสำรอง")
        spare_milestone = Milestone.objects.create(component=component, title_th="งานสำรอง")
        objects.update(pilots_spare_component=spare, pilots_spare_milestone=spare_milestone)
        objects.update(pilots_component=component, pilots_milestone=milestone,
                       pilots_line=line, pilots_expense=expense, pilots_report=report,
                       pilots_photo=photo)


def fingerprint():
    from apps.pilots.models import (
        Expense, Milestone, Pilot, PilotBudgetLine, PilotComponent, PilotPhoto, ProgressReport,
        ReportChange,
    )

    return (
        PilotComponent.objects.count(),
        sorted(Milestone.objects.values_list("pk", "status", "percent", "title_th")),
        sorted(PilotBudgetLine.objects.values_list("pk", "closed")), Expense.objects.count(),
        sorted(Pilot.objects.values_list("pk", "start_date", "end_date", "status", "published")),
        sorted(ProgressReport.objects.values_list("pk", "status", "period", "percent")),
        PilotPhoto.objects.count(), ReportChange.objects.count(),
    )


# -- the API (apps/pilots/api.py): read-only ---------------------------------------------------
API_SPECS = {
    ("get", "/api/pilots"): ("list", "pilot"),
    ("get", "/api/pilots/{pilot_id}"): ("pilot-read", None),
}


def api_path(path, world, target):
    if "{pilot_id}" not in path:
        return None
    return path.replace("{pilot_id}", str(world.objects[target]["pilot"].pk))


def api_expected(kind, role, target):
    if kind == "pilot-read":  # a public read: anonymous callers see published pilots only
        return 200 if readable(role, target) else 404
    return None


def listed_for(what, role, target):
    return readable(role, target) if what == "pilot" else None


def listed(payload, what, world, target):
    if what != "pilot":
        return None
    items = payload["items"] if isinstance(payload, dict) else payload
    return any(item["id"] == world.objects[target]["pilot"].pk for item in items)
