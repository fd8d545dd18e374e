import datetime as dt
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Schema
from pydantic import Field

from apps.accounts.schemas import ApiDate
from apps.people.models import Gender, Membership, OrganisationKind, Sector


def _contacts_shown(person, context):
    request = (context or {}).get("request")
    return request is not None and person.contacts_visible_to(request.user)


class OrganisationOut(Schema):
    id: int
    name: str
    name_th: str
    name_en: str
    short_name: str
    kind: OrganisationKind
    city: str | None  # None: a national or international organisation
    website: str

    @staticmethod
    def resolve_city(obj):
        return obj.city and obj.city.slug


class OrganisationIn(Schema):
    name_th: str
    name_en: str = ""
    short_name: str = ""
    kind: OrganisationKind
    city: str | None = None  # city slug; omit for a national organisation
    website: str = ""


class PersonOut(Schema):
    id: int
    full_name: str
    full_name_th: str
    full_name_en: str
    city: str
    organisation: int | None
    organisation_name: str | None
    sector: Sector | Literal[""]
    position: str
    email: str | None  # None: not shown to the caller (see Person.contacts_visible_to)
    phone: str | None
    gender: Gender

    @staticmethod
    def resolve_city(obj):
        return obj.city.slug

    @staticmethod
    def resolve_email(obj, context):
        return obj.email if _contacts_shown(obj, context) else None

    @staticmethod
    def resolve_phone(obj, context):
        return obj.phone if _contacts_shown(obj, context) else None

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation_id

    @staticmethod
    def resolve_organisation_name(obj):
        return obj.organisation and obj.organisation.name


class PersonPatch(Schema):
    # The city is fixed: moving a person would strand their working-group memberships.
    full_name_th: str | None = None
    full_name_en: str | None = None
    organisation: int | None = None
    sector: Sector | Literal[""] | None = None
    position: str | None = None
    email: str | None = None  # checked by the model's EmailField, message translated
    phone: str | None = None
    gender: Gender | None = None


class PersonIn(PersonPatch):
    full_name_th: str
    city: str  # city slug


class WorkingGroupOut(Schema):
    city: str
    city_name: str
    established: dt.date | None
    published: bool
    active_count: int
    size_warning: str  # empty when the group has the plan's 10-15 members

    @staticmethod
    def resolve_city(obj):
        return obj.city.slug

    @staticmethod
    def resolve_city_name(obj):
        return obj.city.name

    @staticmethod
    def resolve_size_warning(obj):
        return str(obj.size_warning(obj.active_count))


class MemberPublic(Schema):
    """What everyone may know of a published group's members: no ids, no contacts."""

    full_name: str
    organisation: str | None
    role: Membership.GroupRole

    @staticmethod
    def resolve_full_name(obj):
        return obj.person.full_name

    @staticmethod
    def resolve_organisation(obj):
        return obj.person.organisation and obj.person.organisation.name


class MemberFull(MemberPublic):
    id: int
    person: int
    position: str
    email: str | None  # None: not shown to the caller (members and experts of the city)
    phone: str | None
    start: dt.date
    end: dt.date | None
    active: bool

    @staticmethod
    def resolve_person(obj):
        return obj.person_id

    @staticmethod
    def resolve_position(obj):
        return obj.person.position

    @staticmethod
    def resolve_email(obj, context):
        return obj.person.email if _contacts_shown(obj.person, context) else None

    @staticmethod
    def resolve_phone(obj, context):
        return obj.person.phone if _contacts_shown(obj.person, context) else None

    @staticmethod
    def resolve_active(obj):
        today = timezone.localdate()
        return obj.start <= today and (obj.end is None or obj.end >= today)


class WorkingGroupPublic(WorkingGroupOut):
    access: Literal["public"]
    members: list[MemberPublic]  # active members only


class WorkingGroupFull(WorkingGroupOut):
    access: Literal["team"]  # the caller may read the city's unpublished data
    members: list[MemberFull]  # every membership, past ones included


# Tagged by `access`, so the shape is chosen by the view's decision, never by pydantic guessing
# which shape the objects happen to fit.
WorkingGroupDetail = Annotated[WorkingGroupFull | WorkingGroupPublic, Field(discriminator="access")]


class MemberIn(Schema):
    person: int
    role: Membership.GroupRole = Membership.GroupRole.MEMBER
    start: ApiDate
    end: ApiDate | None = None


class EndIn(Schema):
    on: ApiDate | None = None  # default: today
