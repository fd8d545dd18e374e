import datetime as dt
from typing import Literal

from ninja import Schema

from apps.accounts.schemas import ApiDate
from apps.plans.models import ActivityKind
from apps.progress.models import ActivityChange, Evidence, Status


class CityActivityOut(Schema):
    id: int
    city: str
    number: int
    name: str
    kind: ActivityKind
    status: Status
    planned_start: dt.date
    planned_end: dt.date | None
    actual_start: dt.date | None
    actual_end: dt.date | None
    skip_reason: str
    published: bool
    late: bool
    blocked_by: list[int]  # numbers of this city's unfinished prerequisites the caller can see
    updated_at: dt.datetime

    @staticmethod
    def resolve_city(obj):
        return obj.city.slug

    @staticmethod
    def resolve_name(obj):
        return obj.plan_activity.name

    @staticmethod
    def resolve_kind(obj):
        return obj.plan_activity.kind

    @staticmethod
    def resolve_late(obj):
        return obj.is_late()

    @staticmethod
    def resolve_blocked_by(obj):
        # Reads what apps.progress.api.city_activities() prefetched: no query per row.
        needed = {p.pk for p in obj.plan_activity.prerequisites.all()}
        return sorted(a.number for a in obj.city.open_activities if a.plan_activity_id in needed)


class EvidenceOut(Schema):
    id: int
    kind: Evidence.Kind
    title: str
    text: str
    url: str
    file: str | None
    added_at: dt.datetime

    @staticmethod
    def resolve_file(obj):
        return obj.file.url if obj.file else None


class ChangeOut(Schema):
    at: dt.datetime
    by: str | None
    action: ActivityChange.Action
    label: str
    before: dict
    after: dict

    @staticmethod
    def resolve_by(obj):
        return obj.by and obj.by.get_username()

    @staticmethod
    def resolve_label(obj):
        return obj.get_action_display()


class CityActivityDetail(CityActivityOut):
    notes: str
    evidence: list[EvidenceOut]
    # Only for callers who may read the city's unpublished work; null for everyone else.
    history: list[ChangeOut] | None

    @staticmethod
    def resolve_evidence(obj):
        return obj.evidence.all()


class ActionIn(Schema):
    action: Literal["start", "complete", "skip", "reopen", "reschedule", "publish", "unpublish"]
    on: ApiDate | None = None  # start: the day it started; complete: the day it ended
    started: ApiDate | None = None  # complete: the start, if it was never marked started
    reason: str = ""  # skip
    planned_start: ApiDate | None = None  # reschedule
    planned_end: ApiDate | None = None  # reschedule; null for open-ended, omitted to keep


class EvidenceIn(Schema):
    kind: Literal["note", "link"]  # files are uploaded through the pages
    title: str
    text: str = ""
    url: str = ""
