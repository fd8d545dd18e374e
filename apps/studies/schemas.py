import datetime as dt

from ninja import Schema
from pydantic import Field

from apps.assessments.models import UrbanSystem
from apps.dialogues.models import Hazard
from apps.studies.models import NodeKind, StudyVersion


class RoundOut(Schema):
    round: int
    status: StudyVersion.Status
    findings_th: str
    findings_en: str
    recommendations_th: str
    recommendations_en: str
    signed_by: str | None
    signed_at: dt.datetime | None
    created_at: dt.datetime
    risks: list[int]  # RiskRating ids (the assessment's climate risks)
    nodes: list[int]  # ImpactNode ids (/api/cities/{slug}/impact-graph)
    attachments: list[str]

    @staticmethod
    def resolve_signed_by(obj):
        user = obj.signed_by
        return (user.get_full_name() or user.get_username()) if user else None

    @staticmethod
    def resolve_risks(obj):
        return [r.pk for r in obj.risks.all()]

    @staticmethod
    def resolve_nodes(obj):
        return [n.pk for n in obj.nodes.all()]

    @staticmethod
    def resolve_attachments(obj):
        return [a.title for a in obj.attachments.all()]


class LatestOut(Schema):
    round: int
    status: StudyVersion.Status
    signed_at: dt.datetime | None


class StudyOut(Schema):
    id: int
    city: str
    title: str
    title_th: str
    title_en: str
    sector: UrbanSystem
    sector_label: str
    issue: int | None  # the SLD 2 strategic issue (a dialogue item id)
    lead: str | None
    experts: list[str]
    round_count: int
    latest: LatestOut | None

    @staticmethod
    def resolve_city(obj):
        return obj.assessment.city.slug

    @staticmethod
    def resolve_sector_label(obj):
        return obj.get_sector_display()

    @staticmethod
    def resolve_issue(obj):
        return obj.issue_id

    @staticmethod
    def resolve_lead(obj):
        return obj.lead.name if obj.lead else None

    @staticmethod
    def resolve_experts(obj):
        return obj.expert_list()

    @staticmethod
    def resolve_latest(obj):
        return obj.latest


class StudyDetail(StudyOut):
    rounds: list[RoundOut]

    @staticmethod
    def resolve_rounds(obj):
        return obj.round_list


class NodeOut(Schema):
    id: int
    kind: NodeKind
    text: str
    text_th: str
    text_en: str
    hazard: str
    system: str
    group: int | None = Field(None, alias="group_id")
    area: int | None = Field(None, alias="area_id")
    gaps: list[str]

    @staticmethod
    def resolve_gaps(obj):
        return [str(m) for m in obj.gap_messages]


class LinkOut(Schema):
    id: int
    from_node: int = Field(..., alias="from_node_id")
    to_node: int = Field(..., alias="to_node_id")


class GraphOut(Schema):
    city: str
    nodes: list[NodeOut]
    links: list[LinkOut]
    chains: list[list[int]]  # complete chains: node ids from a hazard to an affected node
    truncated: bool  # whether some chains were left out (a very dense graph)


class NodeIn(Schema):
    kind: NodeKind
    text_th: str = ""
    text_en: str = ""
    hazard: Hazard | None = None
    system: UrbanSystem | None = None
    group: int | None = None
    area: int | None = None
