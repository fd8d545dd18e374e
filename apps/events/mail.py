"""Email to participants: in each recipient's language, with an iCalendar file, and only
after the transaction commits.

Models schedule these functions with `after_commit`; they load what they need by primary key
when they run, so a rolled-back registration never sends anything and a message always shows
what was committed. This module imports no models at load time: models import it.
"""
import contextvars
import logging
from contextlib import contextmanager
from email.mime.text import MIMEText
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from apps.events import ical

logger = logging.getLogger(__name__)
_muted = contextvars.ContextVar("event_mail_muted", default=False)


def after_commit(function, *args):
    """Run `function(*args)` once the current transaction commits (at once outside one)."""
    if not _muted.get():
        transaction.on_commit(partial(function, *args))


@contextmanager
def muted():
    """Send no event email inside: loading demo data or importing past events must not write
    to the people in them."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def site_url(path):
    # Links in emails need the site's address; SITE_URL names it in production.
    base = getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000"
    return base.rstrip("/") + path


def message(person, lang, kind, event, context=None, method=None):
    """One email to one person, rendered in `lang`; None when they have no address."""
    if not person.email:
        return None
    with translation.override(lang):
        context = {"person": person, "event": event, "kind": kind, "lang": lang,
                   "event_url": site_url(reverse("events:detail", args=[event.pk])),
                   **(context or {})}
        subject = " ".join(render_to_string("events/email/subject.txt", context).split())
        body = render_to_string("events/email/body.txt", context)
        email = EmailMessage(subject, body, to=[person.email])
        if method:
            email.attach(calendar_part(event, method, person, lang))
    return email


def calendar_part(event, method, person, lang):
    part = MIMEText(ical.calendar(event, method, person, lang).decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment",
                    filename="cancel.ics" if method == ical.CANCEL else "invite.ics")
    return part


def deliver(messages):
    """Send what could be built; a mail server failure is logged, never raised after the
    commit (the change it reports is already saved)."""
    messages = [m for m in messages if m is not None]
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            return connection.send_messages(messages)
    except Exception:  # noqa: BLE001 - any transport error: log it, keep the request alive
        logger.exception("Could not send %s event emails", len(messages))
        return 0


# -- what gets sent -------------------------------------------------------------------------
def invitations(pairs):
    """Invitations with their personal links: (invitation id, raw token) pairs. The raw
    tokens exist only here, in memory: the database keeps their hashes."""
    from apps.events.models import Invitation

    tokens = dict(pairs)
    rows = Invitation.objects.filter(pk__in=tokens).select_related(
        "person__city", "event__city_activity__city", "event__network")
    return deliver(
        message(inv.person, inv.language, "invitation", inv.event, {
            "invitation": inv,
            "link": site_url(reverse("events:invitation", args=[tokens[inv.pk]])),
        }, method=ical.REQUEST)
        for inv in rows
    )


# Registration news: which calendar method goes with it (None: no calendar entry).
REGISTRATION_METHODS = {
    "confirmed": ical.REQUEST, "promoted": ical.REQUEST, "reminder": ical.REQUEST,
    "waitlisted": None, "cancelled": ical.CANCEL,
}


def registrations_changed(ids, kind):
    """Tell each person what happened to their registration."""
    from apps.events.models import Registration, language_for

    if not ids:
        return 0
    rows = Registration.objects.filter(pk__in=ids).select_related(
        "person__city", "event__city_activity__city", "event__network")
    messages = []
    for registration in rows:
        context = {"registration": registration}
        if registration.status == Registration.Status.WAITLISTED:
            context["waitlist_rank"] = registration.event.registrations.waitlisted().filter(
                position__lte=registration.position).count()
        messages.append(message(registration.person, language_for(registration.person), kind,
                                registration.event, context, REGISTRATION_METHODS[kind]))
    return deliver(messages)


def event_changed(event_id, kind):
    """A moved or cancelled event: everyone registered (with a place or waiting) and everyone
    invited who has not said no. Calendar entries go to those who may have one."""
    from apps.events.models import Event, Invitation, Registration, language_for

    event = Event.objects.with_related().get(pk=event_id)
    recipients = {}
    for registration in event.registrations.active().select_related("person__city"):
        with_calendar = registration.status == Registration.Status.CONFIRMED
        recipients[registration.person_id] = (registration.person, language_for(
            registration.person), with_calendar)
    for invitation in event.invitations.exclude(status=Invitation.Status.DECLINED).select_related(
            "person__city"):
        if invitation.person_id not in recipients:
            recipients[invitation.person_id] = (invitation.person, invitation.language, True)
    cancelled = kind == "cancelled"
    messages = []
    for person, lang, with_calendar in recipients.values():
        method = ical.CANCEL if cancelled else (ical.REQUEST if with_calendar else None)
        messages.append(message(person, lang, kind, event, method=method))
    return deliver(messages)
