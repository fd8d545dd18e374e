"""How a city's (and a network's) indicators stand against their targets.

Everything here reads a fixed number of queries whatever the number of indicators, periods,
pilots and cities: the indicators, the periods, the targets and the approved values are each
read once for the whole city (or network) and put together in Python.

- Actuals are the approved reports' totals (category ""). A cumulative indicator's actual for a
  period is its running total: the sum of the approved increments of that period and every
  earlier one, summed by the database with a window partitioned per indicator (the batched form
  of `Value.objects.running_totals`).
- The traffic light looks at the latest period with an approved actual: green when the actual
  reaches the target, amber when it falls short by at most the threshold (10 % of the target by
  default, `settings.MONITORING_AMBER_SHORTFALL`), red beyond, grey without a number or a
  target. The model has no "lower is better" flag, so higher is always better here.
- Roll-ups count indicators by light per criterion, per city, per pilot; "share on track" is
  green ÷ the indicators that could be judged (green, amber, red), None when there are none.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db.models import F, Sum, Window
from django.utils.translation import gettext_lazy as _

from apps.monitoring.models import Indicator, Period, Target, Value

GREEN, AMBER, RED, GREY = "green", "amber", "red", "grey"
LIGHTS = (GREEN, AMBER, RED, GREY)
LIGHT_LABELS = {GREEN: _("On track"), AMBER: _("Slightly behind"), RED: _("Off track"),
                GREY: _("No data or no target")}
JUDGED = (GREEN, AMBER, RED)


def amber_shortfall():
    return Decimal(str(getattr(settings, "MONITORING_AMBER_SHORTFALL", "0.10")))


def light_for(actual, target, threshold=None):
    """The light of an actual against its target (higher is better)."""
    if actual is None or target is None:
        return GREY
    if actual >= target:
        return GREEN
    threshold = amber_shortfall() if threshold is None else threshold
    # A shortfall measured against the target's size; a zero target is met by anything >= 0.
    return AMBER if target - actual <= abs(target) * threshold else RED


def share(counts):
    judged = sum(counts[light] for light in JUDGED)
    return counts[GREEN] / judged if judged else None


def number(value):
    """A Decimal for people: 1,234.5 (no trailing zeros), or "" for None."""
    if value is None:
        return ""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class Point:
    period: Period
    actual: Decimal | None = None  # the period's value, or the running total if cumulative
    increment: Decimal | None = None  # a cumulative indicator's own value for the period
    text: str = ""
    target: Decimal | None = None

    @property
    def light(self):
        return light_for(self.actual, self.target)

    @property
    def light_label(self):
        return LIGHT_LABELS[self.light]

    @property
    def actual_display(self):
        return number(self.actual)

    @property
    def increment_display(self):
        return number(self.increment)

    @property
    def target_display(self):
        return number(self.target)


@dataclass
class IndicatorProgress:
    indicator: Indicator
    points: list  # one Point per period of the city, in period order

    # Cached: pages read these several times per row, for thousands of rows.
    @cached_property
    def latest(self):
        """The latest period with an approved actual (a number, or a text if qualitative)."""
        for point in reversed(self.points):
            if point.actual is not None or point.text:
                return point
        return None

    @cached_property
    def light(self):
        latest = self.latest
        if latest is None or not self.indicator.is_quantitative:
            return GREY
        return latest.light

    @property
    def light_label(self):
        return LIGHT_LABELS[self.light]

    @property
    def baseline_display(self):
        indicator = self.indicator
        return number(indicator.baseline) if indicator.baseline is not None else \
            indicator.baseline_text

    def chart(self):
        """The data charts.js draws: actual and target per period (null where missing)."""
        def floats(values):
            return [None if v is None else float(v) for v in values]

        indicator = self.indicator
        return {
            "id": indicator.pk, "title": f"{indicator.code} · {indicator.name}",
            "unit": indicator.unit, "labels": [p.period.label for p in self.points],
            "actual": floats(p.actual for p in self.points),
            "target": floats(p.target for p in self.points),
            "actual_label": str(_("Running total") if indicator.cumulative else _("Actual")),
            "target_label": str(_("Target")),
        }


def counts_of(rows):
    counts = dict.fromkeys(LIGHTS, 0)
    for row in rows:
        counts[row.light] += 1
    return counts


@dataclass
class Group:
    """Indicators under one heading (a criterion, a city, a pilot) and their lights."""

    key: object
    label: str
    rows: list = field(default_factory=list)
    link: str = ""

    @property
    def counts(self):
        # Recounted while rows are still being added; cheap next to rendering.
        return counts_of(self.rows)

    @property
    def on_track(self):
        return self.counts[GREEN]

    @property
    def off_track(self):
        counts = self.counts
        return counts[AMBER] + counts[RED]

    @property
    def no_data(self):
        return self.counts[GREY]

    @property
    def share(self):
        return share(self.counts)

    @property
    def share_pct(self):
        value = self.share
        return None if value is None else round(value * 100)


def _approved_values(indicator_filter, categories=False):
    """(indicator_id, category, period_id, number, running_total, text) of approved values,
    running totals summed per indicator and category in period order. One query."""
    values = Value.objects.approved().filter(**indicator_filter)
    if not categories:
        values = values.filter(category="")
    return (values.order_by()
            .annotate(running=Window(Sum("number"),
                                     partition_by=[F("indicator_id"), F("category")],
                                     order_by=F("report__period__start").asc()))
            .values_list("indicator_id", "category", "report__period_id", "number", "running",
                         "text"))


def build(indicators, periods_by_city, indicator_filter, value_filter):
    """IndicatorProgress for each indicator. `periods_by_city`: city id -> periods in order;
    `indicator_filter` selects the targets, `value_filter` the values (through their report:
    the values' primary key leads with the report)."""
    targets = dict(((i, p), v) for i, p, v in Target.objects.filter(
        **{f"indicator__{k}": v for k, v in indicator_filter.items()}).order_by()
        .values_list("indicator_id", "period_id", "value"))
    cumulative = {i.pk for i in indicators if i.cumulative}
    actuals = {}
    for indicator_id, _category, period_id, value, running, text in _approved_values(
            value_filter):
        actuals[(indicator_id, period_id)] = (value, running, text)
    result = []
    for indicator in indicators:
        points = []
        for period in periods_by_city.get(indicator.city_id, []):
            value, running, text = actuals.get((indicator.pk, period.pk), (None, None, ""))
            is_cumulative = indicator.pk in cumulative
            points.append(Point(period=period, actual=running if is_cumulative else value,
                                increment=value if is_cumulative else None, text=text,
                                target=targets.get((indicator.pk, period.pk))))
        result.append(IndicatorProgress(indicator, points))
    return result


def periods_of(**filters):
    by_city = defaultdict(list)
    for period in Period.objects.filter(**filters).order_by("start"):
        by_city[period.city_id].append(period)
    return by_city


@dataclass
class CityProgress:
    city: object
    periods: list
    indicators: list  # IndicatorProgress
    criteria: list  # Group per criterion
    pilots: list  # Group per pilot (city-wide indicators under key None)

    @property
    def counts(self):
        return counts_of(self.indicators)

    @property
    def share_pct(self):
        value = share(self.counts)
        return None if value is None else round(value * 100)

    def charts(self):
        return [row.chart() for row in self.indicators if row.indicator.is_quantitative]


def city_progress(city, indicators=None):
    """The city's indicators with their points and lights, grouped by criterion and by pilot.
    Five queries. `indicators` narrows the indicator queryset (e.g. visible_to(user))."""
    queryset = indicators if indicators is not None else Indicator.objects.all()
    indicators = list(queryset.filter(city=city).select_related("criterion", "pilot"))
    periods = periods_of(city=city)
    rows = build(indicators, periods, {"city": city}, {"report__city": city})
    criteria, pilots = {}, {}
    for row in rows:
        criterion = row.indicator.criterion
        criteria.setdefault(criterion.pk, Group(criterion.pk, criterion.name)).rows.append(row)
        pilot = row.indicator.pilot
        label = pilot.title if pilot else str(_("City-wide"))
        pilots.setdefault(pilot.pk if pilot else None, Group(pilot and pilot.pk, label)
                          ).rows.append(row)
    return CityProgress(city, periods.get(city.pk, []), rows, list(criteria.values()),
                        list(pilots.values()))


def indicator_progress(indicator):
    """One indicator: its points (as on the city page) and its values by category and period.
    Four queries."""
    periods = periods_of(city_id=indicator.city_id)
    through_reports = {"report__city_id": indicator.city_id,
                       "report__pilot_id": indicator.pilot_id, "indicator": indicator}
    row, = build([indicator], periods, {"pk": indicator.pk}, through_reports)
    by_cell = {}
    for _i, category, period_id, value, running, text in _approved_values(
            through_reports, categories=True):
        by_cell[(category, period_id)] = running if indicator.cumulative else value
    return row, by_cell


@dataclass
class NetworkProgress:
    network: object
    cities: list  # Group per city
    pilots: list  # Group per pilot, with the city on the group

    @property
    def counts(self):
        return counts_of(row for city in self.cities for row in city.rows)

    @property
    def share_pct(self):
        value = share(self.counts)
        return None if value is None else round(value * 100)


def network_progress(network):
    """Every city of the network with its indicators' lights, and every pilot's. Five queries
    whatever the number of cities, pilots and indicators."""
    from apps.networks.models import City

    cities = {c.pk: Group(c, c.name) for c in City.objects.filter(network=network)
              .order_by("name_th")}
    indicators = list(Indicator.objects.filter(city__network=network).select_related("pilot")
                      .order_by("city_id", "pilot_id", "pk"))
    rows = build(indicators, periods_of(city__network=network), {"city__network": network},
                 {"report__city__network": network})
    pilots = {}
    for row in rows:
        indicator = row.indicator
        cities[indicator.city_id].rows.append(row)
        if indicator.pilot_id:
            group = pilots.get(indicator.pilot_id)
            if group is None:
                group = pilots[indicator.pilot_id] = Group(indicator.pilot, indicator.pilot.title)
                group.city = cities[indicator.city_id].key
            group.rows.append(row)
    return NetworkProgress(network, list(cities.values()), list(pilots.values()))
