"""Organisations, people and the city core working groups.

People are personal data: only their own city's team and the national coordinator see them.
A published working group shows everyone its active members' names, organisations and roles;
contacts, ids and past memberships stay with those who may read the city's unpublished data.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Router
from ninja import Status as HttpStatus
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.accounts.api import require_login
from apps.accounts.scope import scope_of
from apps.networks.api import city_or_404
from apps.people.models import Membership, Organisation, Person, WorkingGroup
from apps.people.schemas import (
    EndIn, MemberFull, MemberIn, OrganisationIn, OrganisationOut, PersonIn, PersonOut,
    PersonPatch, WorkingGroupDetail, WorkingGroupOut,
)
from workbench.pagination import LimitOffsetPagination

router = Router(tags=["people"])


def _forbidden():
    return HttpError(
        403, gettext("Only the city's coordinators may change its people and groups.")
    )


def _organisation(user, organisation_id):
    """A referenced organisation the caller can see, else a 422 at the field."""
    if organisation_id is None:
        return None
    organisation = Organisation.objects.visible_to(user).filter(pk=organisation_id).first()
    if organisation is None:
        raise ValidationError(
            {"organisation": gettext("Unknown organisation: %(id)s.") % {"id": organisation_id}}
        )
    return organisation


# -- organisations ------------------------------------------------------------------------
@router.get("/organisations", response=list[OrganisationOut])
@paginate(LimitOffsetPagination)
def list_organisations(request):
    return Organisation.objects.visible_to(request.user).select_related("city")


@router.post("/organisations", response={201: OrganisationOut})
def create_organisation(request, payload: OrganisationIn):
    user = require_login(request)
    scope = scope_of(user)
    city = payload.city and city_or_404(payload.city)
    # A national organisation belongs to no city, so only a national coordinator adds one.
    allowed = scope.can_edit_city(city) if city else (scope.superuser or scope.admin_networks)
    if not allowed:
        raise _forbidden()
    organisation = Organisation(**payload.dict(exclude={"city"}), city=city)
    organisation.full_clean()
    organisation.save()
    return HttpStatus(201, organisation)


# -- people ---------------------------------------------------------------------------------
def _people(user):
    return Person.objects.visible_to(user).select_related("city", "organisation")


@router.get("/people", response=list[PersonOut])
@paginate(LimitOffsetPagination)
def list_people(request, city: str | None = None):
    people = _people(request.user)
    if city:
        people = people.filter(city=city_or_404(city))
    return people


@router.post("/people", response={201: PersonOut})
def create_person(request, payload: PersonIn):
    user = require_login(request)
    city = city_or_404(payload.city)
    if not scope_of(user).can_edit_city(city):
        raise _forbidden()
    values = payload.dict(exclude_unset=True, exclude={"city", "organisation"})
    person = Person(**values, city=city, organisation=_organisation(user, payload.organisation))
    person.full_clean()
    person.save()
    return HttpStatus(201, person)


@router.patch("/people/{int:person_id}", response=PersonOut)
def change_person(request, person_id: int, payload: PersonPatch):
    user = require_login(request)
    person = _people(user).filter(pk=person_id).first()
    if person is None:
        raise Http404(gettext("Unknown person: %(id)s.") % {"id": person_id})
    if not scope_of(user).can_edit_city(person.city):
        raise _forbidden()
    changes = payload.dict(exclude_unset=True)
    if "organisation" in changes:
        changes["organisation"] = _organisation(user, changes["organisation"])
    for name, value in changes.items():
        setattr(person, name, value)
    person.full_clean()
    person.save(update_fields=list(changes))
    return person


# -- working groups -------------------------------------------------------------------------
def _groups(user):
    return WorkingGroup.objects.visible_to(user).with_active_count().select_related("city")


def _group_or_404(user, slug):
    city = city_or_404(slug)
    group = _groups(user).filter(city=city).first()
    if group is None:  # missing and unpublished read the same to outsiders
        raise Http404(gettext("No working group to show for %(slug)s.") % {"slug": slug})
    return group


@router.get("/working-groups", response=list[WorkingGroupOut])
@paginate(LimitOffsetPagination)
def list_working_groups(request):
    return _groups(request.user)


@router.get("/working-groups/{slug}", response=WorkingGroupDetail)
def get_working_group(request, slug: str):
    group = _group_or_404(request.user, slug)
    memberships = Membership.objects.filter(group=group).select_related(
        "person__organisation", "person__city")
    if scope_of(request.user).can_read_city(group.city):
        group.access, group.members = "team", memberships
    else:
        group.access, group.members = "public", memberships.active()
    return group


@router.post("/working-groups/{slug}/members", response={201: MemberFull})
def add_member(request, slug: str, payload: MemberIn):
    user = require_login(request)
    group = _group_or_404(user, slug)
    if not scope_of(user).can_edit_city(group.city):
        raise _forbidden()
    person = _people(user).filter(pk=payload.person).first()
    if person is None:
        message = gettext("Unknown person: %(id)s.") % {"id": payload.person}
        raise ValidationError({"person": message})
    membership = Membership(
        group=group, person=person, role=payload.role, start=payload.start, end=payload.end
    )
    membership.full_clean()  # dates in order, same city, no overlapping membership
    membership.save()
    return HttpStatus(201, membership)


@router.post("/memberships/{int:membership_id}/end", response=MemberFull)
def end_membership(request, membership_id: int, payload: EndIn):
    user = require_login(request)
    membership = (
        Membership.objects.filter(group__in=WorkingGroup.objects.visible_to(user))
        .select_related("group__city", "person__organisation", "person__city")
        .filter(pk=membership_id).first()
    )
    if membership is None:
        raise Http404(gettext("Unknown membership: %(id)s.") % {"id": membership_id})
    if not scope_of(user).can_edit_city(membership.group.city):
        raise _forbidden()
    with transaction.atomic():
        membership.end_on(payload.on or timezone.localdate())
        # end_on checks only the order of dates; moving an end later could overlap the
        # person's next membership, so run the full rules and roll back if they fail.
        membership.full_clean()
    return membership
