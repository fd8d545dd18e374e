"""Personal data on request: everything held about a person (export), and erasure.

Erasure anonymises in place instead of deleting. Registrations, check-ins, invitations,
memberships and ballots stay linked to the anonymised person, whose gender, sector,
organisation and city are kept: attendance and participation counts do not change. The
vulnerable group declared on registrations (disability, ethnicity, income...) is sensitive
data under Thailand's PDPA (section 26) and is cleared: indicator values already reported keep
their numbers, a recount leaves the person as "not declared". The log keeps who erased, when
and why, never what was erased.
"""
import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.scope import scope_of
from apps.people.models import Person, PersonErasure

logger = logging.getLogger(__name__)

EXPORT_FORMAT = "resilience-workbench/person-export/1"
ERASED_NAME_TH = "ผู้ถูกลบข้อมูล #{id}"
ERASED_NAME_EN = "Erased person #{id}"


# -- who may -------------------------------------------------------------------------------
def person_for(user, pk):
    """The person if the user may see them at all (their city's team, the national
    coordinator, or the person themself), else None: outsiders get a 404, not a 403."""
    condition = scope_of(user).city_read_q()
    if user.is_authenticated:
        condition |= Q(user=user)
    return (Person.objects.filter(condition).select_related("city", "organisation", "user",
                                                             "erasure")
            .filter(pk=pk).first())


def can_export(user, person):
    return person.contacts_visible_to(user)  # the same people: the city's editors, themself


def can_erase(user, person):
    return scope_of(user).can_edit_city(person.city)


# -- export --------------------------------------------------------------------------------
def _when(value):
    return value.isoformat() if value else None


def export(person):
    """Everything held about `person` as plain JSON-ready data (English keys)."""
    from apps.dialogues.models import FollowUpAction
    from apps.dialogues.votes import Ballot
    from apps.events.models import AgendaItem, Invitation, Registration

    user = person.user
    data = {
        "format": EXPORT_FORMAT,
        "exported_at": _when(timezone.now()),
        "person": {
            "id": person.pk, "full_name_th": person.full_name_th,
            "full_name_en": person.full_name_en, "city": person.city.slug,
            "organisation": person.organisation and str(person.organisation),
            "sector": person.sector, "position": person.position, "email": person.email,
            "phone": person.phone, "gender": person.gender,
        },
        "erasure": None,
        "memberships": [
            {"group": m.group.city.slug, "role": m.role, "start": _when(m.start),
             "end": _when(m.end)}
            for m in person.memberships.select_related("group__city")
        ],
        "event_registrations": [
            {"event": r.event_id, "event_title": str(r.event.title), "status": r.status,
             "registered_at": _when(r.registered_at), "cancelled_at": _when(r.cancelled_at),
             "checked_in_at": _when(r.checked_in_at), "vulnerable_group": r.vulnerable_group}
            for r in Registration.objects.filter(person=person).select_related("event")
        ],
        "event_invitations": [
            {"event": i.event_id, "event_title": str(i.event.title), "status": i.status,
             "language": i.language, "invited_at": _when(i.invited_at),
             "responded_at": _when(i.responded_at)}
            for i in Invitation.objects.filter(person=person).select_related("event")
        ],
        "agenda_items": [
            {"event": a.event_id, "day": a.day, "time": a.time.isoformat(),
             "title": str(a.title), "speaker_name": a.speaker_name}
            for a in AgendaItem.objects.filter(speaker=person)
        ],
        "ballots": [
            {"vote": b.vote_id, "vote_title": str(b.vote), "cast_at": _when(b.cast_at),
             "choices": [{"option": str(e.option), "rank": e.rank, "points": e.points}
                         for e in b.entries.all()]}
            for b in Ballot.objects.filter(person=person).select_related("vote")
            .prefetch_related("entries__option")
        ],
        "follow_up_actions": [
            {"dialogue": f.dialogue_id, "action_th": f.text_th, "action_en": f.text_en,
             "due": _when(f.due), "status": f.status}
            for f in FollowUpAction.objects.filter(owner=person)
        ],
        "account": None,
    }
    if person.is_erased:
        data["erasure"] = {"at": _when(person.erasure.at), "reason": person.erasure.reason}
    # Anything else pointing at the person, so a model added later cannot be left out.
    data["other_records"] = _references(person, skip={
        "memberships", "event_registrations", "event_invitations", "agenda_items", "ballots",
        "dialogue_actions", "erasure"})
    if user is not None:
        data["account"] = _account(user)
    return data


def _account(user):
    from apps.proposals.models import Evaluator, Proposal

    return {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "is_active": user.is_active,
        "date_joined": _when(user.date_joined), "last_login": _when(user.last_login),
        "role_assignments": [
            {"role": r.role, "network": r.network and r.network.slug,
             "city": r.city and r.city.slug}
            for r in user.roles.select_related("network", "city")
        ],
        "api_tokens": [{"name": t.name, "created": _when(t.created),
                        "last_used": _when(t.last_used)} for t in user.api_tokens.all()],
        "proposals": [
            {"id": p.pk, "call": p.call_id, "title_th": p.title_th, "title_en": p.title_en,
             "status": p.status, "submitted_at": _when(p.submitted_at)}
            for p in Proposal.objects.filter(proponent=user)
        ],
        "evaluations": [
            {"call": e.call_id, "declared_at": _when(e.declared_at),
             "submitted_at": _when(e.submitted_at)}
            for e in Evaluator.objects.filter(user=user)
        ],
        # History and audit rows naming the account (who did what, when).
        "audit_entries": _audit_entries(user),
        "other_records": _references(user, skip={"roles", "api_tokens", "proposals",
                                                 "evaluations", "person"}),
    }


def _reverse_relations(instance):
    for field in type(instance)._meta.get_fields(include_hidden=True):
        if field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one
                                                          or field.many_to_many):
            yield field


def _references(instance, skip):
    """{"app.Model.field": [ids]} for every row pointing at `instance` not exported above."""
    found = {}
    for relation in _reverse_relations(instance):
        if relation.get_accessor_name() in skip:
            continue
        model = relation.related_model
        ids = list(model._default_manager.filter(**{relation.field.name: instance})
                   .values_list("pk", flat=True))
        if ids:
            found[f"{model._meta.label}.{relation.field.name}"] = ids
    return found


def _audit_entries(user):
    entries = []
    for relation in _reverse_relations(user):
        model = relation.related_model
        names = {f.name for f in model._meta.get_fields()}
        if not {"at", "action"} <= names or relation.many_to_many:
            continue
        for row in model._default_manager.filter(**{relation.field.name: user}):
            entries.append({"log": model._meta.label, "id": row.pk, "at": _when(row.at),
                            "action": row.action, "as": relation.field.name})
    return sorted(entries, key=lambda e: e["at"] or "")


# -- erasure -------------------------------------------------------------------------------
def erase(person, by, reason):
    """Anonymise `person` and their account; atomic. Raises ValidationError if already
    erased or no reason is given."""
    from apps.accounts.models import LoginThrottle
    from apps.accounts.twofactor import turn_off
    from apps.events.models import AgendaItem, Event, Registration

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the erasure (for example, the request "
                                "it answers)."))
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if PersonErasure.objects.filter(person=person).exists():
            raise ValidationError(_("This person has already been erased."))
        person.full_name_th = ERASED_NAME_TH.format(id=person.pk)
        person.full_name_en = ERASED_NAME_EN.format(id=person.pk)
        person.email = person.phone = person.position = ""
        person.save(update_fields=["full_name_th", "full_name_en", "email", "phone",
                                   "position"])
        AgendaItem.objects.filter(speaker=person).update(speaker_name="")
        Registration.objects.filter(person=person).update(vulnerable_group="")
        # A place held in an event still to come would be a place nobody uses.
        upcoming = (Registration.objects.active().filter(
            person=person, event__status=Event.Status.SCHEDULED,
            event__starts_at__gt=timezone.now(), checked_in_at__isnull=True))
        for registration in upcoming:
            registration.cancel(by=by)
        if person.user_id:
            user = get_user_model().objects.select_for_update().get(pk=person.user_id)
            LoginThrottle.objects.filter(kind=LoginThrottle.Kind.ACCOUNT,
                                         key__iexact=user.username).delete()
            user.username = f"erased-{user.pk}"
            user.first_name = user.last_name = user.email = ""
            user.is_active = False
            user.set_unusable_password()
            user.save()
            user.roles.all().delete()
            user.api_tokens.all().delete()
            turn_off(user)
        erasure = PersonErasure.objects.create(person=person, by=by, reason=reason[:500])
    logger.info("Person %s erased by user %s", person.pk, by and by.pk)
    return erasure
