"""Each city's own instance of every plan activity, its status, evidence and history."""
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.audit import AppendOnly
from apps.accounts.scope import CityScopedQuerySet
from apps.core import dates


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")


# A prerequisite is satisfied once done, or once skipped on purpose (with a reason).
FINISHED = (Status.DONE, Status.SKIPPED)


class CityActivityQuerySet(CityScopedQuerySet):
    publishable = True

    @transaction.atomic
    def adopt(self, network, plan, start=None):
        """Give every city of the network its own instance of each activity of `plan`.

        Planned dates come from the plan's windows, shifted from the plan's reference month
        to the network's start month; dates a city rescheduled by hand are kept. Adopting a
        newer version keeps each city's progress on activities with the same number;
        activities the new version drops must not have started, or nothing changes.
        """
        from apps.plans.models import PlanActivity

        start = start or network.plan_start or plan.reference_start
        shift = dates.months_between(plan.reference_start, start)
        activities = {a.number: a for a in PlanActivity.objects.filter(plan=plan)}
        existing = list(self.filter(city__network=network).select_related("plan_activity"))
        dropped = [ca for ca in existing if ca.plan_activity.number not in activities]
        # Anything recorded against an activity (evidence, meetings, a dialogue) keeps it.
        busy = [ca for ca in dropped if ca.status != Status.NOT_STARTED or ca.evidence.exists()
                or ca.events.exists() or hasattr(ca, "dialogue")]
        if busy:
            raise ValidationError(
                _("Activity %(number)s has progress in %(city)s and is not in the new plan.")
                % {"number": busy[0].plan_activity.number, "city": busy[0].city}
            )
        self.filter(pk__in=[ca.pk for ca in dropped]).delete()
        by_key = {(ca.city_id, ca.plan_activity.number): ca for ca in existing}
        # Dates a city adjusted by hand are its own; every other planned date follows the plan.
        rescheduled = set(ActivityChange.objects.filter(
            city_activity__city__network=network, action=ActivityChange.Action.RESCHEDULE
        ).values_list("city_activity_id", flat=True))
        to_create, to_update = [], []
        for city in network.cities.all():
            for number, activity in activities.items():
                if not (city.is_programme or activity.network_wide):
                    continue
                planned_start = dates.add_months(activity.window_start, shift)
                planned_end = activity.window_end and shift_end(activity.window_end, shift)
                current = by_key.get((city.pk, number))
                if current is None:
                    to_create.append(CityActivity(
                        city=city, plan_activity=activity, planned_start=planned_start,
                        planned_end=planned_end,
                    ))
                else:
                    current.plan_activity = activity
                    if current.pk not in rescheduled:
                        current.planned_start, current.planned_end = planned_start, planned_end
                    to_update.append(current)
        self.bulk_create(to_create)
        self.bulk_update(to_update, ["plan_activity", "planned_start", "planned_end"])
        network.plan, network.plan_start = plan, start
        network.save(update_fields=["plan", "plan_start"])
        return len(to_create)


def shift_end(day, months):
    """Shift a window's last day, keeping "end of month" (31 Dec + 8 months = 31 Aug)."""
    return dates.add_months(day + dt.timedelta(days=1), months) - dt.timedelta(days=1)


class CityActivity(models.Model):
    city = models.ForeignKey(
        "networks.City", on_delete=models.CASCADE, related_name="activities",
        verbose_name=_("city"),
    )
    plan_activity = models.ForeignKey(
        "plans.PlanActivity", on_delete=models.PROTECT, related_name="instances",
        verbose_name=_("activity"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    skip_reason = models.TextField(_("reason for skipping"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    organisations = models.ManyToManyField(
        "people.Organisation", blank=True, related_name="city_activities",
        verbose_name=_("carried out by"),
    )
    published = models.BooleanField(
        _("published"), default=False,
        help_text=_("Published activities are visible to other cities and the public."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CityActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("city activity")
        verbose_name_plural = _("city activities")
        ordering = ["city", "plan_activity__number"]
        constraints = [
            models.UniqueConstraint(fields=["city", "plan_activity"], name="city_activity_unique"),
            models.CheckConstraint(
                condition=~Q(status="skipped") | ~Q(skip_reason=""),
                name="city_activity_skip_needs_reason",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="city_activity_planned_order",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True) | Q(actual_start__isnull=True)
                | Q(actual_end__gte=models.F("actual_start")),
                name="city_activity_actual_order",
            ),
        ]

    def __str__(self):
        return f"{self.city} · {self.plan_activity}"

    @property
    def number(self):
        return self.plan_activity.number

    # -- flags ----------------------------------------------------------------------
    def is_late(self, today=None):
        """Its planned window has passed and it is not finished."""
        today = today or timezone.localdate()
        return (
            self.status not in FINISHED
            and self.planned_end is not None
            and self.planned_end < today
        )

    def blocking_prerequisites(self):
        """The same city's prerequisite activities that are not finished yet."""
        return list(
            CityActivity.objects.filter(
                city_id=self.city_id,
                plan_activity__in=self.plan_activity.prerequisites.all(),
            )
            .exclude(status__in=FINISHED)
            .select_related("plan_activity")
            .order_by("plan_activity__number")
        )

    # -- transitions: one method each, each writing a history row ---------------------
    def start(self, by, on=None):
        self._require(self.status == Status.NOT_STARTED, _("Only an activity not yet started can start."))
        self._change(by, "start", status=Status.IN_PROGRESS,
                     actual_start=on or timezone.localdate())

    def complete(self, by, on=None, started=None):
        self._require(self.status in (Status.NOT_STARTED, Status.IN_PROGRESS),
                      _("This activity is already finished."))
        on = on or timezone.localdate()
        started = started or self.actual_start or on
        if on < started:
            raise ValidationError({"actual_end": _("The end date cannot be before the start date.")})
        self._change(by, "complete", status=Status.DONE, actual_start=started, actual_end=on)

    def skip(self, by, reason):
        self._require(self.status not in FINISHED, _("This activity is already finished."))
        if not (reason or "").strip():
            raise ValidationError({"skip_reason": _("Say why the activity is skipped.")})
        self._change(by, "skip", status=Status.SKIPPED, skip_reason=reason.strip())

    def reopen(self, by):
        self._require(self.status in FINISHED, _("Only a finished activity can be reopened."))
        self._change(by, "reopen", status=Status.IN_PROGRESS, actual_end=None, skip_reason="")

    def reschedule(self, by, planned_start, planned_end):
        if planned_end and planned_end < planned_start:
            raise ValidationError({"planned_end": _("The end date cannot be before the start date.")})
        self._change(by, "reschedule", planned_start=planned_start, planned_end=planned_end)

    def set_performers(self, by, organisations):
        """Record who carried the activity out (a history row names them)."""
        with transaction.atomic():
            self.organisations.set(organisations)
            ActivityChange.objects.create(
                city_activity=self, action=ActivityChange.Action.PERFORMERS,
                by=by if by and by.pk else None,
                after={"organisations": ", ".join(str(o) for o in organisations)},
            )

    def set_published(self, by, published):
        self._change(by, "publish" if published else "unpublish", published=published)

    def _require(self, condition, message):
        if not condition:
            raise ValidationError(message)

    @transaction.atomic
    def _change(self, by, action, **values):
        before = {name: _jsonable(getattr(self, name)) for name in values}
        for name, value in values.items():
            setattr(self, name, value)
        self.save(update_fields=[*values, "updated_at"])
        ActivityChange.objects.create(
            city_activity=self, action=action, by=by if by and by.pk else None,
            before=before, after={name: _jsonable(v) for name, v in values.items()},
        )


def _jsonable(value):
    return value.isoformat() if isinstance(value, dt.date) else value


class ActivityChange(AppendOnly):
    """The change history shown on the activity page: who did what, when, before and after."""

    class Action(models.TextChoices):
        START = "start", _("Started")
        COMPLETE = "complete", _("Marked done")
        SKIP = "skip", _("Skipped")
        REOPEN = "reopen", _("Reopened")
        RESCHEDULE = "reschedule", _("Rescheduled")
        PUBLISH = "publish", _("Published")
        UNPUBLISH = "unpublish", _("Unpublished")
        EVIDENCE = "evidence", _("Evidence added")
        PERFORMERS = "performers", _("Carried out by")

    city_activity = models.ForeignKey(
        CityActivity, on_delete=models.CASCADE, related_name="changes"
    )
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]

    def details(self):
        """(label, value) pairs of what changed, readable in the page's language."""
        labels = {f.name: f.verbose_name for f in CityActivity._meta.get_fields()
                  if hasattr(f, "verbose_name")}
        labels.update(title=_("title"), kind=_("kind"), organisations=_("Carried out by"))
        for name, value in self.after.items():
            if name == "status" and value in Status.values:
                value = Status(value).label
            elif name == "kind" and value in Evidence.Kind.values:
                value = Evidence.Kind(value).label
            elif isinstance(value, bool):
                value = _("yes") if value else _("no")
            elif isinstance(value, str) and len(value) == 10 and value[4] == "-":
                try:
                    value = dates.format_date(dt.date.fromisoformat(value))
                except ValueError:
                    pass
            yield labels.get(name, name), value


def evidence_path(instance, filename):
    return f"evidence/{instance.city_activity.city.slug}/{instance.city_activity.number}/{filename}"


ALLOWED_EVIDENCE_EXTENSIONS = {
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "csv", "txt",
    "jpg", "jpeg", "png", "gif", "webp",
}


class Evidence(models.Model):
    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        FILE = "file", _("File")
        LINK = "link", _("Link")

    city_activity = models.ForeignKey(
        CityActivity, on_delete=models.CASCADE, related_name="evidence",
        verbose_name=_("activity"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("note"), blank=True)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-added_at", "-id"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.kind == self.Kind.NOTE and not self.text.strip():
            raise ValidationError({"text": _("Write the note.")})
        if self.kind == self.Kind.LINK and not self.url:
            raise ValidationError({"url": _("Give the link.")})
        if self.kind == self.Kind.FILE:
            if not self.file:
                raise ValidationError({"file": _("Choose a file.")})
            extension = self.file.name.rsplit(".", 1)[-1].lower() if "." in self.file.name else ""
            if extension not in ALLOWED_EVIDENCE_EXTENSIONS:
                raise ValidationError({"file": _("Files of this type are not accepted.")})
            if self.file.size > settings.EVIDENCE_MAX_BYTES:
                raise ValidationError(
                    {"file": _("The file is larger than %(mb)s MB.")
                     % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)}}
                )

    def record(self, by):
        """Save and note it in the activity's history, in one transaction."""
        with transaction.atomic():
            self.added_by = by
            self.save()
            ActivityChange.objects.create(
                city_activity=self.city_activity, action=ActivityChange.Action.EVIDENCE,
                by=by, after={"title": self.title, "kind": self.kind},
            )
