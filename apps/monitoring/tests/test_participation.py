"""Participation indicators filled from real event registrations and check-ins."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from apps.core.testing import PASSWORD, make_world
from apps.events.models import Event
from apps.monitoring import participation, progress
from apps.monitoring.models import Criterion, Indicator, Period, Report, Target, Value
from apps.monitoring.rules import ValueChecker
from apps.people.models import Person
from apps.progress.models import CityActivity

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def world():
    return make_world()


def make_event(city, title="เวทีชุมชน"):
    activity = CityActivity.objects.filter(city=city).first()
    start = timezone.now() - dt.timedelta(hours=1)
    event = Event(city_activity=activity, title_th=title, starts_at=start,
                  ends_at=start + dt.timedelta(hours=4))
    event.create(None)
    return event


def attend(event, city, genders, check_in=True, groups=()):
    """People of these genders register (each declaring the group at the same place in
    `groups`, if any) and check in."""
    groups = list(groups) + [""] * len(genders)
    for n, gender in enumerate(genders):
        person = Person.objects.create(full_name_th=f"คน {event.pk}-{gender}-{n}", city=city,
                                       gender=gender)
        registration = event.register(person, vulnerable_group=groups[n])
        if check_in:
            registration.check_in()


@pytest.fixture
def setup(world):
    city = world.city
    today = timezone.localdate()
    period = Period.objects.create(city=city, label_th="ปีนี้", label_en="This year",
                                   start=today - dt.timedelta(days=30),
                                   end=today + dt.timedelta(days=30))
    criterion = Criterion.objects.create(city=city, name_th="การมีส่วนร่วม", name_en="Participation")
    make = lambda code, source, **kw: Indicator.objects.create(  # noqa: E731
        city=city, criterion=criterion, code=code, name_th=code, source=source, **kw)
    indicators = {
        "people": make("PART", Indicator.Source.PARTICIPANTS,
                       disaggregation={"gender": ["หญิง", "ชาย"]}),
        "plain": make("PART2", Indicator.Source.PARTICIPANTS),
        "women": make("WOMEN", Indicator.Source.WOMEN_SHARE, unit="%"),
        "vulnerable": make("VULN", Indicator.Source.VULNERABLE,
                           disaggregation={"vulnerable_group": ["คนพิการ", "ผู้สูงอายุ"]}),
        "manual": make("MAN", Indicator.Source.MANUAL),
    }
    event = make_event(city)
    attend(event, city, ["female", "female", "male", "undisclosed"],
           groups=["disability", "", "older"])
    attend(event, city, ["male"], check_in=False, groups=["older"])  # registered, never came
    second = make_event(city, "อบรมเตือนภัย")
    attend(second, city, ["female", "male"], groups=["migrant"])
    # Elsewhere or at another time: not this city's period.
    attend(make_event(world.other_city), world.other_city, ["female", "female"])
    old = make_event(city, "งานเก่า")
    attend(old, city, ["female"])
    Event.objects.filter(pk=old.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=90),
        ends_at=timezone.now() - dt.timedelta(days=90) + dt.timedelta(hours=2))
    return {"period": period, "event": event, **indicators}


def values_of(report):
    return {(v.indicator.code, v.category): (v.number, v.note)
            for v in Value.objects.filter(report=report).select_related("indicator")}


def test_fills_the_city_report_from_check_ins(world, setup):
    with translation.override("en"):
        result = participation.fill_participation(world.city, setup["period"])
    report = Report.objects.get(city=world.city, pilot=None, period=setup["period"])
    assert report.status == Report.Status.DRAFT and result.reports == [report]
    values = values_of(report)
    # 6 attendances: 3 women, 2 men, 1 undisclosed; not the one who never came, not the other
    # city's, not the event 90 days ago.
    assert values[("PART", "")] == (D(6), "1 participants' gender is not among the categories.")
    assert values[("PART", "gender:หญิง")] == (D(3), "")
    assert values[("PART", "gender:ชาย")] == (D(2), "")
    assert values[("PART2", "")] == (D(6), "")
    assert values[("WOMEN", "")] == (D("50.00"), "")
    # Declared: disability, older (at the first event), migrant (at the second); the one who
    # declared "older" but never came is not counted.
    assert values[("VULN", "")] == (D(3), "3 participants declared no vulnerable group. "
                                          "1 participants' vulnerable group is not among the "
                                          "categories.")
    assert values[("VULN", "vulnerable_group:คนพิการ")] == (D(1), "")
    assert values[("VULN", "vulnerable_group:ผู้สูงอายุ")] == (D(1), "")
    assert ("MAN", "") not in values
    assert result.skipped == []
    assert result.values == 8


def test_filled_values_obey_the_value_rules(world, setup):
    participation.fill_participation(world.city, setup["period"])
    indicators = [setup["people"]]
    checker = ValueChecker(indicators)
    indicator = setup["people"]
    indicator.source = "manual"  # the checker refuses automatic sources from people
    for value in Value.objects.filter(indicator=indicator):
        *_rest, error = checker.check(indicator, value.category, value.number, value.note)
        assert error is None
    assert checker.sum_errors() == []  # the note explains the undisclosed participant


def test_refreshing_replaces_and_keeps_manual_values(world, setup):
    period = setup["period"]
    report = Report.objects.create(city=world.city, period=period)
    Value.objects.create(report=report, indicator=setup["manual"], number=D(7))
    Value.objects.create(report=report, indicator=setup["plain"], number=D(99))
    participation.fill_participation(world.city, period)
    attend(setup["event"], world.city, ["female"])
    participation.fill_participation(world.city, period)
    values = values_of(report)
    assert values[("MAN", "")] == (D(7), "")
    assert values[("PART2", "")] == (D(7), "")
    assert values[("PART", "gender:หญิง")] == (D(4), "")
    assert Report.objects.filter(period=period).count() == 1


@pytest.mark.parametrize("status,locked,touched", [
    (Report.Status.RETURNED, False, True),
    (Report.Status.SUBMITTED, False, False),
    (Report.Status.APPROVED, False, False),
    (Report.Status.APPROVED, True, False),
])
def test_only_open_reports_are_written(world, setup, status, locked, touched):
    period = setup["period"]
    report = Report.objects.create(city=world.city, period=period, status=status, locked=locked)
    Value.objects.create(report=report, indicator=setup["plain"], number=D(1))
    result = participation.fill_participation(world.city, period)
    assert values_of(report)[("PART2", "")] == ((D(6) if touched else D(1)), "")
    assert bool(result.reports) == touched


def test_a_locked_period_gets_no_report(world, setup):
    Period.objects.filter(pk=setup["period"].pk).update(locked=True)
    setup["period"].refresh_from_db()
    result = participation.fill_participation(world.city, setup["period"])
    assert result.values == 0 and not Report.objects.exists()


def test_a_pilots_indicator_goes_into_the_pilots_report(world, setup):
    from apps.monitoring.tests.test_progress import bulk_pilots

    pilot, = bulk_pilots(world, world.city, 1, "P")
    Indicator.objects.create(city=world.city, criterion=setup["people"].criterion, pilot=pilot,
                             code="PPART", name_th="ผู้เข้าร่วมโครงการ",
                             source=Indicator.Source.PARTICIPANTS)
    participation.fill_participation(world.city, setup["period"])
    report = Report.objects.get(pilot=pilot, period=setup["period"])
    assert values_of(report) == {("PPART", ""): (D(6), "")}
    assert ("PPART", "") not in values_of(Report.objects.get(pilot=None, period=setup["period"]))


def test_approved_participation_shows_on_the_progress_page(world, setup):
    period = setup["period"]
    Target.objects.create(indicator=setup["plain"], period=period, value=D(5))
    participation.fill_participation(world.city, period)
    report = Report.objects.get(city=world.city, pilot=None, period=period)
    report.submit(world.user("coordinator"))
    report.approve(world.user("coordinator"))
    rows = {r.indicator.code: r for r in progress.city_progress(world.city).indicators}
    assert rows["PART2"].latest.actual == D(6) and rows["PART2"].light == progress.GREEN
    # Approved: a later refresh changes nothing.
    attend(setup["event"], world.city, ["male", "male"])
    participation.fill_participation(world.city, period)
    assert values_of(report)[("PART2", "")] == (D(6), "")


def test_refresh_button_for_the_citys_editors(client, world, setup):
    url = reverse("monitoring:progress-refresh", args=[world.city.slug])
    assert client.login(username="member", password=PASSWORD)
    assert client.post(url).status_code == 403
    assert client.login(username="outsider", password=PASSWORD)
    assert client.post(url).status_code == 404
    assert not Value.objects.exists()
    page = reverse("monitoring:progress", args=[world.city.slug])
    assert "Refresh from attendance" not in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert client.login(username="coordinator", password=PASSWORD)
    assert "Refresh from attendance" in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert client.get(url).status_code == 405
    response = client.post(url, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "8 values refreshed from event attendance." in html
    assert Value.objects.filter(indicator=setup["plain"], number=D(6)).exists()


def test_management_command_fills_every_city(world, setup):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("fill_participation", stdout=out)
    assert out.getvalue().strip() == "a1: 8 values, 0 indicator-periods skipped"
    assert Value.objects.filter(indicator=setup["plain"], number=D(6)).exists()
    with pytest.raises(Exception, match="No city"):
        call_command("fill_participation", city="nowhere")
