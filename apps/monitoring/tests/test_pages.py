"""The framework, report, review and import pages: who may do what, errors next to the cell,
flat query counts."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.testing import PASSWORD, make_world
from apps.monitoring.models import (
    Criterion, Indicator, LibraryIndicator, Period, Report, Target, Value, ValueImport,
)
from apps.monitoring.tests.factories import make_framework, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def login(client, world, name):
    assert client.login(username=name, password=PASSWORD)


def test_other_citys_framework_and_report_are_404(client, world):
    fw = make_framework(world.other_city)
    report = make_report(world.other_city, fw["q1"])
    login(client, world, "member")
    assert client.get(reverse("monitoring:framework", args=[world.other_city.slug])).status_code == 404
    assert client.get(reverse("monitoring:report", args=[report.pk])).status_code == 404
    assert client.post(reverse("monitoring:report-review", args=[report.pk]),
                       {"action": "approve"}).status_code == 404


def test_member_reads_but_cannot_approve(client, world):
    fw = make_framework(world.city)
    report = make_report(world.city, fw["q1"])
    report.submit(world.user("coordinator"))
    login(client, world, "member")
    assert client.get(reverse("monitoring:report", args=[report.pk])).status_code == 200
    response = client.post(reverse("monitoring:report-review", args=[report.pk]),
                           {"action": "approve"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_coordinator_enters_values_with_errors_next_to_the_cell(client, world):
    fw = make_framework(world.city)
    report = make_report(world.city, fw["q1"])
    login(client, world, "coordinator")
    url = reverse("monitoring:report-edit", args=[report.pk])
    people, rain = fw["people"].pk, fw["rain"].pk
    response = client.post(url, {f"v|{rain}|": "abc", f"v|{people}|": "1,000",
                                 f"v|{people}|gender:women": "600",
                                 f"v|{people}|gender:men": "400"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    cell = html.index(f'name="v|{rain}|"')
    assert "“abc” is not a number" in html[cell:cell + 600]
    assert 'value="abc"' in html  # what was typed comes back
    assert not Value.objects.exists()
    response = client.post(url, {f"v|{rain}|": "12.5", f"v|{people}|": "1,000",
                                 f"v|{people}|gender:women": "600",
                                 f"v|{people}|gender:men": "400"})
    assert response.status_code == 302
    assert Value.objects.filter(report=report).count() == 4


def test_review_return_needs_a_comment_then_approve(client, world):
    fw = make_framework(world.city)
    report = make_report(world.city, fw["q1"])
    login(client, world, "coordinator")
    client.post(reverse("monitoring:report-submit", args=[report.pk]))
    url = reverse("monitoring:report-review", args=[report.pk])
    response = client.post(url, {"action": "return", "comment": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Say what needs changing." in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    client.post(url, {"action": "return", "comment": "ตัวเลขเดือนมีนาคมหายไป"})
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED
    client.post(reverse("monitoring:report-submit", args=[report.pk]))
    client.post(url, {"action": "approve"})
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    # Approved: the entry page sends back to the report; values cannot be posted.
    edit = reverse("monitoring:report-edit", args=[report.pk])
    client.post(edit, {f"v|{fw['rain'].pk}|": "3"})
    assert not Value.objects.exists()
    history = client.get(reverse("monitoring:report-history", args=[report.pk]))
    assert "ตัวเลขเดือนมีนาคมหายไป" in history.content.decode()


def test_start_from_sld3_and_pick_from_library(client, world):
    from apps.dialogues.models import Indicator as Agreed

    LibraryIndicator.objects.create(network=world.network, code="LIB-1",
                                    name_th="ผู้ได้รับประโยชน์", unit="คน", min_value=0,
                                    disaggregation={"gender": ["women", "men"]})
    login(client, world, "coordinator")
    framework = reverse("monitoring:framework", args=[world.city.slug])
    client.post(reverse("monitoring:start", args=[world.city.slug]))
    assert not Indicator.objects.exists()  # the test plan has no SLD 3: nothing added
    criterion = Criterion.objects.create(city=world.city, name_th="การเตรียมพร้อม")
    client.post(reverse("monitoring:library-pick", args=[world.city.slug]),
                {"criterion": criterion.pk,
                 "indicators": [LibraryIndicator.objects.get().pk]})
    picked = Indicator.objects.get(code="LIB-1")
    assert picked.library_id and picked.disaggregation == {"gender": ["women", "men"]}
    assert client.get(framework).status_code == 200
    assert Agreed.objects.count() == 0


def test_sld3_indicators_start_the_framework(world, monkeypatch):
    from apps.dialogues.models import Dialogue
    from apps.dialogues.models import Indicator as Agreed
    from apps.progress.models import CityActivity

    dialogue = Dialogue.objects.create(city_activity=CityActivity.objects.filter(
        city=world.city).first())
    Agreed.objects.create(dialogue=dialogue, criterion_th="การรับมือ", name_th="เวลาเตือนภัย",
                          unit="ชั่วโมง")
    Agreed.objects.create(dialogue=dialogue, criterion_th="การรับมือ", name_th="อาสาสมัคร",
                          unit="คน")
    monkeypatch.setattr(type(Dialogue.objects.all()), "for_sld",
                        lambda self, city, n: dialogue if n == 3 else None, raising=False)
    assert Criterion.objects.start_from_sld3(world.city) == 2
    assert Criterion.objects.start_from_sld3(world.city) == 0  # not twice
    assert Criterion.objects.get().name_th == "การรับมือ"
    assert set(Indicator.objects.values_list("code", flat=True)) == {"SLD3-1", "SLD3-2"}


def test_pilot_team_writes_its_pilots_report_only(client, world):
    from apps.monitoring.tests.test_progress import bulk_pilots

    pilot, = bulk_pilots(world, world.city, 1, "T", framework=False)
    fw = make_framework(world.city)
    Indicator.objects.create(city=world.city, criterion=fw["criterion"], pilot=pilot,
                             code="PT", name_th="ครัวเรือนติดตั้งเครื่องเตือนภัย")
    login(client, world, "proponent")
    response = client.post(reverse("monitoring:report-open", args=[world.city.slug]),
                           {"period": fw["q1"].pk, "pilot": pilot.pk})
    report = Report.objects.get(pilot=pilot)
    assert response.status_code == 302
    edit = client.get(reverse("monitoring:report-edit", args=[report.pk]))
    assert "PT" in edit.content.decode() and "RAIN" not in edit.content.decode()
    city_wide = make_report(world.city, fw["q2"])
    assert client.get(reverse("monitoring:report", args=[city_wide.pk])).status_code == 404
    client.post(reverse("monitoring:report-submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert client.post(reverse("monitoring:report-review", args=[report.pk]),
                       {"action": "approve"}).status_code == 403


def test_import_page_queues_the_job(client, world, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    make_framework(world.city)
    login(client, world, "coordinator")
    upload = SimpleUploadedFile("values.csv", b"indicator,period,value\nRAIN,Q1,5\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("monitoring:import-new", args=[world.city.slug]),
                               {"file": upload})
    job = ValueImport.objects.get()
    assert response.status_code == 302 and job.rows_total == 1
    job.refresh_from_db()
    page = client.get(reverse("monitoring:import", args=[job.pk]))
    assert page.status_code == 200
    poll = client.get(reverse("monitoring:import-poll", args=[job.pk])).json()
    assert poll["status"] in ("queued", "done")
    login(client, world, "member")
    assert client.get(reverse("monitoring:import", args=[job.pk])).status_code == 403


def test_import_refuses_a_file_that_is_not_what_it_says(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, world, "coordinator")
    response = client.post(reverse("monitoring:import-new", args=[world.city.slug]),
                           {"file": SimpleUploadedFile("v.xlsx", b"not a zip")},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and not ValueImport.objects.exists()


def grow(city, tag, n):
    criterion = Criterion.objects.create(city=city, name_th=f"เกณฑ์ {tag}")
    Indicator.objects.bulk_create(
        Indicator(city=city, criterion=criterion, code=f"{tag}{i}", name_th=f"ตัวชี้วัด {i}",
                  disaggregation={"gender": ["women", "men"]}) for i in range(n))
    periods = Period.objects.filter(city=city)
    Target.objects.bulk_create(Target(indicator=i, period=p, value=5)
                               for i in Indicator.objects.filter(criterion=criterion)
                               for p in periods)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_stay_flat(client, world):
    fw = make_framework(world.city)
    report = make_report(world.city, fw["q1"])
    login(client, world, "coordinator")
    urls = [reverse("monitoring:framework", args=[world.city.slug]),
            reverse("monitoring:report", args=[report.pk]),
            reverse("monitoring:report-edit", args=[report.pk])]
    small = [count_queries(client, url) for url in urls]
    grow(world.city, "G", 40)
    Value.objects.bulk_create(Value(report=report, indicator=i, category="", number=1)
                              for i in Indicator.objects.filter(code__startswith="G"))
    large = [count_queries(client, url) for url in urls]
    assert large == small


def test_report_page_shows_numbers_as_reported(client, world):
    from decimal import Decimal

    fw = make_framework(world.city)
    report = make_report(world.city, fw["q1"])
    Value.objects.create(report=report, indicator=fw["rain"], number=Decimal("1234.5000"))
    login(client, world, "member")
    html = client.get(reverse("monitoring:report", args=[report.pk])).content.decode()
    assert "1,234.5<" in html and "1,234.5000" not in html
