"""The national forum synthesis (activity 14): the cities' results brought together for policy
makers, and the national coordinator's policy recommendations, as PDF, DOCX and XLSX.

Only PUBLISHED data of the synthesis' own network goes in (published assessments, dialogues and
pilots; the pilots' indicators with approved values): the documents go to policy makers outside
the programme, so whatever a city has not published stays out, and nothing of another network
is ever read (every query of apps.forum.synthesis filters on the network).

A synthesis is built in the background (apps.forum.tasks) with a progress percentage. It keeps
the input signature it was built from (counts and latest timestamps of its inputs, one cheap
aggregate per input table): when the live signature differs, the synthesis is stale and the
page offers a rebuild.
"""
import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.scope import scope_of
from apps.core.i18n import Localized


class SynthesisQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Published syntheses for everyone; drafts for the network's national coordinator."""
        scope = scope_of(user)
        if scope.superuser:
            return self
        return self.filter(models.Q(published=True) | models.Q(network__in=scope.admin_networks))


class ForumSynthesis(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("Not built yet")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Building")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE,
                                related_name="forum_syntheses", verbose_name=_("network"))
    title_th = models.CharField(_("title (Thai)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.NEW)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.CharField(max_length=500, blank=True)
    published = models.BooleanField(_("published"), default=False)
    signature = models.CharField(max_length=64, blank=True, editable=False)
    built_at = models.DateTimeField(_("built"), null=True, blank=True)
    pdf = models.FileField(upload_to="forum/", blank=True)
    docx = models.FileField(upload_to="forum/", blank=True)
    xlsx = models.FileField(upload_to="forum/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The last sign of life of a build (queued or each progress step): a build that has not
    # moved for STUCK_AFTER lost its worker (killed, machine restarted) and may be started again.
    updated_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SynthesisQuerySet.as_manager()

    # A 1,000-city build takes a few minutes, its longest step (the PDF) about one.
    STUCK_AFTER = dt.timedelta(minutes=30)
    BUSY = (Status.QUEUED, Status.RUNNING)

    class Meta:
        verbose_name = _("forum synthesis")
        verbose_name_plural = _("forum syntheses")
        ordering = ["-created_at", "-pk"]

    title = Localized("title")

    def __str__(self):
        return self.title

    def is_stale(self, current=None):
        """Built from other data than there is now (None: not built yet)."""
        if self.status != self.Status.DONE:
            return False
        from apps.forum.synthesis import input_signature

        return (current or input_signature(self.network_id)) != self.signature

    @classmethod
    def stuck_q(cls, now=None):
        """Queued or building, with no progress for STUCK_AFTER."""
        limit = (now or timezone.now()) - cls.STUCK_AFTER
        return models.Q(status__in=cls.BUSY) & (
            models.Q(updated_at__lt=limit)
            | models.Q(updated_at__isnull=True, created_at__lt=limit))

    def is_stuck(self, now=None):
        if self.status not in self.BUSY:
            return False
        limit = (now or timezone.now()) - self.STUCK_AFTER
        return (self.updated_at or self.created_at) < limit

    def can_admin(self, user):
        return scope_of(user).can_admin_network(self.network)


class PolicyRecommendation(models.Model):
    """A recommendation of the national coordinator to policy makers, with the data behind it."""

    synthesis = models.ForeignKey(ForumSynthesis, on_delete=models.CASCADE,
                                  related_name="recommendations")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_th = models.TextField(_("recommendation (Thai)"))
    text_en = models.TextField(_("recommendation (English)"), blank=True)
    city = models.ForeignKey("networks.City", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("city"))
    risk = models.ForeignKey("assessments.RiskRating", on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", verbose_name=_("climate risk"))
    pilot = models.ForeignKey("pilots.Pilot", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("pilot project"))
    indicator = models.ForeignKey("monitoring.Indicator", on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+", verbose_name=_("indicator"))

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.CheckConstraint(condition=~models.Q(text_th=""),
                                              name="forum_recommendation_text_th")]

    text = Localized("text")

    def __str__(self):
        return self.text


class StakeholderPosition(models.Model):
    """The national coordinator's placing of an organisation on the influence/interest grid,
    over the default computed from participation (apps.forum.stakeholders), with its role in
    the climate response. Who changed it, and when, is kept."""

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE,
                                related_name="stakeholder_positions")
    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE,
                                     related_name="stakeholder_positions",
                                     verbose_name=_("organisation"))
    influence = models.PositiveSmallIntegerField(_("influence (1-5)"), null=True, blank=True)
    interest = models.PositiveSmallIntegerField(_("interest (1-5)"), null=True, blank=True)
    role_th = models.CharField(_("role in the climate response (Thai)"), max_length=300,
                               blank=True)
    role_en = models.CharField(_("role in the climate response (English)"), max_length=300,
                               blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "organisation"],
                                    name="forum_stakeholder_once"),
            models.CheckConstraint(condition=models.Q(influence__isnull=True)
                                   | models.Q(influence__gte=1, influence__lte=5),
                                   name="forum_stakeholder_influence_1_5"),
            models.CheckConstraint(condition=models.Q(interest__isnull=True)
                                   | models.Q(interest__gte=1, interest__lte=5),
                                   name="forum_stakeholder_interest_1_5"),
        ]

    role = Localized("role")
