import datetime as dt
from decimal import Decimal

from ninja import Schema

from apps.pilots import tracking
from apps.pilots.models import Milestone, Pilot


class PilotOut(Schema):
    id: int
    city: str  # the city's slug
    title_th: str
    title_en: str
    status: Pilot.Status
    published: bool
    approved_budget: Decimal
    start_date: dt.date | None
    end_date: dt.date | None
    progress: float  # weighted percent complete, 0-100 (see apps/pilots/tracking.py)
    spent: Decimal
    overspent: bool  # a budget line has more spent than its amount
    overdue: bool  # a milestone's planned end has passed and it is not done
    slow_spending: bool

    @staticmethod
    def resolve_city(obj):
        return obj.city.slug

    @staticmethod
    def resolve_progress(obj):
        return round(obj.progress, 2)

    @staticmethod
    def resolve_overspent(obj):
        return obj.has_overspent_line

    @staticmethod
    def resolve_overdue(obj):
        return obj.has_overdue_milestone

    @staticmethod
    def resolve_slow_spending(obj):
        return tracking.slow_spending(obj)


class MilestoneOut(Schema):
    id: int
    title_th: str
    title_en: str
    planned_start: dt.date | None
    planned_end: dt.date | None
    status: Milestone.Status
    percent: int
    weight: int


class ComponentOut(Schema):
    id: int
    title_th: str
    title_en: str
    weight: int
    progress: float
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_progress(obj):
        return round(obj.progress, 2)

    @staticmethod
    def resolve_milestones(obj):
        return list(obj.milestones.all())


class BudgetLineOut(Schema):
    id: int
    item: str
    amount: Decimal
    spent: Decimal
    closed: bool


class PilotDetail(PilotOut):
    components: list[ComponentOut]
    budget_lines: list[BudgetLineOut]

    @staticmethod
    def resolve_components(obj):
        return obj.component_list

    @staticmethod
    def resolve_budget_lines(obj):
        return obj.line_list
