"""Proposals to other funders, generated from an intervention (apps.strategies.funding builds
the text) and editable afterwards; each tracks its submissions to funders."""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.scope import CityScopedQuerySet
from apps.core.i18n import Localized

LOGFRAME_LEVELS = [("goal", _("Goal")), ("outcome", _("Outcome")), ("outputs", _("Outputs")),
                   ("activities", _("Activities"))]
LOGFRAME_COLUMNS = [("summary", _("Summary")), ("indicators", _("Indicators")),
                    ("verification", _("Means of verification")),
                    ("assumptions", _("Assumptions"))]


class FunderProposalQuerySet(CityScopedQuerySet):
    city_path = "intervention__strategy__city"

    def visible_to(self, user):
        from apps.strategies.models import Strategy

        return self.filter(intervention__strategy__in=Strategy.objects.visible_to(user))


class FunderProposal(models.Model):
    intervention = models.ForeignKey("strategies.Intervention", on_delete=models.CASCADE,
                                     related_name="funder_proposals")
    title_th = models.CharField(_("title (Thai)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    problem_th = models.TextField(_("problem (Thai)"), blank=True)
    problem_en = models.TextField(_("problem (English)"), blank=True)
    objectives_th = models.TextField(_("objectives (Thai)"), blank=True)
    objectives_en = models.TextField(_("objectives (English)"), blank=True)
    activities_th = models.TextField(_("activities (Thai)"), blank=True)
    activities_en = models.TextField(_("activities (English)"), blank=True)
    budget = models.DecimalField(_("budget (THB)"), max_digits=14, decimal_places=2, null=True,
                                 blank=True, validators=[MinValueValidator(Decimal("0"))])
    indicators_th = models.TextField(_("indicators (Thai)"), blank=True)
    indicators_en = models.TextField(_("indicators (English)"), blank=True)
    me_indicators = models.ManyToManyField("monitoring.Indicator", blank=True, related_name="+",
                                           verbose_name=_("M&E indicators of the city"))
    # {"th": {level: {column: text}}, "en": {...}}: LOGFRAME_LEVELS x LOGFRAME_COLUMNS.
    logframe = models.JSONField(_("logical framework"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FunderProposalQuerySet.as_manager()

    title = Localized("title")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal to a funder")

    def __str__(self):
        return self.title

    def logframe_rows(self, lang):
        table = (self.logframe or {}).get(lang, {})
        return [(label, [table.get(level, {}).get(col, "") for col, _l in LOGFRAME_COLUMNS])
                for level, label in LOGFRAME_LEVELS]


class FunderSubmission(models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", _("Preparing")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    proposal = models.ForeignKey(FunderProposal, on_delete=models.CASCADE,
                                 related_name="submissions")
    funder = models.CharField(_("funder"), max_length=300)
    amount = models.DecimalField(_("amount requested (THB)"), max_digits=14, decimal_places=2,
                                 null=True, blank=True,
                                 validators=[MinValueValidator(Decimal("0"))])
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PREPARING)
    outcome = models.TextField(_("outcome notes"), blank=True)

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        constraints = [models.CheckConstraint(
            condition=models.Q(decided_on__isnull=True) | models.Q(submitted_on__isnull=True)
            | models.Q(decided_on__gte=models.F("submitted_on")),
            name="funder_submission_decided_after_submitted")]

    def __str__(self):
        return f"{self.funder}: {self.get_status_display()}"
