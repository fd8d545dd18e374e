import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from apps.evaluations.models import (
    Evaluation, EvaluationChange, Finding, Outcome, Question, Recommendation,
    recommendations_for_strategy,
)

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Evaluation, Question, Finding, Outcome, Recommendation,
                                        EvaluationChange)]


def test_demo_signs_off_chiang_rai_drafts_hat_yai_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    first = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == first == [2, 6, 5, 2, 3, 2]
    chiang_rai = Evaluation.objects.get(city__slug="chiang-rai")
    assert chiang_rai.is_signed and chiang_rai.published
    assert sorted(chiang_rai.questions.values_list("criterion", flat=True)) == [
        "effectiveness", "efficiency", "impact", "relevance", "sustainability"]
    # The outcomes rest on Chiang Rai's own assessed flood and haze risks.
    assert sorted(chiang_rai.outcomes.values_list("risk__hazard", "risk__assessment__city__slug")) \
        == [("flood", "chiang-rai"), ("haze", "chiang-rai")]
    assert len(recommendations_for_strategy(chiang_rai.city, AnonymousUser())) == 2
    hat_yai = Evaluation.objects.get(city__slug="hat-yai")
    assert not hat_yai.is_signed and not hat_yai.published
