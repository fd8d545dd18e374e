"""Implementation tracking of a pilot (activity 11): its workplan, its spending, its reports.

- Workplan: components, each with milestones. A milestone's percent complete rolls up,
  weighted, to its component, the components (weighted) to the pilot: see tracking.py.
- Spending: expenses against the pilot's budget lines. A closed line refuses spending;
  spending beyond a line's amount is allowed (invoices arrive as they do) but flagged.
- Reports: periodic progress reports written by the pilot team, reviewed (accepted or
  returned with a comment) by the city's coordinators; every change of status is kept.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from apps.core.i18n import Localized

MONEY = {"max_digits": 14, "decimal_places": 2}
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class PilotComponent(models.Model):
    pilot = models.ForeignKey("pilots.Pilot", on_delete=models.CASCADE, related_name="components")
    title_th = models.CharField(_("title (Thai)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1,
                                              validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=models.Q(weight__gte=1),
                                              name="pilot_component_weight_positive")]

    title = Localized("title")

    def __str__(self):
        return self.title

    def remove(self):
        """Delete the component and its milestones: the pilot's progress is recomputed from
        what is left (tracking.annotate_pilots reads the workplan as it is)."""
        check_workplan_open(self.pilot)
        self.delete()


def check_workplan_open(pilot):
    """Refuse changing a closed pilot's workplan. Progress reports carry their own percent and
    do not reference components or milestones, so nothing else holds a deletion back."""
    if pilot.is_closed:
        raise ValidationError(gettext(
            "This pilot project is %(status)s: its workplan can no longer be changed.")
            % {"status": pilot.get_status_display().lower()})


class Milestone(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        UNDER_WAY = "under_way", _("Under way")
        DONE = "done", _("Done")
        DELAYED = "delayed", _("Delayed")

    component = models.ForeignKey(PilotComponent, on_delete=models.CASCADE,
                                  related_name="milestones", verbose_name=_("component"))
    title_th = models.CharField(_("title (Thai)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.NOT_STARTED)
    percent = models.PositiveSmallIntegerField(_("percent complete"), default=0,
                                               validators=PERCENT)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1,
                                              validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["planned_end", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(percent__lte=100),
                                   name="milestone_percent_at_most_100"),
            models.CheckConstraint(condition=models.Q(weight__gte=1),
                                   name="milestone_weight_positive"),
        ]

    title = Localized("title")

    def __str__(self):
        return self.title

    def clean(self):
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValidationError({"planned_end": gettext(
                "The planned end is before the planned start.")})

    def save(self, *args, **kwargs):
        if self.status == self.Status.DONE:
            self.percent = 100  # done is done: the roll-up must not show it as partly done
        super().save(*args, **kwargs)

    def remove(self):
        check_workplan_open(self.component.pilot)
        self.delete()

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return bool(self.planned_end and self.planned_end < today
                    and self.status != self.Status.DONE)


class Expense(models.Model):
    line = models.ForeignKey("pilots.PilotBudgetLine", on_delete=models.PROTECT,
                             related_name="expenses", verbose_name=_("budget line"))
    amount = models.DecimalField(_("amount (THB)"), **MONEY)
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=500)
    receipt = models.FileField(_("receipt"), upload_to="pilots/receipts/%Y/", blank=True)
    receipt_type = models.CharField(max_length=40, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0),
                                              name="expense_amount_positive")]

    def record(self, by):
        """Save a new expense unless its line is closed (checked under a row lock, so a
        coordinator closing the line at the same moment wins cleanly)."""
        from apps.pilots.models import PilotBudgetLine

        with transaction.atomic():
            line = PilotBudgetLine.objects.select_for_update().get(pk=self.line_id)
            if line.closed:
                raise ValidationError({"line": gettext(
                    "The budget line “%(item)s” is closed: no more spending can be recorded "
                    "on it.") % {"item": line.item}})
            self.recorded_by = by
            self.save()
        return self


class ProgressReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, awaiting review")
        RETURNED = "returned", _("Returned for changes")
        ACCEPTED = "accepted", _("Accepted")

    pilot = models.ForeignKey("pilots.Pilot", on_delete=models.CASCADE, related_name="reports")
    period = models.CharField(_("period"), max_length=100,
                              help_text=_("For example “July–September 2010”."))
    period_end = models.DateField(_("end of the period"), null=True, blank=True)
    narrative_th = models.TextField(_("progress (Thai)"))
    narrative_en = models.TextField(_("progress (English)"), blank=True)
    percent = models.PositiveSmallIntegerField(_("percent complete"), default=0,
                                               validators=PERCENT)
    issues = models.TextField(_("issues and risks"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(percent__lte=100),
                                              name="report_percent_at_most_100")]

    narrative = Localized("narrative")

    def __str__(self):
        return self.period

    @property
    def editable(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def check_editable(self):
        if not self.editable:
            raise ValidationError(gettext(
                "This report is %(status)s and can no longer be changed.")
                % {"status": self.get_status_display().lower()})

    def _move(self, by, allowed_from, to, comment=""):
        with transaction.atomic():
            current = ProgressReport.objects.select_for_update().get(pk=self.pk)
            if current.status not in allowed_from:
                raise ValidationError(gettext(
                    "A report that is “%(status)s” cannot be moved to “%(to)s”.")
                    % {"status": current.get_status_display(),
                       "to": self.Status(to).label})
            ReportChange.objects.create(report=self, by=by, from_status=current.status,
                                        to_status=to, comment=comment)
            self.status = to
            if to == self.Status.RETURNED:
                self.review_comment = comment
            ProgressReport.objects.filter(pk=self.pk).update(
                status=to, review_comment=self.review_comment)

    def submit(self, by):
        self._move(by, (self.Status.DRAFT, self.Status.RETURNED), self.Status.SUBMITTED)

    def accept(self, by, comment=""):
        self._move(by, (self.Status.SUBMITTED,), self.Status.ACCEPTED, comment)

    def send_back(self, by, comment):
        """Return the report to the team; the comment tells them what to change."""
        if not (comment or "").strip():
            raise ValidationError({"comment": gettext(
                "Say what should change: a returned report needs a comment.")})
        self._move(by, (self.Status.SUBMITTED,), self.Status.RETURNED, comment.strip())


class ReportChange(models.Model):
    """Append-only history of a report's status."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="changes")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+")
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=10, choices=ProgressReport.Status.choices)
    to_status = models.CharField(max_length=10, choices=ProgressReport.Status.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError("The report history is append-only.")
        super().save(*args, **kwargs)


class PilotPhoto(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="pilots/photos/%Y/")  # re-encoded by apps.core.images
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


def time_elapsed_share(start, end, today=None):
    """Share (0-1) of the implementation period gone by, None without both dates."""
    if not (start and end) or end <= start:
        return None
    today = today or timezone.localdate()
    return min(max((today - start) / (end - start), 0.0), 1.0)
