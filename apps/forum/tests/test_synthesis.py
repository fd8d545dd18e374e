"""The synthesis' content: published data of its own network only, the matrix, what is common
and what differs, the map, the input signature, flat query counts."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.assessments.models import RiskRating
from apps.forum import synthesis
from apps.forum.tests.conftest import add_cities, assess, blank_pictures

pytestmark = pytest.mark.django_db


def _groups(content):
    return {g.name_th for part in content.cities for g in part.groups}


def test_only_published_data_of_the_own_network(world):
    assess(world.city, group="ผู้สูงอายุริมน้ำ", area="ชุมชนริมคลอง")
    assess(world.other_city, published=False, group="กลุ่มที่ยังไม่เผยแพร่", area="พื้นที่ลับ")
    assess(world.far_city, group="กลุ่มของเครือข่ายบี", area="พื้นที่เครือข่ายบี")
    content = synthesis.collect(world.network)
    assert [p.city for p in content.cities] == sorted([world.city, world.other_city],
                                                      key=lambda c: c.name_th)
    assert _groups(content) == {"ผู้สูงอายุริมน้ำ"}
    html = synthesis.render_html(content, type("S", (), {"title": "t"})())
    assert "ผู้สูงอายุริมน้ำ" in html and "ชุมชนริมคลอง" in html
    for secret in ("กลุ่มที่ยังไม่เผยแพร่", "พื้นที่ลับ", "กลุ่มของเครือข่ายบี", "พื้นที่เครือข่ายบี"):
        assert secret not in html
    unpublished = next(p for p in content.cities if p.city == world.other_city)
    assert not unpublished.assessed and unpublished.risks == []


def test_matrix_common_and_differing_risks(world):
    assess(world.city, risks=(("flood", "drainage", 4, 4), ("flood", "health", 2, 3),
                              ("drought", "water_supply", 5, 1)))
    assess(world.other_city, risks=(("flood", "drainage", 3, 5),))
    content = synthesis.collect(world.network)
    part = next(p for p in content.cities if p.city == world.city)
    # rows: consequence 5..1; columns: likelihood 1..5
    assert part.matrix[5 - 4][4 - 1] == 1 and part.matrix[5 - 3][2 - 1] == 1
    assert part.matrix[5 - 1][5 - 1] == 1 and sum(map(sum, part.matrix)) == 3
    labels = dict(content.hazards)
    assert sorted(labels.values(), reverse=True) == [2, 1]
    assert len(content.shared) == 1 and len(content.shared[0][1]) == 2
    assert len(content.differing) == 2


def test_area_map_is_svg_of_the_areas(world):
    assess(world.city, area="ชุมชนริมคลอง")
    content = synthesis.collect(world.network)
    svg = next(p for p in content.cities if p.city == world.city).map_svg
    assert svg.startswith("<svg") and "<polygon" in svg and "ชุมชนริมคลอง" in svg
    assert synthesis.area_map([]) == ""


def test_signature_changes_with_published_data_only(world):
    assessment = assess(world.city)
    before = synthesis.input_signature(world.network)
    assess(world.far_city)  # another network
    hidden = assess(world.other_city, published=False)
    assert synthesis.input_signature(world.network) == before
    RiskRating.objects.create(assessment=hidden, hazard="storm", system="energy", likelihood=2,
                              consequence=2, justification_th="x")
    assert synthesis.input_signature(world.network) == before
    RiskRating.objects.create(assessment=assessment, hazard="storm", system="energy",
                              likelihood=2, consequence=2, justification_th="x")
    assert synthesis.input_signature(world.network) != before


def _queries(network):
    with CaptureQueriesContext(connection) as queries:
        content = synthesis.collect(network)
        synthesis.render_html(content, type("S", (), {"title": "t"})())
        synthesis.to_xlsx(content)
        pictures = blank_pictures(synthesis.figures(content))
        synthesis.to_docx(content, type("S", (), {"title": "t"})(), pictures)
        synthesis.input_signature(network)
    return len(queries)


def test_flat_query_count(world):
    add_cities(world.network, 5)
    small = _queries(world.network)
    add_cities(world.network, 25, prefix="y")
    assert _queries(world.network) == small
    print(f"synthesis content, HTML, XLSX, DOCX and signature: {small} queries")


def _pilot_with_indicator(world):
    """A1's published pilot with an indicator: target 6 then 8 hours; Q1's report approved
    (5 hours), Q2's only submitted (4,321 hours, not yet an actual)."""
    from apps.monitoring.models import Report, Target, Value
    from apps.monitoring.tests.factories import make_framework
    from apps.pilots.tests.test_pages import approved_pilots

    pilot = approved_pilots(world)[0]
    pilot.published = True
    pilot.save()
    framework = make_framework(world.city)
    indicator = framework["criterion"].indicators.create(
        city=world.city, pilot=pilot, code="WARN", name_th="เวลาเตือนล่วงหน้า",
        name_en="Warning lead time", unit="ชั่วโมง")
    Target.objects.create(indicator=indicator, period=framework["q1"], value=6)
    Target.objects.create(indicator=indicator, period=framework["q2"], value=8)
    approved = Report.objects.create(city=world.city, pilot=pilot, period=framework["q1"],
                                     status=Report.Status.APPROVED)
    Value.objects.create(report=approved, indicator=indicator, number=5)
    pending = Report.objects.create(city=world.city, pilot=pilot, period=framework["q2"],
                                    status=Report.Status.SUBMITTED)
    Value.objects.create(report=pending, indicator=indicator, number=4321)
    return pilot, indicator, pending


def test_pilot_indicators_actual_against_target_approved_only(world):
    from django.utils import translation

    pilot, indicator, _pending = _pilot_with_indicator(world)
    content = synthesis.collect(world.network)
    part = next(p for p in content.cities if p.city == world.city)
    row = next(r for x in part.pilots for r in x.indicator_rows)
    assert row.indicator == indicator
    assert (row.latest.period.label_en, row.latest.actual, row.latest.target) == ("Q1", 5, 6)
    with translation.override("en"):
        html = synthesis.render_html(content, type("S", (), {"title": "t"})())
        sheets = {str(t): (h, r) for t, h, r in synthesis.tables(content)}
    assert "5 against a target of 6 ชั่วโมง" in html
    assert "4321" not in html and "4,321" not in html  # submitted, not approved: no actual
    header, rows = sheets["Indicators"]
    assert len(rows) == 1 and rows[0][1:] == (pilot.title_th, "เวลาเตือนล่วงหน้า", "Q1", 5, 6,
                                              "ชั่วโมง", "Off track")  # 1 short: red


def test_pilot_progress_is_printed_as_the_pilot_page_shows_it(world):
    """A pilot whose workplan is 55% done reads 55 (%), per pilot and as the city's mean: the
    roll-up is already a percentage (it read 5500 once)."""
    from apps.pilots.models import Milestone, Pilot, PilotComponent

    pilot, _indicator, _pending = _pilot_with_indicator(world)
    component = PilotComponent.objects.create(pilot=pilot, title_th="ติดตั้ง")
    Milestone.objects.create(component=component, title_th="จุดวัด", percent=100, weight=1)
    Milestone.objects.create(component=component, title_th="อบรม", percent=10, weight=1)
    expected = round(Pilot.objects.with_progress().get(pk=pilot.pk).progress)
    assert expected == 55
    content = synthesis.collect(world.network)
    part = next(p for p in content.cities if p.city == world.city)
    assert [x.progress_pct for x in part.pilots] == [55] and part.pilot_progress == 55


def test_approving_a_report_rebuilds_the_synthesis(world, no_chromium,
                                                  django_capture_on_commit_callbacks):
    from apps.forum import tasks
    from apps.forum.models import ForumSynthesis

    with django_capture_on_commit_callbacks(execute=True):
        _pilot, _indicator, pending = _pilot_with_indicator(world)
        built = ForumSynthesis.objects.create(network=world.network, title_th="สังเคราะห์")
        tasks.enqueue(built)
    built.refresh_from_db()
    signature = built.signature
    with django_capture_on_commit_callbacks(execute=True):
        pending.approve(world.user("coordinator"))
    built.refresh_from_db()
    assert built.status == "done" and built.signature != signature
    assert built.signature == synthesis.input_signature(world.network)
    content = synthesis.collect(world.network)
    row = next(r for p in content.cities for x in p.pilots for r in x.indicator_rows)
    assert (row.latest.actual, row.latest.target) == (4321, 8)
