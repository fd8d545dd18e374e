"""M&E progress: actuals from approved reports, running totals, traffic lights, roll-ups, the
pages and who reads them, and a flat query count as pilots grow."""
import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.testing import PASSWORD, make_world
from apps.monitoring import progress
from apps.monitoring.models import Criterion, Indicator, Period, Report, Target, Value
from apps.monitoring.progress import AMBER, GREEN, GREY, RED, light_for
from apps.monitoring.tests.factories import make_framework, make_report
from apps.pilots.models import Pilot
from apps.proposals.models import Decision, Proposal
from apps.proposals.testing import make_call, make_organisation

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def world():
    return make_world()


def approved(city, period, values, pilot=None, status=Report.Status.APPROVED):
    """A report in `status` holding {(indicator, category): number-or-text}."""
    report = make_report(city, period, pilot=pilot)
    for (indicator, category), value in values.items():
        if isinstance(value, str):
            Value.objects.create(report=report, indicator=indicator, category=category, text=value)
        else:
            Value.objects.create(report=report, indicator=indicator, category=category,
                                 number=D(value))
    Report.objects.filter(pk=report.pk).update(status=status)
    return report


@pytest.fixture
def framework(world):
    fw = make_framework(world.city)
    people, rain, story = fw["people"], fw["rain"], fw["story"]
    q1, q2 = fw["q1"], fw["q2"]
    Target.objects.create(indicator=people, period=q1, value=D(100))
    Target.objects.create(indicator=people, period=q2, value=D(200))
    Target.objects.create(indicator=rain, period=q1, value=D(50))
    Target.objects.create(indicator=rain, period=q2, value=D(50))
    approved(world.city, q1, {(people, ""): 120, (people, "gender:women"): 70,
                              (people, "gender:men"): 50, (rain, ""): 46,
                              (story, ""): "ชุมชนเริ่มเก็บข้อมูลน้ำท่วม"})
    # Q2 is submitted, not approved: it counts for nothing yet.
    approved(world.city, q2, {(people, ""): 500, (rain, ""): 10}, status=Report.Status.SUBMITTED)
    return fw


# -- lights ------------------------------------------------------------------------------------
@pytest.mark.parametrize("actual,target,light", [
    (D(100), D(100), GREEN), (D(120), D(100), GREEN),
    (D(90), D(100), AMBER),  # exactly 10 % short
    (D("89.99"), D(100), RED),
    (D(0), D(0), GREEN), (D(-1), D(0), RED),
    (None, D(100), GREY), (D(5), None, GREY),
])
def test_light_compares_actual_with_target_higher_is_better(actual, target, light):
    assert light_for(actual, target) == light


def test_amber_threshold_is_a_setting(settings):
    settings.MONITORING_AMBER_SHORTFALL = "0.25"
    assert light_for(D(80), D(100)) == AMBER
    assert light_for(D(74), D(100)) == RED


def test_number_is_shown_without_trailing_zeros():
    assert progress.number(D("1234.5000")) == "1,234.5"
    assert progress.number(D("1200.0000")) == "1,200"
    assert progress.number(None) == ""


# -- the city's progress --------------------------------------------------------------------------
def test_only_approved_values_count_and_cumulative_indicators_run_up(world, framework):
    fw = framework
    data = progress.city_progress(world.city)
    rows = {row.indicator.code: row for row in data.indicators}
    people = rows["HH"]
    assert [p.actual for p in people.points] == [D(120), None]
    assert people.latest.period == fw["q1"] and people.light == GREEN
    assert rows["RAIN"].latest.actual == D(46) and rows["RAIN"].light == AMBER  # 8 % short
    assert rows["STORY"].latest.text == "ชุมชนเริ่มเก็บข้อมูลน้ำท่วม"
    assert rows["STORY"].light == GREY  # qualitative: no target to compare with
    # Approving Q2: the cumulative indicator adds up (120 + 500), the other does not.
    Report.objects.filter(period=fw["q2"]).update(status=Report.Status.APPROVED)
    rows = {row.indicator.code: row for row in progress.city_progress(world.city).indicators}
    assert [p.actual for p in rows["HH"].points] == [D(120), D(620)]
    assert [p.increment for p in rows["HH"].points] == [D(120), D(500)]
    assert rows["HH"].light == GREEN
    assert rows["RAIN"].latest.actual == D(10) and rows["RAIN"].light == RED


def test_running_totals_match_the_models_query(world, framework):
    fw = framework
    Report.objects.filter(period=fw["q2"]).update(status=Report.Status.APPROVED)
    expected = [v.running_total for v in Value.objects.running_totals(fw["people"])]
    row, = [r for r in progress.city_progress(world.city).indicators
            if r.indicator == fw["people"]]
    assert [p.actual for p in row.points] == expected == [D(120), D(620)]


def test_roll_up_per_criterion_and_share_on_track(world, framework):
    fw = framework
    other = Criterion.objects.create(city=world.city, name_th="การมีส่วนร่วม", order=5)
    Indicator.objects.create(city=world.city, criterion=other, code="NEW", name_th="ใหม่")
    data = progress.city_progress(world.city)
    assert [g.label for g in data.criteria] == [fw["criterion"].name, other.name]
    first, second = data.criteria
    assert (first.on_track, first.off_track, first.no_data) == (1, 1, 1)
    assert first.share_pct == 50  # HH green, RAIN amber; STORY is not judged
    assert (second.on_track, second.off_track, second.no_data, second.share) == (0, 0, 1, None)
    assert data.counts == {GREEN: 1, AMBER: 1, RED: 0, GREY: 2}


def test_other_cities_values_do_not_leak_in(world, framework):
    fw_far = make_framework(world.far_city)
    approved(world.far_city, fw_far["q1"], {(fw_far["rain"], ""): 999})
    rows = {r.indicator.code: r for r in progress.city_progress(world.city).indicators}
    assert rows["RAIN"].latest.actual == D(46)


# -- pages --------------------------------------------------------------------------------------
def test_city_page_shows_table_lights_and_chart_data(client, world, framework):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.login(username="coordinator", password=PASSWORD)
    response = client.get(reverse("monitoring:progress", args=[world.city.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Households benefiting" in html and "Resilience" in html
    assert 'data-light="green"' in html and 'data-light="amber"' in html
    assert "<script>" not in html.replace('<script id="monitoring-charts"', "")  # CSP: data only
    charts = json.loads(html.split('id="monitoring-charts" type="application/json">')[1]
                        .split("</script>")[0])
    by_id = {c["id"]: c for c in charts}
    assert framework["story"].pk not in by_id  # qualitative: no chart
    people = by_id[framework["people"].pk]
    assert people["labels"] == ["Q1", "Q2"]
    assert people["actual"] == [120.0, None] and people["target"] == [100.0, 200.0]
    assert 'canvas id="chart-%d"' % framework["people"].pk in html
    assert "monitoring/charts.js" in html
    assert "Refresh from attendance" not in html  # no indicator is filled from attendance


def test_indicator_page_shows_values_by_category(client, world, framework):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.login(username="coordinator", password=PASSWORD)
    url = reverse("monitoring:progress-indicator", args=[world.city.slug, framework["people"].pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    row = html.split(f'data-period="{framework["q1"].pk}"')[1].split("</tr>")[0]
    assert [cell.split("<")[0] for cell in row.split('<td class="num">')[1:]] == [
        "120", "70", "50", "120", "100"]  # total, women, men, increment, target
    assert "women" in html and "men" in html


@pytest.mark.parametrize("username,status", [
    ("member", 200), ("expert", 200), ("national", 200), ("outsider", 404), ("stranger", 404),
    ("funder", 404), ("proponent", 404),
])
def test_city_page_is_for_the_citys_readers(client, world, framework, username, status):
    assert client.login(username=username, password=PASSWORD)
    assert client.get(reverse("monitoring:progress", args=[world.city.slug])).status_code == status
    url = reverse("monitoring:progress-indicator", args=[world.city.slug, framework["rain"].pk])
    assert client.get(url).status_code == status


def test_indicator_of_another_city_is_not_found_under_this_city(client, world, framework):
    fw_other = make_framework(world.other_city)
    assert client.login(username="coordinator", password=PASSWORD)
    url = reverse("monitoring:progress-indicator", args=[world.city.slug, fw_other["rain"].pk])
    assert client.get(url).status_code == 404


def test_network_page_for_the_national_coordinator(client, world, framework):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    fw_other = make_framework(world.other_city)
    Target.objects.create(indicator=fw_other["rain"], period=fw_other["q1"], value=D(10))
    approved(world.other_city, fw_other["q1"], {(fw_other["rain"], ""): 2})
    url = reverse("monitoring:network-progress", args=[world.network.slug])
    assert client.login(username="coordinator", password=PASSWORD)
    assert client.get(url).status_code == 403
    assert client.login(username="stranger", password=PASSWORD)
    assert client.get(url).status_code == 403
    assert client.login(username="national", password=PASSWORD)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    own = html.split(f'data-city="{world.city.slug}"')[1].split("</tr>")[0]
    other = html.split(f'data-city="{world.other_city.slug}"')[1].split("</tr>")[0]
    assert reverse("monitoring:progress", args=[world.city.slug]) in own
    nums = lambda row: [c.split("<")[0] for c in row.split('<td class="num">')[1:]]  # noqa: E731
    assert nums(own) == ["3", "1", "1", "1", "50%"]
    assert nums(other) == ["3", "0", "1", "2", "0%"]
    assert world.far_city.name not in html


# -- query counts -------------------------------------------------------------------------------
def bulk_pilots(world, city, n, tag, framework=True):
    """n pilots of `city`, each with an indicator, a target, an approved report and a value
    (unless `framework` is false), all made with bulk_create."""
    call = make_call(city, open=False)
    org = make_organisation(city, f"Org {tag}")
    proponent = world.user("proponent")
    Proposal.objects.bulk_create(
        Proposal(call=call, proponent=proponent, organisation=org, title_th=f"โครงการ {tag}-{i}",
                 problem_th="น้ำท่วม", status=Proposal.Status.SUBMITTED,
                 submitted_at=timezone.now()) for i in range(n))
    proposals = list(call.proposals.order_by("pk"))
    Decision.objects.bulk_create(
        Decision(proposal=p, outcome="approved", approved_budget=D(1000),
                 decided_by=world.user("funder")) for p in proposals)
    decisions = {d.proposal_id: d for d in Decision.objects.filter(proposal__call=call)}
    Pilot.objects.bulk_create(
        Pilot(city=city, proposal=p, decision=decisions[p.pk], title_th=p.title_th,
              approved_budget=D(1000)) for p in proposals)
    pilots = list(Pilot.objects.filter(proposal__call=call).order_by("pk"))
    if not framework:
        return pilots
    criterion = Criterion.objects.create(city=city, name_th=f"เกณฑ์ {tag}")
    period, _ = Period.objects.get_or_create(
        city=city, start=dt.date(2011, 1, 1),
        defaults={"label_th": "2554", "end": dt.date(2011, 12, 31)})
    Indicator.objects.bulk_create(
        Indicator(city=city, criterion=criterion, pilot=p, code=f"{tag}{i}",
                  name_th=f"ตัวชี้วัด {i}", cumulative=bool(i % 2)) for i, p in enumerate(pilots))
    indicators = list(Indicator.objects.filter(criterion=criterion).order_by("pk"))
    Target.objects.bulk_create(Target(indicator=i, period=period, value=D(10))
                               for i in indicators)
    Report.objects.bulk_create(Report(city=city, pilot=p, period=period,
                                      status=Report.Status.APPROVED) for p in pilots)
    reports = {r.pilot_id: r for r in Report.objects.filter(period=period, pilot__in=pilots)}
    Value.objects.bulk_create(Value(report=reports[i.pilot_id], indicator=i, number=D(n % 13))
                              for n, i in enumerate(indicators))
    return pilots


def count_queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_flat_query_count_as_pilots_grow(client, world):
    def pages():
        for url in (reverse("monitoring:progress", args=[world.city.slug]),
                    reverse("monitoring:network-progress", args=[world.network.slug])):
            assert client.get(url).status_code == 200

    assert client.login(username="national", password=PASSWORD)
    bulk_pilots(world, world.city, 10, "S")
    bulk_pilots(world, world.other_city, 10, "T")
    small = count_queries(pages)
    small_fn = (count_queries(lambda: progress.city_progress(world.city)),
                count_queries(lambda: progress.network_progress(world.network)))
    bulk_pilots(world, world.city, 200, "L")
    bulk_pilots(world, world.other_city, 200, "M")
    large = count_queries(pages)
    large_fn = (count_queries(lambda: progress.city_progress(world.city)),
                count_queries(lambda: progress.network_progress(world.network)))
    assert small_fn == large_fn == (4, 5)
    assert large == small, (small, large)
    data = progress.network_progress(world.network)
    assert len(data.pilots) == 420
    assert sum(len(c.rows) for c in data.cities) == 420
