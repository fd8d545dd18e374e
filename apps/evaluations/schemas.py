import datetime as dt

from ninja import Schema

from apps.evaluations.models import Change, Criterion, Evaluation, Target


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else None


class EvaluationOut(Schema):
    id: int
    city: str
    pilot: int | None  # /api/pilots or the pilot page; null: the city's whole programme
    title: str
    title_th: str
    title_en: str
    status: Evaluation.Status
    published: bool
    evaluators: list[str]
    signed_off_by: str | None
    signed_off_at: dt.datetime | None

    @staticmethod
    def resolve_city(obj):
        return obj.city.slug

    @staticmethod
    def resolve_pilot(obj):
        return obj.pilot_id

    @staticmethod
    def resolve_evaluators(obj):
        return obj.evaluator_list()

    @staticmethod
    def resolve_signed_off_by(obj):
        return _name(obj.signed_off_by)


class FindingOut(Schema):
    id: int
    finding_th: str
    finding_en: str
    rating: int  # 1 not, 2 partly, 3 largely, 4 fully achieved
    rating_label: str

    @staticmethod
    def resolve_rating_label(obj):
        return obj.get_rating_display()


class QuestionOut(Schema):
    id: int
    order: int
    criterion: Criterion
    question_th: str
    question_en: str
    findings: list[FindingOut]

    @staticmethod
    def resolve_findings(obj):
        return list(obj.findings.all())


class OutcomeOut(Schema):
    id: int
    description_th: str
    description_en: str
    risk: int | None  # a RiskRating id of the city's assessment (/api/assessments)
    risk_label: str | None
    change: Change
    evidence_th: str
    evidence_en: str
    indicator: str

    @staticmethod
    def resolve_risk(obj):
        return obj.risk_id

    @staticmethod
    def resolve_risk_label(obj):
        return str(obj.risk) if obj.risk_id else None


class RecommendationOut(Schema):
    id: int
    target: Target
    priority: int  # 1 high, 2 medium, 3 low
    priority_label: str
    text_th: str
    text_en: str

    @staticmethod
    def resolve_priority_label(obj):
        return obj.get_priority_display()


class EvaluationDetail(EvaluationOut):
    scope_th: str
    scope_en: str
    method_th: str
    method_en: str
    questions: list[QuestionOut]
    outcomes: list[OutcomeOut]
    recommendations: list[RecommendationOut]

    @staticmethod
    def resolve_questions(obj):
        return list(obj.questions.all())

    @staticmethod
    def resolve_outcomes(obj):
        return list(obj.outcomes.all())

    @staticmethod
    def resolve_recommendations(obj):
        return list(obj.recommendations.all())
