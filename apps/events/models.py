"""Events of the programme: who is invited, who registered, who came.

An event belongs to one city activity (a city's launch, seminar, SLD...) or to the network
(the 10-city workshop, the national forum): exactly one, checked by the database.

Places are capped. Every change to an event's places (registering, cancelling, promoting,
changing the capacity, cancelling or moving the event) first locks the event row, so two
people can never take the last place, and the waitlist keeps the order in which
registrations committed: `position` is handed out under that lock.

Emails leave only after the transaction commits (apps.events.mail), so a registration that is
rolled back never tells anyone they have a place.
"""
import datetime as dt
import hashlib
import secrets
import uuid
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import Count, F, Lookup, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.accounts.scope import CityScopedQuerySet, scope_of
from apps.core import dates
from apps.core.audit import AppendOnly
from apps.core.concurrency import Versioned, claim
from apps.core.i18n import Localized
from apps.events import mail
from apps.people.models import Gender, OrganisationKind, Sector
from apps.progress.models import ALLOWED_EVIDENCE_EXTENSIONS, Evidence

IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp"}


class VulnerableGroup(models.TextChoices):
    """A participant's own declaration at an event, for the participation indicator
    "vulnerable-group participants" (apps.monitoring.participation). Sensitive personal data:
    optional (empty: not declared), kept on the registration rather than on the person, so it
    is read only where that attendance is (Registration.visible_to) and a person may declare
    at one event and not at another. One group per attendance: the one the person names."""

    DISABILITY = "disability", _("Person with a disability")
    OLDER = "older", _("Older person (60+)")
    LOW_INCOME = "low_income", _("Low-income household")
    MINORITY = "minority", _("Ethnic minority or stateless person")
    MIGRANT = "migrant", _("Migrant worker")
    OTHER = "other", _("Other vulnerable group")


class Language(models.TextChoices):
    THAI = "th", _("Thai")
    ENGLISH = "en", _("English")


def language_for(person):
    """The language we write to a person in: Thai, or English for partner cities abroad."""
    return Language.THAI if person.city.country == "TH" else Language.ENGLISH


# -- events -------------------------------------------------------------------------------
class AnyOf(Lookup):
    """`field = ANY(array)` (PostgreSQL): see EventQuerySet._of_activities."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


class EventQuerySet(CityScopedQuerySet):
    """Published events are public. Unpublished city events belong to the city's scope;
    network events have no city, so only the network's national coordinator has them."""

    city_path = "city_activity__city"
    publishable = True

    def _scope_q(self, user, edit=False):
        scope = scope_of(user)
        city = scope.city_edit_q(self.city_path) if edit else scope.city_read_q(self.city_path)
        return city | Q(network__in=scope.admin_networks)

    def visible_to(self, user):
        return self.filter(Q(published=True) | self._scope_q(user))

    def editable_by(self, user):
        return self.filter(self._scope_q(user, edit=True))

    def for_city(self, city):
        """A city's own events and the events of its whole network."""
        return self.filter(self._of_activities(city_id=city.pk) | Q(network_id=city.network_id))

    def in_network(self, network):
        # Nearly every event of the network matches: the join reads them all in one pass, which
        # beats the ANY(ARRAY(...)) of for_city here (54 ms against 161 ms at 2,500 cities).
        return self.filter(Q(city_activity__city__network=network) | Q(network=network))

    def _of_activities(self, **city_activities):
        """Events of the city activities matching `city_activities`, as a condition to OR with
        one on the event's own network. PostgreSQL answers `city_activity_id IN (SELECT ...)
        OR network_id = n` (or the same through a join) by reading every event of every
        network; `= ANY(ARRAY(SELECT ...))` runs the small select once first, so both sides of
        the OR use their index (a city's events among 13,000: 48 ms -> 0.3 ms)."""
        from apps.progress.models import CityActivity

        activities = CityActivity.objects.filter(**city_activities).order_by().values("pk")
        if connections[self.db].vendor != "postgresql":
            return Q(city_activity__in=activities)
        from django.contrib.postgres.expressions import ArraySubquery

        return Q(city_activity__any_of=ArraySubquery(activities))

    def open_for(self, city, now=None):
        """Events people of `city` can still register for."""
        now = now or timezone.now()
        return self.for_city(city).filter(status=Event.Status.SCHEDULED, ends_at__gt=now).filter(
            Q(registration_deadline__isnull=True) | Q(registration_deadline__gt=now))

    def with_counts(self):
        # Counted per returned event (a correlated subquery each) rather than by joining and
        # grouping all registrations: a page of a national network's events then counts only
        # that page's registrations (8 s -> 0.3 s for 2,500 cities, benchmarks/load.py).
        return self.annotate(
            confirmed_count=_registration_count(Registration.Status.CONFIRMED),
            waitlisted_count=_registration_count(Registration.Status.WAITLISTED),
        )

    def with_related(self):
        return self.select_related(
            "city_activity__city__network", "city_activity__plan_activity", "network",
            "plan_activity", "organiser",
        )


class Event(Versioned, models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    city_activity = models.ForeignKey(
        "progress.CityActivity", on_delete=models.PROTECT, null=True, blank=True,
        related_name="events", verbose_name=_("city activity"),
    )
    network = models.ForeignKey(
        "networks.Network", on_delete=models.PROTECT, null=True, blank=True,
        related_name="events", verbose_name=_("network"),
    )
    # A city event takes its plan activity from its city activity; a network event may name
    # the one it carries out (6, the workshop; 14, the national forum) so that holding it is
    # recorded on every attending city's activity.
    plan_activity = models.ForeignKey(
        "plans.PlanActivity", on_delete=models.PROTECT, null=True, blank=True,
        related_name="network_events", verbose_name=_("plan activity"),
    )
    # A city event may be one of the city's pilots' (a pilot's training, its site visit): the
    # pilot's page lists it and the pilot's participation indicators count it. Same city only
    # (clean()); a network event belongs to no pilot (constraint).
    pilot = models.ForeignKey(
        "pilots.Pilot", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="events", verbose_name=_("pilot project"),
        help_text=_("Optional: the city's pilot project this event is part of."),
    )
    title_th = models.CharField(_("title (Thai)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place_th = models.CharField(_("place (Thai)"), max_length=300, blank=True)
    place_en = models.CharField(_("place (English)"), max_length=300, blank=True)
    language = models.CharField(
        _("language of the event"), max_length=2, choices=Language.choices,
        default=Language.THAI,
    )
    organiser = models.ForeignKey(
        "people.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="organised_events", verbose_name=_("organiser"),
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True,
        help_text=_("Empty: no limit. New events take the plan's participant cap."),
    )
    cap_per_city = models.PositiveIntegerField(
        _("places per city"), null=True, blank=True,
        help_text=_("Empty: no limit. New events take the plan's representatives per city."),
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"), null=True, blank=True,
        help_text=_("Empty: registration stays open until the event ends, so walk-ins "
                    "can be registered at the door."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    published = models.BooleanField(
        _("published"), default=False,
        help_text=_("Published events are visible to other cities and the public."),
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    # iCalendar: the UID stays for the event's life; SEQUENCE grows each time it moves, so
    # calendars replace the old entry instead of adding a second one.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # The last waitlist position handed out, under the event's row lock.
    last_position = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(city_activity__isnull=False, network__isnull=True)
                | Q(city_activity__isnull=True, network__isnull=False),
                name="event_city_activity_xor_network",
            ),
            models.CheckConstraint(
                condition=Q(plan_activity__isnull=True) | Q(network__isnull=False),
                name="event_plan_activity_only_for_network",
            ),
            models.CheckConstraint(
                condition=Q(pilot__isnull=True) | Q(city_activity__isnull=False),
                name="event_pilot_only_for_city_events",
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(registration_deadline__isnull=True)
                | Q(registration_deadline__lte=F("ends_at")),
                name="event_deadline_before_end",
            ),
            models.CheckConstraint(condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                                   name="event_capacity_positive"),
            models.CheckConstraint(
                condition=Q(cap_per_city__isnull=True) | Q(cap_per_city__gte=1),
                name="event_cap_per_city_positive",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="event_cancel_needs_reason",
            ),
            models.CheckConstraint(condition=Q(last_position__gte=0),
                                   name="event_last_position_not_negative"),
        ]

    def __str__(self):
        return self.title

    # -- reading ----------------------------------------------------------------------
    title = Localized("title")

    description = Localized("description")

    place = Localized("place")

    @property
    def city(self):
        return self.city_activity.city if self.city_activity_id else None

    @property
    def owner_network(self):
        return self.network if self.network_id else self.city_activity.city.network

    @property
    def plan_step(self):
        """The plan activity this event carries out, if any."""
        return self.city_activity.plan_activity if self.city_activity_id else self.plan_activity

    @property
    def ical_uid(self):
        return f"{self.uid}@resilience-workbench"

    @property
    def registration_closes_at(self):
        return self.registration_deadline or self.ends_at

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.status == self.Status.SCHEDULED and now < self.registration_closes_at

    def in_scope(self, user):
        """May the user read this event's participants and unpublished details?"""
        scope = scope_of(user)
        if self.network_id:
            return scope.can_admin_network(self.network)
        return scope.can_read_city(self.city_activity.city)

    def can_edit(self, user):
        scope = scope_of(user)
        if self.network_id:
            return scope.can_admin_network(self.network)
        return scope.can_edit_city(self.city_activity.city)

    def attendance_stats(self):
        return Registration.objects.filter(event=self).attendance_stats()

    # -- validation and defaults --------------------------------------------------------
    def clean(self):
        errors = {}
        if bool(self.city_activity_id) == bool(self.network_id):
            errors["__all__"] = _("An event belongs to a city activity or to the network.")
        if self.pilot_id and (not self.city_activity_id
                              or self.pilot.city_id != self.city_activity.city_id):
            errors["pilot"] = _("Choose a pilot project of the event's own city.")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        deadline = self.registration_deadline
        if deadline and self.ends_at and deadline > self.ends_at:
            errors["registration_deadline"] = _("Registration must close before the event ends.")
        if errors:
            raise ValidationError(errors)

    def apply_plan_defaults(self):
        """Fill what the plan says when the organiser left it empty: caps and place."""
        step = self.plan_step
        if step is None:
            return
        if self.capacity is None:
            self.capacity = step.participant_cap
        if self.cap_per_city is None:
            self.cap_per_city = step.cap_per_city
        if not self.place_th and not self.place_en:
            self.place_th, self.place_en = step.location_th, step.location_en
        if not self.title_th:
            self.title_th, self.title_en = step.name_th, self.title_en or step.name_en

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.apply_plan_defaults()
        super().save(*args, **kwargs)

    def create(self, by):
        """Save a new event and start its history."""
        with transaction.atomic():
            self.created_by = by if by and by.pk else None
            self.apply_plan_defaults()
            self.full_clean(exclude=["created_by"])
            self.save()
            self._log(by, EventChange.Action.CREATE, {}, {"title": self.title_th,
                                                          "starts_at": self.starts_at})

    # -- transitions: each locks the event row and writes a history row -----------------
    def _locked(self):
        return Event.objects.select_for_update().get(pk=self.pk)

    def _require_scheduled(self, event):
        if event.status != self.Status.SCHEDULED:
            raise ValidationError(
                _("This event is %(status)s; it can no longer change.")
                % {"status": event.get_status_display().lower()}
            )

    def update_details(self, by, expected_version=None, **values):
        """Change what an edit form may change. A smaller capacity may not push out people
        who already have a place; a larger one gives places to the waitlist.
        `expected_version`: the version the editor loaded (apps.core.concurrency)."""
        with transaction.atomic():
            event = self._locked()
            claim(event, expected_version)
            self._require_scheduled(event)
            before = {name: getattr(event, name) for name in values}
            for name, value in values.items():
                setattr(event, name, value)
            event.full_clean()
            confirmed = event.registrations.confirmed()
            if event.capacity is not None and confirmed.count() > event.capacity:
                raise ValidationError({"capacity": _(
                    "%(count)s people already have a place; the event cannot have fewer places."
                ) % {"count": confirmed.count()}})
            event.save()
            changed = {k: v for k, v in values.items() if before[k] != v}
            if changed:
                self._log(by, EventChange.Action.EDIT,
                          {k: before[k] for k in changed}, changed, event)
            promoted = event._fill_from_waitlist()
        self.refresh_from_db()
        mail.after_commit(mail.registrations_changed, [r.pk for r in promoted], "promoted")
        return promoted

    def move(self, by, starts_at, ends_at, place_th=None, place_en=None):
        """New date, time or place. Calendars get an update (a higher SEQUENCE); everyone
        registered is told; reminders go out again for the new date."""
        with transaction.atomic():
            event = self._locked()
            self._require_scheduled(event)
            values = {"starts_at": starts_at, "ends_at": ends_at}
            if place_th is not None:
                values["place_th"] = place_th
            if place_en is not None:
                values["place_en"] = place_en
            before = {name: getattr(event, name) for name in values}
            if before == values:
                raise ValidationError(_("Nothing changed: give a new date, time or place."))
            for name, value in values.items():
                setattr(event, name, value)
            if event.registration_deadline and event.registration_deadline > ends_at:
                event.registration_deadline = min(event.registration_deadline, starts_at)
            event.sequence += 1
            event.full_clean()
            event.save()
            event.registrations.active().update(reminder_sent_at=None)
            self._log(by, EventChange.Action.MOVE, before, values, event)
        self.refresh_from_db()
        mail.after_commit(mail.event_changed, self.pk, "moved")

    def cancel(self, by, reason):
        with transaction.atomic():
            event = self._locked()
            self._require_scheduled(event)
            if not (reason or "").strip():
                raise ValidationError({"cancel_reason": _("Say why the event is cancelled.")})
            event.status = self.Status.CANCELLED
            event.cancel_reason = reason.strip()
            event.sequence += 1  # a CANCEL must carry a sequence at least the last REQUEST's
            event.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
            self._log(by, EventChange.Action.CANCEL, {"status": self.Status.SCHEDULED},
                      {"status": event.status, "cancel_reason": event.cancel_reason}, event)
        self.refresh_from_db()
        mail.after_commit(mail.event_changed, self.pk, "cancelled")

    def mark_held(self, by, minutes=""):
        """Record that the event took place, and note it as evidence on its city activity
        (for a network event: on the activity of every city whose people checked in)."""
        with transaction.atomic():
            event = self._locked()
            self._require_scheduled(event)
            if event.starts_at > timezone.now():
                raise ValidationError(_("An event can be marked held only once it has started."))
            event.status = self.Status.HELD
            event.minutes = (minutes or "").strip()
            event.save(update_fields=["status", "minutes", "updated_at"])
            self._log(by, EventChange.Action.HELD, {"status": self.Status.SCHEDULED},
                      {"status": event.status}, event)
            event._record_evidence(by)
        self.refresh_from_db()

    def set_published(self, by, published):
        with transaction.atomic():
            event = self._locked()
            if event.published == published:
                return
            event.published = published
            event.save(update_fields=["published", "updated_at"])
            action = EventChange.Action.PUBLISH if published else EventChange.Action.UNPUBLISH
            self._log(by, action, {"published": not published}, {"published": published}, event)
        self.refresh_from_db()

    def _record_evidence(self, by):
        from apps.progress.models import CityActivity

        stats = self.attendance_stats()
        if self.city_activity_id:
            activities = [self.city_activity]
        elif self.plan_activity_id:
            attending = [row["value"] for row in stats["city"]]
            activities = list(CityActivity.objects.filter(
                plan_activity=self.plan_activity, city__in=attending).select_related("city"))
        else:
            return
        by_city = {row["value"]: row["count"] for row in stats["city"]}
        for activity in activities:
            count = stats["total"] if self.city_activity_id else by_city.get(activity.city_id, 0)
            lang = Language.THAI if activity.city.country == "TH" else Language.ENGLISH
            with translation.override(lang):
                title = _("Event held: %(title)s") % {"title": self.title}
                lines = [
                    f"{dates.format_date(timezone.localtime(self.starts_at))}"
                    f"{' · ' + self.place if self.place else ''}",
                    str(_("%(count)s participants checked in.") % {"count": count}),
                ]
            if self.minutes:
                lines += ["", self.minutes]
            Evidence(city_activity=activity, kind=Evidence.Kind.NOTE, title=str(title)[:300],
                     text="\n".join(lines)).record(by if by and by.pk else None)

    def _log(self, by, action, before, after, event=None):
        EventChange.objects.create(
            event=event or self, action=action, by=by if by and by.pk else None,
            before=_jsonable(before), after=_jsonable(after),
        )

    # -- registration ---------------------------------------------------------------------
    def register(self, person, by=None, vulnerable_group=""):
        """Give `person` a place, or a place on the waitlist when the event is full.

        Refused, with nothing changed: a second registration, a closed or finished event, a
        city that already has its places. Runs under the event's row lock, so the count of
        places and the waitlist position are those of the moment it commits."""
        with transaction.atomic():
            event = self._locked()
            now = timezone.now()
            if event.status != self.Status.SCHEDULED:
                raise ValidationError(_("This event is %(status)s; registration is closed.")
                                      % {"status": event.get_status_display().lower()})
            if now >= event.registration_closes_at:
                raise ValidationError(_("Registration for this event closed on %(when)s.") % {
                    "when": dates.format_date(timezone.localtime(event.registration_closes_at))})
            active = event.registrations.active()
            if active.filter(person=person).exists():
                raise ValidationError(_("%(person)s is already registered for this event.")
                                      % {"person": person})
            confirmed = event.registrations.confirmed()
            if event.cap_per_city is not None and confirmed.filter(
                    person__city_id=person.city_id).count() >= event.cap_per_city:
                raise ValidationError(_(
                    "%(city)s already has its %(cap)s places at this event."
                ) % {"city": person.city, "cap": event.cap_per_city})
            full = event.capacity is not None and confirmed.count() >= event.capacity
            event.last_position += 1
            Event.objects.filter(pk=event.pk).update(last_position=event.last_position)
            registration = Registration.objects.create(
                event=event, person=person, position=event.last_position, registered_at=now,
                registered_by=by if by and by.pk else None, vulnerable_group=vulnerable_group or "",
                status=Registration.Status.WAITLISTED if full else Registration.Status.CONFIRMED,
            )
        self.last_position = event.last_position
        mail.after_commit(mail.registrations_changed, [registration.pk], registration.status)
        return registration

    def _fill_from_waitlist(self):
        """Give free places to the waitlist, oldest first, skipping people whose city has its
        places already. Call with the event row locked."""
        if self.status != self.Status.SCHEDULED:
            return []
        per_city = Counter(dict(
            self.registrations.confirmed().values_list("person__city")
            .annotate(n=Count("id")).values_list("person__city", "n")
        ))
        free = None if self.capacity is None else self.capacity - sum(per_city.values())
        promoted, now = [], timezone.now()
        for registration in self.registrations.waitlisted().select_related("person").order_by(
                "position"):
            if free is not None and free <= 0:
                break
            city = registration.person.city_id
            if self.cap_per_city is not None and per_city[city] >= self.cap_per_city:
                continue
            registration.status = Registration.Status.CONFIRMED
            registration.promoted_at = now
            promoted.append(registration)
            per_city[city] += 1
            if free is not None:
                free -= 1
        Registration.objects.bulk_update(promoted, ["status", "promoted_at"])
        return promoted


def _jsonable(values):
    out = {}
    for name, value in values.items():
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, models.Model):
            value = value.pk
        out[name] = value
    return out


Event._meta.get_field("city_activity").register_lookup(AnyOf)


class EventChange(AppendOnly):
    """The event's history: who did what, when, before and after."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        EDIT = "edit", _("Edited")
        MOVE = "move", _("Moved")
        CANCEL = "cancel", _("Cancelled")
        HELD = "held", _("Marked held")
        PUBLISH = "publish", _("Published")
        UNPUBLISH = "unpublish", _("Unpublished")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+")
    action = models.CharField(max_length=16, choices=Action.choices)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]


# -- agenda and materials ------------------------------------------------------------------
class AgendaItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda",
                              verbose_name=_("event"))
    # The workshop runs four days: "day 2, 09:00" rather than a full date and time.
    day = models.PositiveSmallIntegerField(_("day"), default=1)
    time = models.TimeField(_("time"))
    end_time = models.TimeField(_("until"), null=True, blank=True)
    title_th = models.CharField(_("title (Thai)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    speaker_name = models.CharField(_("speaker"), max_length=200, blank=True)
    speaker = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="agenda_items", verbose_name=_("speaker (person)"),
    )
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="agenda_items", verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")
        ordering = ["day", "time", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(day__gte=1), name="agenda_day_from_one"),
            models.CheckConstraint(condition=Q(end_time__isnull=True) | Q(end_time__gt=F("time")),
                                   name="agenda_end_after_start"),
        ]

    def __str__(self):
        return self.title

    title = Localized("title")

    @property
    def speaker_label(self):
        name = self.speaker_name or (self.speaker.full_name if self.speaker_id else "")
        return ", ".join(part for part in (name, self.organisation and str(self.organisation))
                         if part)

    def clean(self):
        if self.end_time and self.time and self.end_time <= self.time:
            raise ValidationError({"end_time": _("The item must end after it starts.")})


def material_path(instance, filename):
    return f"events/{instance.event_id}/{filename}"


class Material(models.Model):
    """Minutes, photos and files of an event: a file, or a link to one."""

    class Kind(models.TextChoices):
        MINUTES = "minutes", _("Minutes")
        PHOTO = "photo", _("Photo")
        FILE = "file", _("File")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials",
                              verbose_name=_("event"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.FILE)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=material_path, blank=True)
    url = models.URLField(_("link"), blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["kind", "-added_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="material_file_xor_url",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def extension(self):
        name = self.file.name if self.file else ""
        return name.rsplit(".", 1)[-1].lower() if "." in name else ""

    @property
    def is_image(self):
        return self.extension in IMAGE_EXTENSIONS

    def clean(self):
        if bool(self.file) == bool(self.url):
            raise ValidationError(_("Give either a file or a link."))
        if self.file:
            # The same checks as activity evidence: one list of accepted types, one size limit.
            if self.extension not in ALLOWED_EVIDENCE_EXTENSIONS:
                raise ValidationError({"file": _("Files of this type are not accepted.")})
            if self.kind == self.Kind.PHOTO and not self.is_image:
                raise ValidationError(
                    {"file": _("A photo must be a JPEG, PNG, GIF or WebP image.")})
            if self.file.size > settings.EVIDENCE_MAX_BYTES:
                raise ValidationError(
                    {"file": _("The file is larger than %(mb)s MB.")
                     % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)}}
                )


# -- registrations ------------------------------------------------------------------------
class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=[Registration.Status.CONFIRMED,
                                       Registration.Status.WAITLISTED])

    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=Registration.Status.WAITLISTED)

    def checked_in(self):
        return self.filter(checked_in_at__isnull=False)

    def visible_to(self, user):
        """Personal data: the event's own team sees its participants; anyone else only
        their own registrations and those of people they may read anyway."""
        scope = scope_of(user)
        condition = (
            scope.city_read_q("event__city_activity__city")
            | Q(event__network__in=scope.admin_networks)
            | scope.city_read_q("person__city")
        )
        if user is not None and user.is_authenticated:
            condition |= Q(person__user=user)  # everyone sees their own
        return self.filter(condition)

    def attendance_stats(self):
        """Checked-in participants by organisation kind, sector, city and gender: one
        aggregate query each. Works on any set of registrations (one event, a city's events,
        a year), so participation indicators can use it too."""
        rows = self.checked_in()
        kinds = dict(OrganisationKind.choices)
        sectors = dict(Sector.choices)
        genders = dict(Gender.choices)

        def group(field, labels):
            counted = rows.order_by().values(field).annotate(n=Count("id")).order_by("-n", field)
            return [{"value": row[field] or "", "label": str(labels(row[field])),
                     "count": row["n"]} for row in counted]

        unknown = _("Not recorded")
        vulnerable = dict(VulnerableGroup.choices)
        stats = {
            "organisation_kind": group("person__organisation__kind",
                                       lambda v: kinds.get(v, unknown)),
            "vulnerable_group": group("vulnerable_group",
                                      lambda v: vulnerable.get(v, _("Not declared"))),
            "sector": group("person__sector", lambda v: sectors.get(v, unknown)),
            "gender": group("person__gender", lambda v: genders.get(v, unknown)),
        }
        cities = (rows.order_by().values("person__city", "person__city__name_th",
                                         "person__city__name_en")
                  .annotate(n=Count("id")).order_by("-n", "person__city__name_en"))
        lang = translation.get_language() or "th"
        stats["city"] = [
            {"value": row["person__city"], "count": row["n"],
             "label": row["person__city__name_en" if lang.startswith("en") else
                          "person__city__name_th"] or row["person__city__name_th"]}
            for row in cities
        ]
        stats["total"] = sum(row["count"] for row in stats["gender"])
        return stats


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations",
                              verbose_name=_("event"))
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT,
                               related_name="event_registrations", verbose_name=_("person"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    # The order registrations committed in (handed out under the event's row lock): the
    # waitlist is served in this order.
    position = models.PositiveIntegerField(_("position"))
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+")
    promoted_at = models.DateTimeField(_("moved off the waitlist"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+")
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    vulnerable_group = models.CharField(
        _("vulnerable group (self-declared)"), max_length=12, choices=VulnerableGroup.choices,
        blank=True, help_text=_("Optional: only what the participant says about themself."))

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="registration_one_active_per_person",
            ),
            models.UniqueConstraint(fields=["event", "position"],
                                    name="registration_position_unique"),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
                name="registration_check_in_needs_place",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="registration_cancelled_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.event}"

    def cancel(self, by=None):
        """Give the place up; the first person on the waitlist whose city has room gets it."""
        with transaction.atomic():
            event = self.event._locked()  # always the event first: one lock order, no deadlock
            registration = Registration.objects.select_for_update().get(pk=self.pk)
            if registration.status == self.Status.CANCELLED:
                raise ValidationError(_("This registration is already cancelled."))
            if event.status != Event.Status.SCHEDULED:
                raise ValidationError(_("This event is %(status)s; its registrations can no "
                                        "longer change.")
                                      % {"status": event.get_status_display().lower()})
            if registration.checked_in_at:
                raise ValidationError(_("%(person)s has checked in; undo the check-in first.")
                                      % {"person": self.person})
            was_confirmed = registration.status == self.Status.CONFIRMED
            registration.status = self.Status.CANCELLED
            registration.cancelled_at = timezone.now()
            registration.cancelled_by = by if by and by.pk else None
            registration.save(update_fields=["status", "cancelled_at", "cancelled_by"])
            promoted = event._fill_from_waitlist() if was_confirmed else []
        self.refresh_from_db()
        mail.after_commit(mail.registrations_changed, [self.pk], "cancelled")
        mail.after_commit(mail.registrations_changed, [r.pk for r in promoted], "promoted")
        return promoted

    def check_in(self, by=None):
        """Tick a participant in on the day. Ticking twice changes nothing (a double tap on a
        phone must not fail)."""
        event = self.event
        if event.status == Event.Status.CANCELLED:
            raise ValidationError(_("This event is cancelled."))
        if self.status != self.Status.CONFIRMED:
            raise ValidationError(_("Only people with a confirmed place can check in."))
        if timezone.localdate() < timezone.localtime(event.starts_at).date():
            raise ValidationError(_("Check-in opens on the day of the event."))
        if self.checked_in_at:
            return False
        self.checked_in_at = timezone.now()
        self.checked_in_by = by if by and by.pk else None
        self.save(update_fields=["checked_in_at", "checked_in_by"])
        return True

    def declare(self, vulnerable_group):
        """Record (or clear, with "") the participant's self-declared vulnerable group."""
        if vulnerable_group and vulnerable_group not in VulnerableGroup.values:
            raise ValidationError({"vulnerable_group": _("Choose one of the listed groups.")})
        if self.vulnerable_group != vulnerable_group:
            self.vulnerable_group = vulnerable_group
            self.save(update_fields=["vulnerable_group"])

    def undo_check_in(self):
        if self.event.status == Event.Status.CANCELLED:
            raise ValidationError(_("This event is cancelled."))
        self.checked_in_at = None
        self.checked_in_by = None
        self.save(update_fields=["checked_in_at", "checked_in_by"])


# -- invitations -----------------------------------------------------------------------------
class InvitationQuerySet(models.QuerySet):
    def by_token(self, raw):
        return self.filter(token_hash=Invitation.hash(raw or "")).first()


class Invitation(models.Model):
    """A personal invitation. The link carries a random token; only its SHA-256 is kept, so
    the database alone cannot answer for anyone."""

    class Status(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations",
                              verbose_name=_("event"))
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT,
                               related_name="event_invitations", verbose_name=_("person"))
    token_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices,
                                default=Language.THAI)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.PENDING)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    registration = models.ForeignKey(Registration, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["event", "invited_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="invitation_one_per_person"),
        ]

    def __str__(self):
        return f"{self.person} · {self.event}"

    @staticmethod
    def hash(raw):
        return hashlib.sha256(raw.encode()).hexdigest()

    def new_token(self):
        """Set a fresh token and return it; the one sent before stops working."""
        raw = secrets.token_urlsafe(32)
        self.token_hash = self.hash(raw)
        return raw

    def accept(self):
        """Register the invitee (a place or the waitlist); already registered is fine."""
        with transaction.atomic():
            registration = self.event.registrations.active().filter(person=self.person).first()
            if registration is None:
                registration = self.event.register(self.person)
            self.status = self.Status.ACCEPTED
            self.responded_at = timezone.now()
            self.registration = registration
            self.save(update_fields=["status", "responded_at", "registration"])
        return registration

    def decline(self):
        """Say no; a place taken earlier through this invitation is given up."""
        with transaction.atomic():
            registration = self.event.registrations.active().filter(person=self.person).first()
            if registration is not None:
                registration.cancel()
            self.status = self.Status.DECLINED
            self.responded_at = timezone.now()
            self.save(update_fields=["status", "responded_at"])


def _registration_count(status):
    per_event = (Registration.objects.filter(event=OuterRef("pk"), status=status).order_by()
                 .values("event").annotate(n=Count("pk")).values("n")[:1])
    return Coalesce(Subquery(per_event, output_field=models.IntegerField()), 0)
