import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from apps.accounts.schemas import ApiDate
from apps.accounts.scope import scope_of
from apps.dialogues.models import FollowUpAction, Hazard, ItemKind
from apps.dialogues.votes import Method, Vote


class DialogueOut(Schema):
    id: int
    city: str
    city_name: str
    sld: int  # 1, 2 or 3: the order of the SLD activities in the plan
    activity: int  # the city activity's id (/api/city-activities/{id})
    activity_number: int  # the plan activity's number (4, 7, 12 in the ACCCRN plan)
    name: str
    event: int | None  # the event it was held at (/api/events/{id}), when the caller may see it
    date: dt.date | None
    summary: str
    published: bool
    item_count: int
    risk_count: int
    group_count: int
    area_count: int
    nomination_count: int
    indicator_count: int
    open_action_count: int
    overdue_action_count: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_city(obj):
        return obj.city_activity.city.slug

    @staticmethod
    def resolve_city_name(obj):
        return obj.city_activity.city.name

    @staticmethod
    def resolve_sld(obj):
        return obj.sld_number

    @staticmethod
    def resolve_activity(obj):
        return obj.city_activity_id

    @staticmethod
    def resolve_activity_number(obj):
        return obj.city_activity.plan_activity.number

    @staticmethod
    def resolve_name(obj):
        return obj.city_activity.plan_activity.name

    @staticmethod
    def resolve_event(obj, context):
        if obj.event_id is None:
            return None
        scope = scope_of(context["request"].user)
        # A published dialogue may point at an event still unpublished: not everyone's to see.
        visible = obj.event.published or scope.can_read_city(obj.city_activity.city)
        return obj.event_id if visible else None


class ItemOut(Schema):
    id: int
    kind: ItemKind
    kind_label: str
    text: str
    text_th: str
    text_en: str

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()


class RiskOut(Schema):
    id: int
    hazard: Hazard
    hazard_label: str
    description: str
    description_th: str
    description_en: str

    @staticmethod
    def resolve_hazard_label(obj):
        return obj.get_hazard_display()


class GroupOut(Schema):
    id: int
    name: str
    name_th: str
    name_en: str
    description: str
    description_th: str
    description_en: str


class AreaProperties(Schema):
    name: str
    name_th: str
    name_en: str
    hazard: Hazard
    hazard_label: str


class AreaFeature(Schema):
    """A risk area as a GeoJSON Feature (WGS 84 longitude, latitude)."""

    type: Literal["Feature"]
    id: int
    geometry: dict
    properties: AreaProperties


class AreaCollection(Schema):
    type: Literal["FeatureCollection"]
    features: list[AreaFeature]


class NominationOut(Schema):
    id: int
    organisation: int | None
    organisation_name: str | None
    name: str  # a free-text expert or team
    topic: str

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation_id

    @staticmethod
    def resolve_organisation_name(obj):
        return obj.organisation and obj.organisation.name


class IndicatorOut(Schema):
    id: int
    criterion: str
    criterion_th: str
    criterion_en: str
    name: str
    name_th: str
    name_en: str
    unit: str


class ActionOut(Schema):
    id: int
    text: str
    text_th: str
    text_en: str
    # The owner's person id, for those who may read the city's people; null for others.
    owner: int | None
    owner_label: str  # the person's name (their organisation for outsiders) or the free text
    due: dt.date | None
    status: FollowUpAction.Status
    completed_on: dt.date | None
    overdue: bool

    @staticmethod
    def resolve_owner(obj):
        return obj.owner_id if getattr(obj, "personal", True) else None

    @staticmethod
    def resolve_owner_label(obj):
        return obj.owner_label(getattr(obj, "personal", True))

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_overdue()


class OptionOut(Schema):
    number: int  # what ballots refer to
    label: str
    label_th: str
    label_en: str
    hazard: Hazard | Literal[""]
    item: int | None  # the record it came from, while it exists
    risk: int | None

    @staticmethod
    def resolve_item(obj):
        return obj.item_id

    @staticmethod
    def resolve_risk(obj):
        return obj.risk_id


class ResultOut(Schema):
    place: int
    tied: bool  # shares its place with another option ("2=")
    option: int  # the option's number
    label: str
    points: int
    firsts: int  # voters who ranked it first (Borda)
    supporters: int  # voters who ranked it or gave it dots

    @staticmethod
    def resolve_option(obj):
        return obj.option.number

    @staticmethod
    def resolve_label(obj):
        return obj.option.label


class BallotOut(Schema):
    vote: int
    person: int
    ranking: list[int] | None  # Borda: option numbers, first choice first
    dots: dict[int, int] | None  # dot voting: option number -> dots
    updated_at: dt.datetime

    @staticmethod
    def resolve_vote(obj):
        return obj.vote_id

    @staticmethod
    def resolve_person(obj):
        return obj.person_id

    @staticmethod
    def resolve_ranking(obj):
        if not obj.vote.is_borda:
            return None
        entries = sorted(obj.entries.all(), key=lambda e: e.rank)
        return [obj.numbers[e.option_id] for e in entries]

    @staticmethod
    def resolve_dots(obj):
        if obj.vote.is_borda:
            return None
        return {obj.numbers[e.option_id]: e.points for e in obj.entries.all()}


class VoteOut(Schema):
    id: int
    title: str
    title_th: str
    title_en: str
    method: Method
    dots: int | None  # dots per voter (dot voting)
    held_on: dt.date  # members of the working group on this day may vote
    status: Vote.Status
    show_live: bool
    ballot_count: int
    options: list[OptionOut]
    # Null while the caller may not see them (an open vote without running totals).
    results: list[ResultOut] | None
    my_ballot: BallotOut | None  # the caller's own ballot, if they cast one

    @staticmethod
    def resolve_options(obj):
        return obj.options.all()

    @staticmethod
    def resolve_results(obj):
        return getattr(obj, "result_rows", None)

    @staticmethod
    def resolve_my_ballot(obj):
        return getattr(obj, "my_ballot", None)


class DialogueDetail(DialogueOut):
    summary_th: str
    summary_en: str
    items: list[ItemOut]
    risks: list[RiskOut]
    groups: list[GroupOut]
    risk_areas: AreaCollection
    nominations: list[NominationOut]
    indicators: list[IndicatorOut]
    actions: list[ActionOut]
    votes: list[VoteOut]

    @staticmethod
    def resolve_items(obj):
        return obj.items.all()

    @staticmethod
    def resolve_risks(obj):
        return obj.risks.all()

    @staticmethod
    def resolve_groups(obj):
        return obj.groups.all()

    @staticmethod
    def resolve_risk_areas(obj):
        return obj.area_collection

    @staticmethod
    def resolve_nominations(obj):
        return obj.nominations.all()

    @staticmethod
    def resolve_indicators(obj):
        return obj.indicators.all()

    @staticmethod
    def resolve_actions(obj):
        return obj.actions.all()

    @staticmethod
    def resolve_votes(obj):
        return obj.vote_list


class ItemIn(Schema):
    kind: ItemKind
    text_th: str
    text_en: str = ""


class ActionIn(Schema):
    text_th: str
    text_en: str = ""
    owner: int | None = None  # a person of the city
    owner_name: str = ""  # or a free-text owner
    due: ApiDate | None = None


class RiskAreaIn(Schema):
    name_th: str
    name_en: str = ""
    hazard: Hazard
    # A GeoJSON Polygon or MultiPolygon (or a Feature holding one), WGS 84 longitude/latitude.
    geometry: dict


class BallotIn(Schema):
    # Borda: option numbers in order of preference, first choice first; unlisted ones get 0.
    ranking: list[int] | None = None
    # Dot voting: option number -> dots (at most the vote's dots in total).
    dots: dict[int, int] | None = Field(default=None)
