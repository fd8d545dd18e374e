import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from apps.assessments.models import Characteristic, UrbanSystem
from apps.dialogues.models import Hazard

HazardCode = Literal[tuple(Hazard.values)]
SystemCode = Literal[tuple(UrbanSystem.values)]
CharacteristicCode = Literal[tuple(Characteristic.values)]
OneToFive = Field(ge=1, le=5)


class AssessmentOut(Schema):
    city: str
    city_name: str
    status: str
    published: bool
    lead: str | None
    risk_count: int
    extreme_count: int
    high_count: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_city(obj):
        return obj.city.slug

    @staticmethod
    def resolve_city_name(obj):
        return obj.city.name

    @staticmethod
    def resolve_lead(obj):
        return obj.lead.name if obj.lead_id else None


class RiskOut(Schema):
    id: int
    hazard: str
    system: str
    likelihood: int
    consequence: int
    score: int
    level: str
    justification_th: str
    justification_en: str
    evidence: str


class RiskIn(Schema):
    hazard: HazardCode
    system: SystemCode
    likelihood: int = OneToFive
    consequence: int = OneToFive
    justification_th: str = Field(min_length=1)
    justification_en: str = ""
    evidence: str = ""


class VulnerabilityOut(Schema):
    id: int
    system: str | None
    group: int | None
    group_name: str | None
    exposure: int
    sensitivity: int
    capacity_agents: int
    capacity_institutions: int
    index: float
    level: str
    characteristics: list[str]

    @staticmethod
    def resolve_system(obj):
        return obj.system or None

    @staticmethod
    def resolve_group(obj):
        return obj.group_id

    @staticmethod
    def resolve_group_name(obj):
        return obj.group.name if obj.group_id else None


class VulnerabilityIn(Schema):
    system: SystemCode | None = None
    group: int | None = None
    exposure: int = OneToFive
    sensitivity: int = OneToFive
    capacity_agents: int = OneToFive
    capacity_institutions: int = OneToFive
    characteristics: list[CharacteristicCode] = []
    justification_th: str = ""
    justification_en: str = ""


class GroupOut(Schema):
    id: int
    name_th: str
    name_en: str


class ProjectionOut(Schema):
    horizon: int
    scenario: str
    change_th: str
    change_en: str
    source: str


class TrendOut(Schema):
    hazard: str
    current_th: str
    current_en: str
    sources: str
    projections: list[ProjectionOut]

    @staticmethod
    def resolve_projections(obj):
        return list(obj.projections.all())


class AreaIn(Schema):
    name_th: str = Field(min_length=1, max_length=200)
    name_en: str = Field(default="", max_length=200)
    hazard: HazardCode
    geometry: dict
    groups: list[int] = []


class AreaOut(Schema):
    type: str = "Feature"
    id: int
    geometry: dict
    properties: dict

    @staticmethod
    def resolve_properties(obj):
        return {"name_th": obj.name_th, "name_en": obj.name_en, "hazard": obj.hazard,
                "source": obj.source, "groups": [g.pk for g in obj.groups.all()],
                "exposure": {e.layer.name: e.value for e in obj.exposures.all()}}


class AssessmentDetail(AssessmentOut):
    """The view prepares the lists (`prepared`), so the schema reads no relation twice."""

    hazards: list[str]
    systems: list[str]
    groups: list[GroupOut]
    risks: list[RiskOut]
    vulnerabilities: list[VulnerabilityOut]
    areas: list[AreaOut]
    trends: list[TrendOut]
    gaps: list[str]

    @staticmethod
    def resolve_hazards(obj):
        return obj.prepared["hazards"]

    @staticmethod
    def resolve_systems(obj):
        return obj.prepared["systems"]

    @staticmethod
    def resolve_groups(obj):
        return obj.prepared["groups"]

    @staticmethod
    def resolve_risks(obj):
        return obj.prepared["risks"]

    @staticmethod
    def resolve_vulnerabilities(obj):
        return obj.prepared["vulnerabilities"]

    @staticmethod
    def resolve_areas(obj):
        return obj.prepared["areas"]

    @staticmethod
    def resolve_trends(obj):
        return obj.prepared["trends"]

    @staticmethod
    def resolve_gaps(obj):
        return obj.prepared["gaps"]
