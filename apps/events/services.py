"""Workflows that span models and send mail: inviting people and whole groups, reminders."""
import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.events import mail
from apps.events.models import Event, Invitation, Registration, language_for
from apps.people.models import Membership, Person


# -- who can be invited at once ----------------------------------------------------------
def working_group_people(cities, on=None):
    """Active members of the core working groups of `cities` (a queryset or list)."""
    members = Membership.objects.active(on).filter(group__city__in=cities)
    return Person.objects.filter(pk__in=members.values("person"))


def organisation_people(organisation):
    return Person.objects.filter(organisation=organisation)


def network_people(network, on=None):
    """Everyone in the working groups of the network's cities (the 10-city workshop)."""
    return working_group_people(network.cities.all(), on)


@dataclass
class InviteResult:
    invited: list = field(default_factory=list)  # new invitations
    resent: list = field(default_factory=list)  # pending ones sent again with a new link
    unchanged: list = field(default_factory=list)  # invited before (or answered): left alone
    without_email: list = field(default_factory=list)  # invited, but we have no address


def invite(event, people, by=None, resend=False):
    """Invite each person once. People already invited are left alone, unless `resend`
    asks to send pending ones a fresh link (the old one stops working). Emails, each with
    its personal link, leave after the commit."""
    if not event.is_open():
        raise ValidationError(_("Registration for this event is closed; nobody can be invited."))
    people = list(people.select_related("city") if hasattr(people, "select_related") else people)
    result = InviteResult()
    with transaction.atomic():
        existing = {inv.person_id: inv for inv in event.invitations.filter(person__in=people)}
        new, again, tokens = [], [], {}
        for person in {p.pk: p for p in people}.values():
            invitation = existing.get(person.pk)
            if invitation is None:
                invitation = Invitation(event=event, person=person, language=language_for(person),
                                        invited_by=by if by and by.pk else None)
                tokens[person.pk] = invitation.new_token()
                new.append(invitation)
                result.invited.append(invitation)
            elif resend and invitation.status == Invitation.Status.PENDING:
                tokens[person.pk] = invitation.new_token()
                invitation.invited_at = timezone.now()
                again.append(invitation)
                result.resent.append(invitation)
            else:
                result.unchanged.append(invitation)
                continue
            if not person.email:
                result.without_email.append(invitation)
        Invitation.objects.bulk_create(new)
        Invitation.objects.bulk_update(again, ["token_hash", "invited_at"])
        pairs = [(inv.pk, tokens[inv.person_id]) for inv in new + again if inv.person.email]
        mail.after_commit(mail.invitations, pairs)
    return result


# -- reminders ---------------------------------------------------------------------------------
def send_reminders(hours=48, now=None):
    """Remind everyone with a place at an event starting within `hours`, once.

    Each registration is claimed with a conditional UPDATE before its email is built, so two
    runs at the same time (cron overlapping a manual run) never remind anyone twice. A
    moved event clears the mark, so people are reminded of the new date."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Registration.Status.CONFIRMED, reminder_sent_at__isnull=True,
        event__status=Event.Status.SCHEDULED, event__starts_at__gt=now,
        event__starts_at__lte=now + dt.timedelta(hours=hours),
    )
    claimed = [
        pk for pk in due.values_list("pk", flat=True).order_by("pk")
        if Registration.objects.filter(pk=pk, reminder_sent_at__isnull=True)
        .update(reminder_sent_at=now)
    ]
    mail.after_commit(mail.registrations_changed, claimed, "reminder")
    return len(claimed)
