import pytest

from apps.assessments.models import Assessment, RiskRating
from apps.evaluations.models import Evaluation, Finding, Question, Recommendation


def risk(city, hazard="flood", system="drainage"):
    assessment = Assessment.objects.filter(city=city).first() or Assessment.objects.create(
        city=city)
    return RiskRating.objects.create(assessment=assessment, hazard=hazard, system=system,
                                     likelihood=4, consequence=4, justification_th="เหตุผล")


def make_evaluation(city, questions=1, findings=1, **fields):
    evaluation = Evaluation.objects.create(city=city, title_th=fields.pop("title_th", "ประเมิน"),
                                           **fields)
    for n in range(questions):
        question = Question.objects.create(evaluation=evaluation, criterion="relevance",
                                           question_th=f"คำถาม {n}")
        for m in range(findings):
            Finding.objects.create(question=question, finding_th=f"ข้อค้นพบ {m}", rating=3)
    return evaluation


@pytest.fixture
def draft(world):
    return make_evaluation(world.city)


@pytest.fixture
def signed(world):
    evaluation = make_evaluation(world.city, title_th="ลงนามแล้ว")
    Recommendation.objects.create(evaluation=evaluation, text_th="ใส่ในยุทธศาสตร์",
                                  target="strategy", priority=1)
    evaluation.sign_off(world.user("expert"))
    return evaluation
