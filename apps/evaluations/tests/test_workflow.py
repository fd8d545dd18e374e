"""Sign-off freezes an evaluation in the models; only the national coordinator reopens it, and
every step is logged."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from apps.evaluations.models import (
    Evaluation, EvaluationChange, Finding, Outcome, Question, Recommendation,
    recommendations_for_strategy,
)
from apps.evaluations.tests.conftest import make_evaluation, risk

pytestmark = pytest.mark.django_db


def test_sign_off_needs_a_finding_for_every_question(world):
    evaluation = make_evaluation(world.city, questions=2, findings=0)
    with translation.override("en"), pytest.raises(ValidationError, match="has no finding"):
        evaluation.sign_off(world.user("expert"))
    assert Evaluation.objects.get(pk=evaluation.pk).status == "draft"
    empty = make_evaluation(world.city, questions=0)
    with translation.override("en"), pytest.raises(ValidationError, match="at least one"):
        empty.sign_off(world.user("expert"))


def test_signed_evaluation_refuses_every_change(world, signed):
    assert signed.signed_off_by == world.user("expert") and signed.signed_off_at
    question = signed.questions.get()
    stale = Evaluation.objects.get(pk=signed.pk)
    stale.status = "draft"  # even a stale copy cannot write over the signed one
    stale.title_th = "แก้"
    with translation.override("en"):
        for attempt in (
            stale.save,
            signed.delete,
            lambda: Question.objects.create(evaluation=signed, criterion="impact",
                                            question_th="ใหม่"),
            lambda: Finding.objects.create(question=question, finding_th="ใหม่", rating=1),
            question.delete,
            lambda: Recommendation.objects.create(evaluation=signed, text_th="x", target="plan"),
            lambda: Outcome.objects.create(evaluation=signed, description_th="x"),
        ):
            with pytest.raises(ValidationError, match="signed off"):
                attempt()
        # Related managers write inside an atomic block without a savepoint: give it one.
        with pytest.raises(ValidationError, match="signed off"), transaction.atomic():
            signed.evaluators.add(world.user("expert"))
    assert Evaluation.objects.get(pk=signed.pk).title_th == "ลงนามแล้ว"
    assert not signed.evaluators.exists()
    assert Question.objects.filter(evaluation=signed).count() == 1


def test_only_the_national_coordinator_reopens_and_it_is_logged(world, signed):
    signed.set_published(world.user("coordinator"), True)
    for name in ("expert", "coordinator", "stranger"):
        with pytest.raises(PermissionDenied):
            signed.reopen(world.user(name), "ขอแก้")
    with translation.override("en"), pytest.raises(ValidationError, match="Say why"):
        signed.reopen(world.user("national"), "  ")
    assert Evaluation.objects.get(pk=signed.pk).is_signed
    signed.reopen(world.user("national"), "ตัวเลขในข้อค้นพบผิด")
    fresh = Evaluation.objects.get(pk=signed.pk)
    assert (fresh.status, fresh.published, fresh.signed_off_at) == ("draft", False, None)
    log = list(fresh.changes.values_list("action", "by__username", "note"))
    assert log == [("sign", "expert", ""), ("publish", "coordinator", ""),
                   ("reopen", "national", "ตัวเลขในข้อค้นพบผิด")]
    Question.objects.create(evaluation=fresh, criterion="impact", question_th="เพิ่มได้แล้ว")


def test_the_log_is_append_only(world, signed):
    change = signed.changes.get()
    change.note = "แก้ประวัติ"
    with pytest.raises(ValidationError):
        change.save()
    with pytest.raises(ValidationError):
        change.delete()
    assert EvaluationChange.objects.get().note == ""


def test_only_signed_evaluations_are_published(world, draft):
    with translation.override("en"), pytest.raises(ValidationError, match="signed-off"):
        draft.set_published(world.user("coordinator"), True)
    assert not Evaluation.objects.get(pk=draft.pk).published


def test_outcome_on_another_citys_risk_is_refused(world, draft):
    foreign = risk(world.other_city, "haze", "health")
    outcome = Outcome(evaluation=draft, description_th="ดีขึ้น", risk=foreign, change="unknown")
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            outcome.full_clean()
        assert "another city" in error.value.message_dict["risk"][0]
        with pytest.raises(ValidationError, match="another city"):
            outcome.save()  # the save refuses too, whatever the caller
    assert not Outcome.objects.exists()
    own = Outcome(evaluation=draft, description_th="ดีขึ้น", risk=risk(world.city),
                  change="better", evidence_th="เตือนภัยเร็วขึ้น 5 ชั่วโมง")
    own.full_clean()
    own.save()


def test_a_change_needs_its_evidence(world, draft):
    outcome = Outcome(evaluation=draft, description_th="ดีขึ้น", risk=risk(world.city),
                      change="better")
    with translation.override("en"), pytest.raises(ValidationError, match="evidence"):
        outcome.full_clean()


def test_pilot_of_another_city_is_refused(world, draft):
    from apps.pilots.models import Pilot

    draft.pilot = Pilot(pk=10**6, city=world.other_city)  # clean() reads its city only
    with translation.override("en"), pytest.raises(ValidationError, match="pilot project of"):
        draft.clean()


def test_recommendations_for_strategy(world, signed):
    Recommendation.objects.create(evaluation=signed.__class__.objects.create(
        city=world.city, title_th="ร่าง"), text_th="ยังเป็นร่าง", target="strategy")
    evaluation = make_evaluation(world.city, title_th="อีกฉบับ")
    for text, target, priority in (("แผนพัฒนา", "plan", 3), ("นำร่องถัดไป", "next_pilot", 1),
                                   ("เร่งด่วน", "strategy", 1)):
        Recommendation.objects.create(evaluation=evaluation, text_th=text, target=target,
                                      priority=priority)
    evaluation.sign_off(world.user("expert"))
    other = make_evaluation(world.other_city)
    Recommendation.objects.create(evaluation=other, text_th="เมืองอื่น", target="strategy")
    other.sign_off(None)

    texts = [r.text_th for r in recommendations_for_strategy(world.city)]
    # Signed-off only, strategy and plan only, this city only, high priority first.
    assert set(texts[:2]) == {"ใส่ในยุทธศาสตร์", "เร่งด่วน"} and texts[2:] == ["แผนพัฒนา"]
    # For a reader: only the evaluations they may read (these are unpublished).
    assert list(recommendations_for_strategy(world.city, world.user("outsider"))) == []
    assert len(recommendations_for_strategy(world.city, world.user("member"))) == 3
    signed.set_published(world.user("coordinator"), True)
    anonymous = [r.text_th for r in recommendations_for_strategy(world.city, AnonymousUser())]
    assert anonymous == ["ใส่ในยุทธศาสตร์"]  # the published one only
