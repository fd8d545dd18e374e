import datetime as dt

from ninja import Schema

from apps.plans.models import ActivityKind, PlanTemplate


class PlanOut(Schema):
    id: int
    code: str
    version: int
    name: str
    name_th: str
    name_en: str
    status: PlanTemplate.Status
    reference_start: dt.date
    based_on: int | None

    @staticmethod
    def resolve_based_on(obj):
        return obj.based_on_id


class LeadOut(Schema):
    value: str
    label: str


class PlanActivityOut(Schema):
    number: int
    kind: ActivityKind
    name: str
    name_th: str
    name_en: str
    description: str
    outputs: list[str]
    window: str  # as the plan words it, e.g. "1 day, January"
    window_start: dt.date
    window_end: dt.date | None  # None: open-ended work
    location: str
    participant_cap: int | None
    cap_per_city: int | None
    leads: list[LeadOut]
    network_wide: bool
    prerequisites: list[int]  # activity numbers of the same plan

    @staticmethod
    def resolve_leads(obj):
        return [{"value": v, "label": str(label)} for v, label in zip(obj.leads, obj.lead_labels())]

    @staticmethod
    def resolve_prerequisites(obj):
        return sorted(p.number for p in obj.prerequisites.all())


class PlanDetail(PlanOut):
    activities: list[PlanActivityOut]

    @staticmethod
    def resolve_activities(obj):
        return obj.activities.all()
