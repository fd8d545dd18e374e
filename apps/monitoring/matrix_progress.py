"""The M&E progress pages in the central permission matrix (tests/), merged into
apps/monitoring/matrix.py by `install(globals())` on its last line.

Reports are unpublished city data: the city pages answer the city's readers (others 404,
anonymous visitors go to the login page); refreshing from attendance is for the city's editors;
the network roll-up for the network's national coordinator (403 for others). The indicator a
page needs is made on first use (page_kwargs runs before the matrix takes its fingerprint), so
this needs no prepare() of its own."""
import datetime as dt
from decimal import Decimal

PAGE_SPECS = {
    "monitoring:progress": [("get", "login-private-read", None)],
    "monitoring:progress-indicator": [("get", "login-private-read", None)],
    "monitoring:progress-refresh": [("post", "city-edit", {})],
    "monitoring:network-progress": [("get", "network-admin", None)],
}

KEY = "monitoring_progress_indicator"


def indicator_for(world, target):
    from apps.monitoring.models import Criterion, Indicator, Period, Target

    objects = world.objects[target]
    if KEY not in objects:
        city = world.cities[target]
        criterion = Criterion.objects.create(city=city, name_th="เกณฑ์ความก้าวหน้า")
        indicator = Indicator.objects.create(city=city, criterion=criterion, code="MPROG",
                                             name_th="ตัวชี้วัดความก้าวหน้า", source="participants")
        period, _ = Period.objects.get_or_create(
            city=city, start=dt.date(2010, 7, 1),
            defaults={"label_th": "ไตรมาสทดสอบ", "end": dt.date(2010, 9, 30)})
        Target.objects.create(indicator=indicator, period=period, value=Decimal(10))
        objects[KEY] = indicator
    return objects[KEY]


def page_kwargs(name, world, target):
    city = world.cities[target]
    if name in ("monitoring:progress", "monitoring:progress-refresh"):
        return {"slug": city.slug}
    if name == "monitoring:progress-indicator":
        return {"slug": city.slug, "pk": indicator_for(world, target).pk}
    if name == "monitoring:network-progress":
        return {"slug": city.network.slug}
    return None


def fingerprint():
    from apps.monitoring.models import Report, Value

    return (list(Report.objects.order_by("pk").values_list("pk", "status")),
            list(Value.objects.order_by("report_id", "indicator_id", "category")
                 .values_list("report_id", "indicator_id", "category", "number", "note")))


def install(namespace):
    """Merge these declarations into the app's matrix module namespace, chaining any
    page_kwargs()/fingerprint() it already has."""
    namespace["PAGE_SPECS"].update(PAGE_SPECS)
    theirs_kwargs = namespace.get("page_kwargs")
    theirs_fingerprint = namespace.get("fingerprint")

    def chained_kwargs(name, world, target):
        found = page_kwargs(name, world, target)
        if found is None and theirs_kwargs is not None:
            found = theirs_kwargs(name, world, target)
        return found

    def chained_fingerprint():
        return (theirs_fingerprint() if theirs_fingerprint else None, fingerprint())

    namespace["page_kwargs"] = chained_kwargs
    namespace["fingerprint"] = chained_fingerprint
