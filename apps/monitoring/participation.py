"""Participation indicators, filled from event attendance instead of typed in.

For an indicator whose `source` is not "manual", a period's value is computed from the people
checked in at the city's own events (events of its city activities) that started within the
period's dates, cancelled events left out:
- "participants": the number of attendances (one per person per event, as the events'
  attendance statistics count them); disaggregated by gender when the indicator has a "gender"
  dimension, its categories matched by name (women/female/หญิง, men/male/ชาย, other,
  undisclosed). People whose gender matches no category are in the total only, and a note says
  how many, so the total and the categories may differ (the rules accept a noted difference);
- "women_share": women among all attendances, in percent (no value without attendance);
- "vulnerable": people carry no vulnerable-group field yet (apps.people), so nothing is
  computed: the indicator is listed as skipped with the reason.
Events are linked to city activities, not to pilots: a pilot's participation indicator counts
the city's events too.

Values go into the period's report of the indicator's city (city-wide) or pilot, created as a
draft when missing, and only while that report is open (draft or returned, unlocked, period
unlocked): approved, submitted or locked reports are never touched.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext, gettext_lazy as _

from apps.monitoring.models import Indicator, Report, Value
from apps.people.models import Gender

AUTOMATIC = (Indicator.Source.PARTICIPANTS, Indicator.Source.WOMEN_SHARE,
             Indicator.Source.VULNERABLE)

# Category names a city may give its gender dimension, lower-cased.
GENDER_NAMES = {
    Gender.FEMALE: {"women", "woman", "female", "f", "หญิง", "ผู้หญิง", "เพศหญิง"},
    Gender.MALE: {"men", "man", "male", "m", "ชาย", "ผู้ชาย", "เพศชาย"},
    Gender.OTHER: {"other", "others", "อื่น", "อื่นๆ", "อื่น ๆ", "เพศอื่น"},
    Gender.UNDISCLOSED: {"undisclosed", "unknown", "not stated", "ไม่ระบุ"},
}

SKIP_VULNERABLE = _("No vulnerable-group data is recorded for participants yet.")
SKIP_CLOSED = _("The report is not open for values (submitted, approved or locked).")
SKIP_NO_ATTENDANCE = _("Nobody was checked in at the city's events in this period.")


def gender_of(category_name):
    name = category_name.strip().lower()
    for gender, names in GENDER_NAMES.items():
        if name in names:
            return gender
    return None


def attendance_by_gender(city, period):
    """{gender: attendances} at the city's events that started within the period. One query."""
    from apps.events.models import Event, Registration

    rows = (Registration.objects.checked_in()
            .filter(event__city_activity__city=city,
                    event__starts_at__date__gte=period.start,
                    event__starts_at__date__lte=period.end)
            .exclude(event__status=Event.Status.CANCELLED)
            .order_by().values("person__gender").annotate(n=Count("id")))
    return {row["person__gender"]: row["n"] for row in rows}


@dataclass
class Filled:
    values: int = 0
    reports: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (indicator, reason)

    def add(self, other):
        self.values += other.values
        self.reports += other.reports
        self.skipped += other.skipped


def values_for(indicator, by_gender):
    """[(category, number, note)] for one indicator, or a reason it has none."""
    total = sum(by_gender.values())
    if indicator.source == Indicator.Source.VULNERABLE:
        return SKIP_VULNERABLE
    if indicator.source == Indicator.Source.WOMEN_SHARE:
        if not total:
            return SKIP_NO_ATTENDANCE
        women = by_gender.get(Gender.FEMALE, 0)
        percent = (Decimal(women) * 100 / total).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return [("", percent, "")]
    cells = []
    counted = 0
    for category in (indicator.disaggregation or {}).get("gender", []):
        gender = gender_of(category)
        count = by_gender.get(gender, 0) if gender else 0
        counted += count
        cells.append((f"gender:{category}", Decimal(count), ""))
    note = ""
    if cells and counted != total:
        note = gettext("%(count)s participants' gender is not among the categories.") % {
            "count": total - counted}
    return [("", Decimal(total), note), *cells]


def fill_participation(city, period, by=None):
    """Compute the period's participation indicators of `city` and write them into the open
    reports. Returns what was written and what was skipped (with the reason)."""
    result = Filled()
    indicators = list(Indicator.objects.filter(city=city, source__in=AUTOMATIC)
                      .select_related("pilot").order_by("pilot_id", "pk"))
    if not indicators or period.city_id != city.pk:
        return result
    by_gender = attendance_by_gender(city, period)
    by_pilot = {}
    for indicator in indicators:
        by_pilot.setdefault(indicator.pilot_id, []).append(indicator)
    for pilot_id, group in by_pilot.items():
        with transaction.atomic():
            if period.locked:
                result.skipped += [(i, SKIP_CLOSED) for i in group]
                continue
            report, _created = Report.objects.get_or_create(city=city, pilot_id=pilot_id,
                                                            period=period)
            report = Report.objects.select_for_update().select_related("period").get(
                pk=report.pk)  # no submit or approval slips in while we write
            if not report.is_open():
                result.skipped += [(i, SKIP_CLOSED) for i in group]
                continue
            rows, written = [], []
            for indicator in group:
                cells = values_for(indicator, by_gender)
                if not isinstance(cells, list):
                    result.skipped.append((indicator, cells))
                    continue
                written.append(indicator.pk)
                rows += [Value(report=report, indicator=indicator, category=category,
                               number=value, note=note) for category, value, note in cells]
            report.values.filter(indicator_id__in=written).delete()
            Value.objects.bulk_create(rows)
            result.values += len(rows)
            result.reports.append(report)
    return result


def fill_city(city, today=None, by=None):
    """Every period of the city that has started, e.g. from the progress page's button."""
    from django.utils import timezone

    today = today or timezone.localdate()
    result = Filled()
    for period in city.me_periods.filter(start__lte=today).order_by("start"):
        result.add(fill_participation(city, period, by=by))
    return result
