"""The evaluation pages: who reads and who writes, the forms one row at a time, the workflow
buttons, the print, and query counts that stay flat as an evaluation grows."""
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.testing import PASSWORD
from apps.evaluations.models import Evaluation, EvaluationChange, Finding, Outcome, Recommendation
from apps.evaluations.tests.conftest import make_evaluation, risk

pytestmark = pytest.mark.django_db


def login(client, world, name):
    client.force_login(world.user(name))
    return client


def url(evaluation, name="evaluations:detail", **extra):
    return reverse(name, kwargs={"slug": evaluation.city.slug, "pk": evaluation.pk, **extra})


def test_unpublished_is_the_citys_published_is_everyones(client, world, signed):
    assert client.get(url(signed)).status_code == 404
    assert login(client, world, "outsider").get(url(signed)).status_code == 404
    assert login(client, world, "member").get(url(signed)).status_code == 200
    listing = reverse("evaluations:list", args=[world.city.slug])
    client.logout()
    assert signed.title_th not in client.get(listing).content.decode()
    signed.set_published(world.user("coordinator"), True)
    assert client.get(url(signed)).status_code == 200
    assert signed.title_th in client.get(listing).content.decode()


def test_member_reads_but_only_experts_write(client, world, draft):
    add = url(draft, "evaluations:part-add", kind="question")
    data = {"criterion": "impact", "question_th": "เมืองรับมือได้ดีขึ้นไหม"}
    login(client, world, "member")
    assert client.get(url(draft, "evaluations:edit")).status_code == 403
    assert client.post(add, data).status_code == 403
    assert client.post(url(draft, "evaluations:sign-off")).status_code == 403
    login(client, world, "outsider")
    assert client.post(add, data).status_code == 404
    assert draft.questions.count() == 1
    response = login(client, world, "expert").post(add, data)
    assert response.status_code == 302
    assert draft.questions.filter(criterion="impact", order=2).exists()


def test_rows_are_added_and_removed_one_at_a_time(client, world, draft):
    login(client, world, "expert")
    question = draft.questions.get()
    own_risk = risk(world.city)
    posts = {
        "finding": {"question": question.pk, "finding_th": "ตรงประเด็น", "rating": 4},
        "outcome": {"risk": own_risk.pk, "description_th": "อพยพได้เร็วขึ้น", "change": "better",
                    "evidence_th": "เวลาเตือนล่วงหน้า 6 ชั่วโมง"},
        "recommendation": {"target": "strategy", "priority": 1, "text_th": "ขยายผลทั้งเมือง"},
    }
    for kind, data in posts.items():
        assert client.post(url(draft, "evaluations:part-add", kind=kind), data).status_code == 302
    assert question.findings.count() == 2 and draft.outcomes.get().risk == own_risk
    page = client.get(url(draft)).content.decode()
    assert "อพยพได้เร็วขึ้น" in page and "ขยายผลทั้งเมือง" in page
    item = draft.recommendations.get()
    remove = url(draft, "evaluations:part-remove", kind="recommendation", row=item.pk)
    assert client.post(remove).status_code == 302
    assert not draft.recommendations.exists()


def test_bad_rows_come_back_with_their_message(client, world, draft):
    login(client, world, "expert")
    foreign = risk(world.other_city)
    response = client.post(url(draft, "evaluations:part-add", kind="outcome"),
                           {"risk": foreign.pk, "description_th": "ดีขึ้น", "change": "unknown"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = client.post(url(draft, "evaluations:part-add", kind="outcome"),
                           {"risk": risk(world.city).pk, "description_th": "ดีขึ้น",
                            "change": "better"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Give the evidence" in response.content.decode()
    assert not Outcome.objects.exists()
    # A finding needs a question of this evaluation, not another one's.
    other = make_evaluation(world.city, title_th="อีกฉบับ").questions.get()
    response = client.post(url(draft, "evaluations:part-add", kind="finding"),
                           {"question": other.pk, "finding_th": "x", "rating": 2})
    assert response.status_code == 200 and Finding.objects.count() == 2
    assert client.post(url(draft, "evaluations:part-add", kind="nonsense"), {}).status_code == 404


def test_signed_off_pages_change_nothing(client, world, signed):
    login(client, world, "expert")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the refusal is worded when it happens
    response = client.get(url(signed, "evaluations:edit"))
    assert response.status_code == 302
    client.post(url(signed, "evaluations:part-add", kind="recommendation"),
                {"target": "plan", "priority": 2, "text_th": "เพิ่มหลังลงนาม"})
    item = signed.recommendations.get()
    client.post(url(signed, "evaluations:part-remove", kind="recommendation", row=item.pk))
    assert list(signed.recommendations.values_list("text_th", flat=True)) == ["ใส่ในยุทธศาสตร์"]
    page = client.get(url(signed), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "signed off and cannot change" in page
    assert "Add a recommendation" not in page


def test_sign_off_publish_and_reopen_from_the_page(client, world, draft):
    login(client, world, "expert")
    assert client.post(url(draft, "evaluations:sign-off")).status_code == 302
    assert client.post(url(draft, "evaluations:publish"), {"published": "1"}).status_code == 403
    login(client, world, "coordinator")
    client.post(url(draft, "evaluations:publish"), {"published": "1"})
    assert Evaluation.objects.get(pk=draft.pk).published
    assert client.post(url(draft, "evaluations:reopen"), {"note": "ขอแก้"}).status_code == 403
    login(client, world, "national")
    client.post(url(draft, "evaluations:reopen"), {"note": ""})
    assert Evaluation.objects.get(pk=draft.pk).is_signed  # no reason, no reopening
    client.post(url(draft, "evaluations:reopen"), {"note": "ข้อค้นพบข้อ 1 ต้องแก้"})
    fresh = Evaluation.objects.get(pk=draft.pk)
    assert not fresh.is_signed and not fresh.published
    assert list(EvaluationChange.objects.values_list("action", flat=True)) == [
        "sign", "publish", "reopen"]
    page = client.get(url(draft)).content.decode()
    assert "ข้อค้นพบข้อ 1 ต้องแก้" in page


def test_new_evaluation_of_the_programme(client, world):
    new = reverse("evaluations:new", args=[world.city.slug])
    assert login(client, world, "member").get(new).status_code == 403
    assert login(client, world, "outsider").get(new).status_code == 404
    login(client, world, "expert")
    response = client.post(new, {"title_th": "ประเมินทั้งโครงการ", "evaluators": [
        world.user("expert").pk], "evaluator_names": "ดร. สมชาย"})
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert evaluation.city == world.city and evaluation.pilot is None
    assert evaluation.evaluator_list() == ["expert", "ดร. สมชาย"]


def _grow(evaluation, findings):
    own = [risk(evaluation.city, h, s) for h, s in (("flood", "housing"), ("haze", "health"))]
    for question in evaluation.questions.all():
        Finding.objects.bulk_create(Finding(question=question, finding_th=f"ข้อ {n}", rating=2,
                                            order=n + 10) for n in range(findings))
    for n in range(findings):
        Outcome.objects.create(evaluation=evaluation, description_th=f"ผล {n}",
                               risk=own[n % 2])
        Recommendation.objects.create(evaluation=evaluation, text_th=f"ข้อเสนอ {n}",
                                      target=["strategy", "plan", "network"][n % 3])


@pytest.mark.parametrize("name", ["expert", "national"])
def test_detail_queries_stay_flat(client, world, name):
    small = make_evaluation(world.city, questions=5, findings=1)
    big = make_evaluation(world.other_city if name == "national" else world.city,
                          questions=5, findings=1)
    _grow(big, 10)  # 5 + 50 findings, 10 outcomes, 10 recommendations
    assert Finding.objects.filter(question__evaluation=big).count() == 55
    login(client, world, name)
    counts = []
    for evaluation in (small, big):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(evaluation)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_list_strategy_and_panel_queries_stay_flat(client, world, signed):
    login(client, world, "member")
    pages = [reverse("evaluations:list", args=[world.city.slug]),
             reverse("evaluations:strategy", args=[world.city.slug])]
    before = []
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            client.get(page)
        before.append(len(queries))
    for n in range(4):
        more = make_evaluation(world.city, title_th=f"ฉบับ {n}")
        Recommendation.objects.create(evaluation=more, text_th="ข้อ", target="plan")
        more.sign_off(None)
    after = []
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            content = client.get(page).content.decode()
        after.append(len(queries))
    assert before == after
    assert content.count("<li>") >= 5  # the strategy page lists all five recommendations
    city_page = client.get(reverse("networks:city", args=[world.city.slug])).content.decode()
    assert 'id="evaluations"' in city_page and "ฉบับ 3" in city_page


def test_strategy_page_lists_what_the_reader_may_read(client, world, signed):
    page = reverse("evaluations:strategy", args=[world.city.slug])
    assert "ใส่ในยุทธศาสตร์" not in client.get(page).content.decode()
    assert "ใส่ในยุทธศาสตร์" in login(client, world, "member").get(page).content.decode()


def test_print_keeps_thai_text_and_buddhist_era(client, world, signed):
    signed.set_published(world.user("coordinator"), True)
    response = client.get(url(signed, "evaluations:pdf"), HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True,
                          check=True).stdout.decode()
    assert "ใส่ในยุทธศาสตร์" in text and "ลงนามแล้ว" in text
    assert str(signed.signed_off_at.year + 543) in text
