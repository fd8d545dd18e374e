import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import Field


class CallOut(Schema):
    id: int
    city: str
    city_name: str
    title: str
    title_th: str
    title_en: str
    phase: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    quota: int
    budget_ceiling: Decimal
    method: str
    published: bool

    @staticmethod
    def resolve_city(obj):
        return obj.city.slug

    @staticmethod
    def resolve_city_name(obj):
        return obj.city.name

    @staticmethod
    def resolve_phase(obj):
        return obj.phase()


class CriterionOut(Schema):
    id: int
    order: int
    name: str
    name_th: str
    name_en: str
    description_th: str
    description_en: str
    weight: Decimal
    scale_min: int
    scale_max: int


class RuleOut(Schema):
    id: int
    order: int
    text_th: str
    text_en: str


class CallDetail(CallOut):
    description_th: str
    description_en: str
    ahp_consistency: float | None
    criteria: list[CriterionOut]
    rules: list[RuleOut]

    @staticmethod
    def resolve_criteria(obj):
        return obj.criteria.all()

    @staticmethod
    def resolve_rules(obj):
        return obj.rules.all()


class RankingRowOut(Schema):
    rank: int | None = Field(description="Rank (the recorded one once the shortlist is recorded)")
    proposal: int
    title: str
    organisation: str
    total: float | None
    scores: list[float | None] = Field(description="Mean score per criterion, on its scale")
    spread: float | None
    evaluators: int
    outliers: int
    shortlisted: bool
    decision: str | None
    live_rank: int | None = Field(description="Rank in the ranking computed now")
    live_total: float | None


class TieOut(Schema):
    proposals: list[int]
    total: float
    resolved: bool
    message: str


class MarginOut(Schema):
    above: int
    below: int
    criterion: int | None
    delta: float | None
    percent_of_weight: float | None
    message: str


class RankingOut(Schema):
    call: int
    method: str
    frozen: bool = Field(description="The shortlist is recorded: rows are the recorded ranking")
    frozen_method: str | None
    differs: bool = Field(description="The ranking computed now differs from the recorded one")
    criteria: list[CriterionOut]
    rows: list[RankingRowOut]
    ties: list[TieOut]
    margins: list[MarginOut]
    incomplete: list[str]


class ProposalOut(Schema):
    id: int
    call: int
    call_title: str
    city: str
    title: str
    title_th: str
    title_en: str
    organisation: str
    status: str
    eligibility: str
    submitted_at: dt.datetime | None
    budget_requested: Decimal

    @staticmethod
    def resolve_call(obj):
        return obj.call_id

    @staticmethod
    def resolve_call_title(obj):
        return obj.call.title

    @staticmethod
    def resolve_city(obj):
        return obj.call.city.slug

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name

    @staticmethod
    def resolve_budget_requested(obj):
        # SQLite hands the subquery's sum back without its decimal places.
        return Decimal(obj.requested or 0).quantize(Decimal("0.01"))


class ActivityOut(Schema):
    name: str
    starts: dt.date
    ends: dt.date


class BudgetLineOut(Schema):
    item: str
    amount: Decimal
    cofunding: Decimal
    cofunder: str


class IndicatorOut(Schema):
    name: str
    unit: str
    baseline: str
    target: str


class AttachmentOut(Schema):
    id: int
    title: str
    kind: str
    size: int


class CheckOut(Schema):
    rule: int
    text: str
    eligible: bool
    reason: str


class ProposalDetail(ProposalOut):
    problem_th: str
    problem_en: str
    objectives_th: str
    objectives_en: str
    results_th: str
    results_en: str
    activities: list[ActivityOut]
    budget_lines: list[BudgetLineOut]
    indicators: list[IndicatorOut]
    attachments: list[AttachmentOut]
    screening: list[CheckOut]

    @staticmethod
    def resolve_activities(obj):
        return obj.activities.all()

    @staticmethod
    def resolve_budget_lines(obj):
        return obj.budget_lines.all()

    @staticmethod
    def resolve_indicators(obj):
        return obj.indicators.all()

    @staticmethod
    def resolve_attachments(obj):
        return obj.attachments.all()

    @staticmethod
    def resolve_screening(obj):
        return [{"rule": c.rule_id, "text": c.rule.text, "eligible": c.eligible,
                 "reason": c.reason}
                for c in obj.checks.select_related("rule").order_by("rule__order", "rule_id")]


class ScoreIn(Schema):
    criterion: int
    value: int
    comment: str = ""


class ScoresIn(Schema):
    scores: list[ScoreIn]


class ScoreOut(Schema):
    criterion: int
    value: int
    comment: str


class ScoresOut(Schema):
    proposal: int
    submitted: bool
    scores: list[ScoreOut]


class ErrorItem(Schema):
    loc: list[str | int]
    msg: str


class ScoreErrors(Schema):
    detail: list[ErrorItem]
    message: str
