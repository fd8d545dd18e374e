"""Events, registrations and check-in.

Anyone reads published events; the organising team (the city's, or the national coordinator
for network events) also reads unpublished ones, and the participants, which are personal
data. An event the caller may not see answers 404, like one that does not exist.
"""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Router
from ninja import Status as HttpStatus
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.accounts.api import require_login
from apps.accounts.schemas import ApiDate
from apps.events.models import Event, Registration, VulnerableGroup
from apps.events.schemas import CheckInIn, EventDetail, EventOut, RegistrationOut
from apps.networks.api import city_or_404, network_or_404
from apps.people.models import Person
from workbench.pagination import LimitOffsetPagination

router = Router(tags=["events"])


def _events(user):
    return Event.objects.visible_to(user).with_related().with_counts()


def _event_or_404(user, event_id, queryset=None):
    event = (queryset if queryset is not None else _events(user)).filter(pk=event_id).first()
    if event is None:
        raise Http404(gettext("Unknown event: %(id)s.") % {"id": event_id})
    return event


def _forbidden():
    return HttpError(403, gettext("Only the event's organisers may do this."))


def _day_start(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@router.get("/events", response=list[EventOut])
@paginate(LimitOffsetPagination)
def list_events(request, city: str | None = None, network: str | None = None,
                status: Event.Status | None = None, starts_from: ApiDate | None = None,
                starts_before: ApiDate | None = None):
    """Events by start. `city` gives the city's own events and its network's events;
    `starts_from` / `starts_before` are days (ISO 8601), in Bangkok time."""
    events = _events(request.user)
    if city:
        events = events.for_city(city_or_404(city))
    if network:
        events = events.in_network(network_or_404(network))
    if status:
        events = events.filter(status=status)
    if starts_from:
        events = events.filter(starts_at__gte=_day_start(starts_from))
    if starts_before:
        events = events.filter(starts_at__lt=_day_start(starts_before))
    return events.order_by("starts_at", "id")


@router.get("/events/{int:event_id}", response=EventDetail)
def get_event(request, event_id: int):
    event = _event_or_404(request.user, event_id)
    event.agenda_items = list(event.agenda.select_related("speaker", "organisation"))
    event.attendance = None
    if event.in_scope(request.user):
        stats = event.attendance_stats()
        event.attendance = {
            "checked_in": stats["total"], "by_organisation_kind": stats["organisation_kind"],
            "by_sector": stats["sector"], "by_city": stats["city"], "by_gender": stats["gender"],
            "by_vulnerable_group": stats["vulnerable_group"],
        }
    return event


@router.post("/events/{int:event_id}/registrations/{int:person_id}",
             response={201: RegistrationOut})
def register(request, event_id: int, person_id: int):
    """Register a person: the organisers register anyone they can see; a person whose
    account is linked to them registers themself. A full event puts them on the waitlist;
    a second registration, a closed event or a city over its quota answer 422."""
    user = require_login(request)
    event = _event_or_404(user, event_id)
    person = (Person.objects.filter(Q(pk__in=Person.objects.visible_to(user).values("pk"))
                                    | Q(user=user))
              .select_related("city").filter(pk=person_id).first())
    if person is None:
        raise Http404(gettext("Unknown person: %(id)s.") % {"id": person_id})
    if not (event.can_edit(user) or person.user_id == user.pk):
        raise _forbidden()
    return HttpStatus(201, _registration(event.register(person, by=user).pk))


def _registrations(user):
    return Registration.objects.visible_to(user).select_related(
        "person__city", "person__organisation")


def _registration(pk):
    return Registration.objects.select_related("person__city", "person__organisation").get(pk=pk)


@router.get("/registrations", response=list[RegistrationOut])
@paginate(LimitOffsetPagination)
def list_registrations(request, event: int | None = None, person: int | None = None,
                       status: Registration.Status | None = None):
    """Registrations the caller may see: those of their own events, and of people they may
    read anyway. Ordered by event, then position (the waitlist order)."""
    rows = _registrations(request.user)
    if event is not None:
        rows = rows.filter(event_id=event)
    if person is not None:
        rows = rows.filter(person_id=person)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("event_id", "position")


def _registration_for_change(user, registration_id):
    registration = _registrations(user).select_related("event").filter(pk=registration_id).first()
    event = registration and Event.objects.visible_to(user).with_related().filter(
        pk=registration.event_id).first()
    if registration is None or event is None:
        raise Http404(gettext("Unknown registration: %(id)s.") % {"id": registration_id})
    registration.event = event
    return registration, event


@router.post("/registrations/{int:registration_id}/cancel", response=RegistrationOut)
def cancel_registration(request, registration_id: int):
    """Give up a place (organisers, or the person themself); the waitlist moves up."""
    user = require_login(request)
    registration, event = _registration_for_change(user, registration_id)
    if not (event.can_edit(user) or registration.person.user_id == user.pk):
        raise _forbidden()
    registration.cancel(by=user)
    return _registration(registration.pk)


@router.post("/registrations/{int:registration_id}/check-in", response=RegistrationOut)
def check_in(request, registration_id: int, payload: CheckInIn):
    """Tick a participant in on the day (the organisers); `checked_in: false` undoes it.
    `vulnerable_group` records the participant's own declaration at the door, as the check-in
    page does: one of the groups, "" to withdraw it, left out to keep it."""
    user = require_login(request)
    registration, event = _registration_for_change(user, registration_id)
    if not event.can_edit(user):
        raise _forbidden()
    group = payload.vulnerable_group
    if group and group not in VulnerableGroup.values:
        # The field and the accepted values in the message: an API caller has no select.
        raise ValidationError({"vulnerable_group": gettext(
            "vulnerable_group: %(value)s is not a known group; use one of %(choices)s, or an "
            "empty text for none declared.") % {
                "value": group, "choices": ", ".join(VulnerableGroup.values)}})
    with transaction.atomic():  # a refused check-in keeps no declaration either (as the page)
        if group is not None:
            registration.declare(group)
        if payload.checked_in:
            registration.check_in(by=user)
        else:
            registration.undo_check_in()
    return _registration(registration.pk)
