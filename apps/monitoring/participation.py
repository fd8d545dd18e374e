"""Participation indicators, filled from event attendance instead of typed in.

For an indicator whose `source` is not "manual", a period's value is computed from the people
checked in at the city's own events (events of its city activities) that started within the
period's dates, cancelled events left out:
- "participants": the number of attendances (one per person per event, as the events'
  attendance statistics count them);
- "vulnerable": the attendances whose participant declared a vulnerable group
  (Registration.vulnerable_group, self-declared at registration or check-in); a note says how
  many declared none, since "not declared" is not "not vulnerable";
- "women_share": women among all attendances, in percent (no value without attendance).
"participants" and "vulnerable" are disaggregated by gender when the indicator has a "gender"
dimension, and by vulnerable group when it has a "vulnerable_group" dimension (also
"vulnerable", "group", "กลุ่มเปราะบาง"); categories are matched by name (women/หญิง,
disability/คนพิการ, older/ผู้สูงอายุ...). Attendances matching no category are in the total only,
and a note says how many, so the total and the categories may differ (the rules accept a noted
difference).

Pilots: an event may belong to a pilot of its city (Event.pilot). A pilot's indicator counts
only that pilot's events as soon as the pilot has any event linked (in any period); a pilot
with none linked counts the city's events, as before links existed. Why: a city that links
its events wants each pilot's own figures, and a period in which the pilot held no event of
its own then reads 0 rather than the whole city's numbers; a city that never links keeps
meaningful numbers instead of zeros. City-wide indicators count all the city's events.

Values go into the period's report of the indicator's city (city-wide) or pilot, created as a
draft when missing, and only while that report is open (draft or returned, unlocked, period
unlocked): approved, submitted or locked reports are never touched.
"""
from collections import Counter
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

# Category names a city may give its vulnerable-group dimension, lower-cased (the stored
# values, e.g. "disability", match too).
GROUP_NAMES = {
    "disability": {"disabled", "persons with disabilities", "pwd", "คนพิการ", "ผู้พิการ"},
    "older": {"elderly", "older people", "older persons", "ผู้สูงอายุ"},
    "low_income": {"poor", "low income", "ผู้มีรายได้น้อย", "ครัวเรือนรายได้น้อย"},
    "minority": {"ethnic minority", "stateless", "ชาติพันธุ์", "กลุ่มชาติพันธุ์", "ไร้สัญชาติ"},
    "migrant": {"migrants", "migrant workers", "แรงงานข้ามชาติ"},
    "other": {"other", "others", "อื่น", "อื่นๆ", "อื่น ๆ"},
}
GROUP_DIMENSIONS = {"vulnerable_group", "vulnerable group", "vulnerable", "group",
                    "กลุ่มเปราะบาง"}
SKIP_CLOSED = _("The report is not open for values (submitted, approved or locked).")
SKIP_NO_ATTENDANCE = _("Nobody was checked in at the city's events in this period.")


def gender_of(category_name):
    name = category_name.strip().lower()
    for gender, names in GENDER_NAMES.items():
        if name in names:
            return gender
    return None


def group_of(category_name):
    name = category_name.strip().lower()
    for group, names in GROUP_NAMES.items():
        if name == group or name in names:
            return group
    return None


def attendance(city, period):
    """{(pilot id or None, gender, vulnerable group): attendances} at the city's events that
    started within the period. One query."""
    from apps.events.models import Event, Registration

    rows = (Registration.objects.checked_in()
            .filter(event__city_activity__city=city,
                    event__starts_at__date__gte=period.start,
                    event__starts_at__date__lte=period.end)
            .exclude(event__status=Event.Status.CANCELLED)
            .order_by().values("event__pilot_id", "person__gender", "vulnerable_group")
            .annotate(n=Count("id")))
    return {(row["event__pilot_id"], row["person__gender"], row["vulnerable_group"]): row["n"]
            for row in rows}


def pilots_with_events(pilot_ids):
    """The pilots among `pilot_ids` that have any event linked. One query."""
    from apps.events.models import Event

    return set(Event.objects.filter(pilot_id__in=pilot_ids).order_by()
               .values_list("pilot_id", flat=True).distinct())


class Attendance:
    """Attendances of one indicator's events by (gender, vulnerable group)."""

    def __init__(self, counts):
        self.counts = counts  # {(gender, group): n}

    @classmethod
    def of(cls, by_key, pilot_id=None):
        """All of them (pilot_id None), or those of one pilot's events."""
        counts = Counter()
        for (pilot, gender, group), n in by_key.items():
            if pilot_id is None or pilot == pilot_id:
                counts[(gender, group)] += n
        return cls(counts)

    def by_gender(self, vulnerable_only=False):
        counts = Counter()
        for (gender, group), n in self.counts.items():
            if group or not vulnerable_only:
                counts[gender] += n
        return counts

    def by_group(self):
        counts = Counter()
        for (_gender, group), n in self.counts.items():
            counts[group] += n
        return counts


@dataclass
class Filled:
    values: int = 0
    reports: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (indicator, reason)

    def add(self, other):
        self.values += other.values
        self.reports += other.reports
        self.skipped += other.skipped


def _cells(dimension, categories, counts, match):
    """[(category cell, number, "")] and how many attendances they count."""
    cells, counted = [], 0
    for category in categories:
        key = match(category)
        count = counts.get(key, 0) if key else 0
        counted += count
        cells.append((f"{dimension}:{category}", Decimal(count), ""))
    return cells, counted


def values_for(indicator, seen):
    """[(category, number, note)] for one indicator from its `Attendance`, or a reason it
    has none."""
    vulnerable = indicator.source == Indicator.Source.VULNERABLE
    by_gender = seen.by_gender(vulnerable_only=vulnerable)
    total = sum(by_gender.values())
    if indicator.source == Indicator.Source.WOMEN_SHARE:
        if not total:
            return SKIP_NO_ATTENDANCE
        women = by_gender.get(Gender.FEMALE, 0)
        percent = (Decimal(women) * 100 / total).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return [("", percent, "")]
    by_group = seen.by_group()
    notes, cells = [], []
    if vulnerable and by_group.get(""):
        notes.append(gettext("%(count)s participants declared no vulnerable group.")
                     % {"count": by_group[""]})
    for dimension, categories in (indicator.disaggregation or {}).items():
        key = dimension.strip().lower()
        if key == "gender":
            found, counted = _cells(dimension, categories, by_gender, gender_of)
            missing = gettext("%(count)s participants' gender is not among the categories.")
        elif key in GROUP_DIMENSIONS:
            groups = {g: n for g, n in by_group.items() if g}
            found, counted = _cells(dimension, categories, groups, group_of)
            missing = gettext("%(count)s participants' vulnerable group is not among the "
                              "categories.")
        else:
            continue  # a dimension attendance says nothing about: left for people to fill
        cells += found
        if counted != total:
            notes.append(missing % {"count": total - counted})
    return [("", Decimal(total), " ".join(notes)), *cells]


def fill_participation(city, period, by=None):
    """Compute the period's participation indicators of `city` and write them into the open
    reports. Returns what was written and what was skipped (with the reason). Three queries
    for the attendance and the pilots' links, then a few per report written."""
    result = Filled()
    indicators = list(Indicator.objects.filter(city=city, source__in=AUTOMATIC)
                      .select_related("pilot").order_by("pilot_id", "pk"))
    if not indicators or period.city_id != city.pk:
        return result
    by_key = attendance(city, period)
    by_pilot = {}
    for indicator in indicators:
        by_pilot.setdefault(indicator.pilot_id, []).append(indicator)
    linked = pilots_with_events([p for p in by_pilot if p is not None])
    for pilot_id, group in by_pilot.items():
        # See the module's docstring: a pilot's own events once it has any linked.
        seen = Attendance.of(by_key, pilot_id if pilot_id in linked else None)
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
                cells = values_for(indicator, seen)
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
