"""Participation indicators: vulnerable-group participants from the self-declared group, and a
pilot's indicators counting that pilot's own events once it has any linked."""
from decimal import Decimal

import pytest
from django.utils import translation

from apps.events.models import Event
from apps.monitoring import participation
from apps.monitoring.models import Indicator, Report, Value
from apps.monitoring.rules import ValueChecker
from apps.monitoring.tests.test_participation import (  # noqa: F401  (fixtures)
    attend, make_event, setup, values_of, world,
)
from apps.monitoring.tests.test_progress import bulk_pilots

pytestmark = pytest.mark.django_db
D = Decimal


def pilot_indicator(setup, pilot, code, source=Indicator.Source.PARTICIPANTS, **kw):
    criterion = setup["people"].criterion
    return Indicator.objects.create(city=criterion.city, criterion=criterion, pilot=pilot,
                                    code=code, name_th=code, source=source, **kw)


def test_vulnerable_participants_by_gender_and_group(world, setup):
    indicator = Indicator.objects.create(
        city=world.city, criterion=setup["people"].criterion, code="VULN2", name_th="เปราะบาง",
        source=Indicator.Source.VULNERABLE,
        disaggregation={"gender": ["หญิง", "ชาย"],
                        "vulnerable_group": ["disability", "older", "migrant", "other"]})
    with translation.override("en"):
        participation.fill_participation(world.city, setup["period"])
    values = values_of(Report.objects.get(pilot=None, period=setup["period"]))
    # Declared: disability (a woman), older (a man), migrant (a woman): both dimensions add up.
    assert values[("VULN2", "")] == (D(3), "3 participants declared no vulnerable group.")
    assert values[("VULN2", "gender:หญิง")] == (D(2), "")
    assert values[("VULN2", "gender:ชาย")] == (D(1), "")
    assert [values[("VULN2", f"vulnerable_group:{g}")][0]
            for g in ("disability", "older", "migrant", "other")] == [1, 1, 1, 0]
    # What was written passes the rules people's values pass.
    indicator.source = Indicator.Source.MANUAL
    checker = ValueChecker([indicator])
    for value in Value.objects.filter(indicator=indicator):
        assert checker.check(indicator, value.category, value.number, value.note)[-1] is None
    assert checker.sum_errors() == []


def test_nobody_declaring_gives_zero_with_a_note(world, setup):
    from apps.events.models import Registration

    Registration.objects.update(vulnerable_group="")
    with translation.override("en"):
        participation.fill_participation(world.city, setup["period"])
    values = values_of(Report.objects.get(pilot=None, period=setup["period"]))
    assert values[("VULN", "")] == (D(0), "6 participants declared no vulnerable group.")


def test_a_pilot_with_linked_events_counts_only_its_own(world, setup):
    linked, unlinked = bulk_pilots(world, world.city, 2, "L", framework=False)
    for pilot in (linked, unlinked):
        pilot_indicator(setup, pilot, f"P{pilot.pk}")
        pilot_indicator(setup, pilot, f"V{pilot.pk}", Indicator.Source.VULNERABLE)
    Event.objects.filter(pk=setup["event"].pk).update(pilot=linked)  # 4 came, 2 declared
    participation.fill_participation(world.city, setup["period"])
    mine = values_of(Report.objects.get(pilot=linked, period=setup["period"]))
    assert mine[(f"P{linked.pk}", "")][0] == 4 and mine[(f"V{linked.pk}", "")][0] == 2
    # A pilot without linked events counts the city's events, as before links existed.
    theirs = values_of(Report.objects.get(pilot=unlinked, period=setup["period"]))
    assert theirs[(f"P{unlinked.pk}", "")][0] == 6 and theirs[(f"V{unlinked.pk}", "")][0] == 3
    # City-wide indicators count every event of the city, linked or not.
    city = values_of(Report.objects.get(pilot=None, period=setup["period"]))
    assert city[("PART2", "")][0] == 6


def test_a_linked_pilot_without_events_in_the_period_reads_zero(world, setup):
    pilot, = bulk_pilots(world, world.city, 1, "Z", framework=False)
    pilot_indicator(setup, pilot, "PZ")
    old = Event.objects.get(title_th="งานเก่า")  # 90 days ago: outside the period
    Event.objects.filter(pk=old.pk).update(pilot=pilot)
    participation.fill_participation(world.city, setup["period"])
    values = values_of(Report.objects.get(pilot=pilot, period=setup["period"]))
    assert values[("PZ", "")] == (D(0), "")


def test_attendance_is_read_in_two_queries_whatever_the_pilots(world, setup):
    """The attendance and the pilots' links are read once for the city (reports are then
    written one by one, as before)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def event_queries(n):
        for pilot in bulk_pilots(world, world.city, n, f"Q{n}", framework=False):
            pilot_indicator(setup, pilot, f"Q{pilot.pk}")
        with CaptureQueriesContext(connection) as context:
            participation.fill_participation(world.city, setup["period"])
        return sum('"events_' in q["sql"] for q in context.captured_queries)

    assert event_queries(2) == event_queries(8) == 2
