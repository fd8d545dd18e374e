"""The monitoring app's pages and endpoints in the central permission matrices (tests/).

prepare() gives each target city a reporting period, a criterion with a city-wide indicator,
a draft report of the city's pilot (apps/proposals/matrix.py made the pilot; `proponent` is
A1's pilot team) and a finished import. Kinds of our own:
- "me-read": a report: the city's readers and, for a pilot's report, its team; others 404.
- "me-write": entering values, submitting: the city's editors and the pilot team; the other
  readers 403; others 404.
- "me-open": opening a period's report: as "me-write" (the form posted is empty, so nothing
  is opened; allowed users are sent back with a message).
- "me-review": returning, approving, locking: the city's editors; other readers 403.
"""
import datetime as dt

from tests.test_permission_matrix import EDIT, READ

TEAM = {"proponent": {"own"}}


def _in(table, role, target):
    return target in table.get(role, set())


def expected(kind, role, target):
    if kind not in ("me-read", "me-write", "me-open", "me-review"):
        return None
    if role == "anonymous":
        return 302
    readable = _in(READ, role, target) or _in(TEAM, role, target)
    if kind == "me-read":
        return 200 if readable else 404
    allowed = _in(EDIT, role, target) or (kind != "me-review" and _in(TEAM, role, target))
    return "ok" if allowed else (403 if readable else 404)


PAGE_SPECS = {
    "monitoring:framework": [("get", "login-private-read", None)],
    "monitoring:start": [("post", "city-edit", {})],
    "monitoring:criterion-new": [("post", "city-edit", {"name_th": "เกณฑ์ใหม่"})],
    "monitoring:period-new": [("post", "city-edit", {})],  # invalid: re-rendered
    "monitoring:library-pick": [("post", "city-edit", {})],  # invalid: re-rendered
    "monitoring:indicator-new": [("get", "city-edit", None)],
    "monitoring:indicator-edit": [("get", "city-edit", None)],
    "monitoring:targets": [("get", "city-edit", None)],
    "monitoring:report-open": [("post", "me-open", {})],
    "monitoring:import-new": [("get", "city-edit", None)],
    "monitoring:import": [("get", "city-edit", None)],
    "monitoring:import-poll": [("get", "city-edit", None)],
    "monitoring:report": [("get", "me-read", None)],
    "monitoring:report-history": [("get", "me-read", None)],
    "monitoring:pilot-reports": [("get", "me-read", None)],
    "monitoring:report-edit": [("get", "me-write", None)],  # before the submit below
    "monitoring:report-review": [("post", "me-review", {})],  # no decision: re-rendered
    "monitoring:report-submit": [("post", "me-write", {})],
}


def page_kwargs(name, world, target):
    if not name.startswith("monitoring:") or name not in PAGE_SPECS:
        return None
    objects = world.objects[target]
    if name.startswith("monitoring:report") and name != "monitoring:report-open":
        return {"pk": objects["monitoring_report"].pk}
    if name in ("monitoring:indicator-edit", "monitoring:targets"):
        return {"pk": objects["monitoring_indicator"].pk}
    if name in ("monitoring:import", "monitoring:import-poll"):
        return {"pk": objects["monitoring_import"].pk}
    if name == "monitoring:pilot-reports":
        return {"pk": objects["pilot"].pk}
    return {"slug": world.cities[target].slug}


def prepare(world):
    from django.core.files.base import ContentFile

    from apps.monitoring.models import Criterion, Indicator, Period, Report, ValueImport

    for target, city in world.cities.items():
        objects = world.objects[target]
        period = Period.objects.create(city=city, label_th="ไตรมาส 1/2554",
                                       start=dt.date(2011, 1, 1), end=dt.date(2011, 3, 31))
        criterion = Criterion.objects.create(city=city, name_th="เกณฑ์")
        indicator = Indicator.objects.create(city=city, criterion=criterion, code="M1",
                                             name_th="ครัวเรือน", unit="ครัวเรือน")
        report = Report.objects.create(city=city, pilot=objects["pilot"], period=period)
        job = ValueImport(city=city, filename="values.csv", status=ValueImport.Status.DONE)
        job.file.save("values.csv", ContentFile(b"indicator,period,value\n"), save=False)
        job.save()
        objects.update(monitoring_period=period, monitoring_indicator=indicator,
                       monitoring_report=report, monitoring_import=job)


def fingerprint():
    from apps.monitoring.models import (
        Criterion, Indicator, Period, ReportChange, Target, ValueImport,
    )

    return (
        sorted(Criterion.objects.values_list("pk", "name_th")),
        sorted(Indicator.objects.values_list("pk", "code", "name_th", "criterion_id")),
        Period.objects.count(), Target.objects.count(), ReportChange.objects.count(),
        ValueImport.objects.count(),
    )


# -- the API (apps/monitoring/api.py): read-only ----------------------------------------------
# "me-api-read": a pilot's indicators and approved values: the city's readers and the pilot
# team, 404 to everyone else (anonymous callers too: nothing here is public).
# "private-read" (central): a city's roll-up, its readers. "me-api-network": the network's
# roll-up, its national coordinator; 401 anonymous, 403 others.
API_SPECS = {
    ("get", "/api/monitoring/pilots/{pilot_id}/indicators"): ("me-api-read", None),
    ("get", "/api/monitoring/cities/{slug}/progress"): ("private-read", None),
    ("get", "/api/monitoring/networks/{slug}/progress"): ("me-api-network", None),
}


def api_path(path, world, target):
    if not path.startswith("/api/monitoring/"):
        return None
    city = world.cities[target]
    return (path.replace("{pilot_id}", str(world.objects[target]["pilot"].pk))
            .replace("{slug}", city.network.slug if "/networks/" in path else city.slug))


def api_expected(kind, role, target):
    from tests.test_permission_matrix import NETWORK_ADMIN

    if kind == "me-api-read":
        return 200 if _in(READ, role, target) or _in(TEAM, role, target) else 404
    if kind == "me-api-network":
        if role == "anonymous":
            return 401
        return 200 if _in(NETWORK_ADMIN, role, target) else 403
    return None


from apps.monitoring import matrix_progress  # noqa: E402
matrix_progress.install(globals())  # PAGE_SPECS.update(...), page_kwargs and fingerprint chained
