"""The value rules, through Report.save_values (the entry form) and the workflow."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.core.testing import make_world
from apps.monitoring.models import Report, ReportChange, Value
from apps.monitoring.rules import parse_number
from apps.monitoring.tests.factories import make_framework, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    world = make_world()
    fw = make_framework(world.city)
    report = make_report(world.city, fw["q1"])
    return world, fw, report


def save(report, cells):
    with translation.override("en"):
        return report.save_values(cells)


def test_numbers_parse_strictly():
    assert parse_number("1,234.5") == (Decimal("1234.5"), None)
    assert parse_number(" 42 ")[0] == Decimal(42)
    assert parse_number("-0.25")[0] == Decimal("-0.25")
    for bad in ("abc", "1.2.3", "12,34", "1e5", "NaN", "Infinity", "1 000", "๑๒", "²"):
        number, error = parse_number(bad)
        assert number is None and error[0] == "value", bad
    assert parse_number("1.23456")[1][1].startswith("%(value)s has more than 4")
    assert parse_number(3.5)[0] == Decimal("3.5")  # a spreadsheet's number


def test_text_in_a_numeric_indicator_is_refused_and_nothing_saved(setup):
    _world, fw, report = setup
    errors = save(report, {(fw["rain"].pk, ""): ("abc", ""), (fw["story"].pk, ""): ("ดี", "")})
    assert "not a number" in errors[(fw["rain"].pk, "")]
    assert not Value.objects.exists()


def test_out_of_range_is_refused(setup):
    _world, fw, report = setup
    errors = save(report, {(fw["people"].pk, ""): ("-1", "")})
    assert "below the lowest plausible value 0" in errors[(fw["people"].pk, "")]
    errors = save(report, {(fw["people"].pk, ""): ("100,001", "")})
    assert "above the highest" in errors[(fw["people"].pk, "")]


def test_disaggregation_must_add_up_unless_a_note_says_why(setup):
    _world, fw, report = setup
    people = fw["people"].pk
    cells = {(people, ""): ("100", ""), (people, "gender:women"): ("60", ""),
             (people, "gender:men"): ("30", "")}
    errors = save(report, cells)
    assert "add up to 90, not the total 100" in errors[(people, "")]
    assert not Value.objects.exists()
    cells[(people, "gender:men")] = ("30", "10 people did not give their gender")
    assert save(report, cells) == {}
    assert Value.objects.filter(report=report).count() == 3
    cells[(people, "gender:men")] = ("40", "")
    assert save(report, cells) == {}  # adds up now; replaces the three values


def test_unknown_category_and_qualitative_text(setup):
    _world, fw, report = setup
    errors = save(report, {(fw["people"].pk, "age:old"): ("5", "")})
    assert "not a category" in errors[(fw["people"].pk, "age:old")]
    assert save(report, {(fw["story"].pk, ""): ("ชุมชนเตรียมพร้อมดีขึ้น", "")}) == {}
    assert Value.objects.get(indicator=fw["story"]).text == "ชุมชนเตรียมพร้อมดีขึ้น"


def test_locked_period_takes_no_values(setup):
    _world, fw, report = setup
    fw["q1"].locked = True
    fw["q1"].save()
    report.refresh_from_db()
    errors = save(report, {(fw["rain"].pk, ""): ("5", "")})
    assert errors and not Value.objects.exists()


def test_workflow_and_history(setup):
    world, fw, report = setup
    coordinator = world.user("coordinator")
    assert save(report, {(fw["rain"].pk, ""): ("12", "")}) == {}
    report.submit(coordinator)
    # Submitted: values are refused.
    assert save(report, {(fw["rain"].pk, ""): ("13", "")})
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        report.return_(coordinator, "  ")
    assert "comment" in refused.value.message_dict
    report.return_(coordinator, "ตรวจสอบปริมาณฝนอีกครั้ง")
    assert report.status == Report.Status.RETURNED and report.comment
    assert save(report, {(fw["rain"].pk, ""): ("13", "")}) == {}
    report.submit(coordinator)
    report.approve(coordinator)
    with pytest.raises(ValidationError):
        report.approve(coordinator)
    # Approved: editing refused, and locking keeps it approved.
    assert save(report, {(fw["rain"].pk, ""): ("14", "")})
    report.lock(coordinator)
    report.refresh_from_db()
    assert report.locked and report.status == Report.Status.APPROVED
    assert Value.objects.get(indicator=fw["rain"]).number == 13
    steps = list(ReportChange.objects.filter(report=report).values_list("from_status",
                                                                         "to_status"))
    assert steps == [("draft", "submitted"), ("submitted", "returned"),
                     ("returned", "submitted"), ("submitted", "approved"),
                     ("approved", "approved")]


def test_cumulative_running_totals_add_approved_periods(setup):
    world, fw, report = setup
    coordinator = world.user("coordinator")
    people = fw["people"]
    assert save(report, {(people.pk, ""): ("10", "")}) == {}
    report.submit(coordinator)
    report.approve(coordinator)
    second = make_report(world.city, fw["q2"])
    assert save(second, {(people.pk, ""): ("15", "")}) == {}
    totals = [(v.report.period_id, v.running_total) for v in
              Value.objects.running_totals(people)]
    assert totals == [(fw["q1"].pk, Decimal(10))]  # the draft of Q2 is not counted
    second.submit(coordinator)
    second.approve(coordinator)
    totals = [v.running_total for v in Value.objects.running_totals(people)]
    assert totals == [Decimal(10), Decimal(25)]
