import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from apps.strategies.models import FundingSource, Strategy


class InterventionOut(Schema):
    id: int
    title_th: str
    title_en: str
    description_th: str
    description_en: str
    issue: int | None = Field(None, alias="issue_id")
    risks: list[int]  # RiskRating ids of the city's assessment
    groups: list[int]
    areas: list[int]
    agencies: list[int]
    cost: Decimal | None
    start_year: int | None  # CE
    end_year: int | None
    funding_source: str
    funding_note: str
    characteristics: list[str]
    feasibility: dict[str, int]
    resilience_score: Decimal
    feasibility_score: Decimal | None
    priority: Decimal | None

    @staticmethod
    def resolve_risks(obj):
        return [r.pk for r in obj.risks.all()]

    @staticmethod
    def resolve_groups(obj):
        return [g.pk for g in obj.groups.all()]

    @staticmethod
    def resolve_areas(obj):
        return [a.pk for a in obj.areas.all()]

    @staticmethod
    def resolve_agencies(obj):
        return [a.pk for a in obj.agencies.all()]


class IssueOut(Schema):
    id: int
    title_th: str
    title_en: str
    description_th: str
    description_en: str


class StrategyOut(Schema):
    id: int
    city: str = Field(..., alias="city.slug")
    status: Strategy.Status
    published: bool
    vision_th: str
    vision_en: str
    decided_on: dt.date | None
    updated_at: dt.datetime


class StrategyDetail(StrategyOut):
    issues: list[IssueOut]
    interventions: list[InterventionOut]  # ranked by priority
    gap_risks: list[int]  # high or extreme RiskRating ids no intervention addresses
    gap_interventions: list[int]  # interventions addressing no assessed risk

    @staticmethod
    def resolve_issues(obj):
        return obj.issue_list

    @staticmethod
    def resolve_interventions(obj):
        return obj.intervention_list

    @staticmethod
    def resolve_gap_risks(obj):
        return [r.pk for r in obj.gap_list.risks]

    @staticmethod
    def resolve_gap_interventions(obj):
        return [i.pk for i in obj.gap_list.interventions]


class InterventionIn(Schema):
    title_th: str = Field(..., min_length=1, max_length=300)
    title_en: str = Field("", max_length=300)
    description_th: str = ""
    description_en: str = ""
    risks: list[Annotated[int, Field(ge=1, le=2_147_483_647)]] = Field([], max_length=200)
    cost: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    start_year: int | None = Field(None, ge=2000, le=2100)
    end_year: int | None = Field(None, ge=2000, le=2100)
    funding_source: FundingSource | None = None
    characteristics: list[Annotated[str, Field(max_length=40)]] = Field([], max_length=50)
