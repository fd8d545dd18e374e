"""Pilot projects: what a funder approved, carried into implementation (activities 11-13).

A pilot is made by the funder's approval of a proposal (apps.proposals.models.decide) and
copies what the proposal promised: the risks it addresses, its target groups and areas, the
approved budget broken down as the proposal's budget lines, and its indicators. The copy is
deliberate: the proposal stays the record of what was asked and decided, the pilot is what the
city then manages and reports on. A decision corrected to a rejection cancels the pilot
rather than deleting it, so nothing that was reported against it is lost.
"""
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.scope import CityScopedQuerySet
from apps.core.audit import AppendOnly
from apps.core.i18n import Localized

MONEY = {"max_digits": 14, "decimal_places": 2}


class PilotQuerySet(CityScopedQuerySet):
    """Pilots are public once published with the city's programme; until then the city's,
    and the funder reviewers' of its network, who approved them and follow them."""

    publishable = True

    def visible_to(self, user):
        from django.db.models import Q

        from apps.accounts.scope import scope_of

        funded = Q(city__network__in=scope_of(user).funder_networks)
        extra = self.filter(funded)
        if user is not None and user.is_authenticated:
            # The pilot team (the approved proposal's proponent) reads its own pilot.
            extra = self.filter(funded | Q(proposal__proponent=user))
        return super().visible_to(user) | extra

    def with_progress(self):
        """Each pilot with `progress` (weighted %, see apps.pilots.tracking), `spent`,
        `overspent_lines` and `overdue_milestones`, in the one query."""
        from apps.pilots.tracking import annotate_pilots

        return annotate_pilots(self)

    def follow_decision(self, decision):
        """Make, keep or cancel the pilot of a decision's proposal."""
        proposal = decision.proposal
        pilot = self.filter(proposal=proposal).first()
        if decision.outcome != "approved":
            if pilot is not None and pilot.status != Pilot.Status.CANCELLED:
                pilot.status = Pilot.Status.CANCELLED
                pilot.save(update_fields=["status"])
            return pilot
        with transaction.atomic():
            if pilot is None:
                pilot = Pilot(proposal=proposal, city_id=proposal.call.city_id)
            pilot.decision = decision
            pilot.title_th, pilot.title_en = proposal.title_th, proposal.title_en
            pilot.approved_budget = decision.approved_budget
            pilot.conditions_th, pilot.conditions_en = decision.conditions_th, decision.conditions_en
            pilot.geometry = proposal.geometry
            pilot.status = Pilot.Status.APPROVED
            pilot.save()
            pilot.risks.set(proposal.risks.all())
            pilot.groups.set(proposal.groups.all())
            pilot.areas.set(proposal.areas.all())
            if not pilot.budget_lines.exists():
                PilotBudgetLine.objects.bulk_create(
                    PilotBudgetLine(pilot=pilot, item=line.item, amount=line.amount,
                                    cofunding=line.cofunding, cofunder=line.cofunder)
                    for line in proposal.budget_lines.all())
            if not pilot.indicators.exists():
                PilotIndicator.objects.bulk_create(
                    PilotIndicator(pilot=pilot, name=i.name, unit=i.unit, baseline=i.baseline,
                                   target=i.target)
                    for i in proposal.indicators.all())
        return pilot


class Pilot(models.Model):
    class Status(models.TextChoices):
        APPROVED = "approved", _("Approved, not started")
        RUNNING = "running", _("Under way")
        DONE = "done", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    city = models.ForeignKey("networks.City", on_delete=models.CASCADE, related_name="pilots",
                             verbose_name=_("city"))
    proposal = models.OneToOneField("proposals.Proposal", on_delete=models.PROTECT,
                                    related_name="pilot")
    decision = models.ForeignKey("proposals.Decision", on_delete=models.PROTECT,
                                 related_name="+")
    title_th = models.CharField(_("title (Thai)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    approved_budget = models.DecimalField(_("approved budget (THB)"), **MONEY)
    conditions_th = models.TextField(_("conditions (Thai)"), blank=True)
    conditions_en = models.TextField(_("conditions (English)"), blank=True)
    risks = models.ManyToManyField("assessments.RiskRating", blank=True, related_name="pilots")
    groups = models.ManyToManyField("assessments.ScopeGroup", blank=True, related_name="pilots")
    areas = models.ManyToManyField("assessments.RiskArea", blank=True, related_name="pilots")
    geometry = models.JSONField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.APPROVED)
    published = models.BooleanField(_("published"), default=False)
    # The implementation period: the time elapsed in it is what spending is compared with.
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PilotQuerySet.as_manager()

    class Meta:
        verbose_name = _("pilot project")
        verbose_name_plural = _("pilot projects")
        ordering = ["pk"]

    title = Localized("title")
    conditions = Localized("conditions")

    def __str__(self):
        return self.title

    def is_team(self, user) -> bool:
        """The pilot team: who carries the pilot out and reports on it, i.e. the proponent of
        the approved proposal. Reports and spending come from the team; the city's
        coordinators review them."""
        return user.is_authenticated and self.proposal.proponent_id == user.pk

    def can_write(self, user) -> bool:
        """Workplan, spending and reports: the pilot team and the city's editors."""
        from apps.accounts.scope import scope_of

        return self.is_team(user) or scope_of(user).can_edit_city(self.city)

    @property
    def is_closed(self) -> bool:
        """Completed or cancelled: its workplan is the record of what was done."""
        return self.status in (self.Status.DONE, self.Status.CANCELLED)

    def can_publish(self, user) -> bool:
        """Showing the pilot to the public: the network's national coordinator (publishing
        speaks for the programme, not only for the city)."""
        from apps.accounts.scope import scope_of

        return scope_of(user).can_admin_network(self.city.network)

    def set_published(self, by, published):
        """Publish or unpublish, with a history row; the same state again changes nothing."""
        with transaction.atomic():
            current = Pilot.objects.select_for_update().get(pk=self.pk)
            if current.published != published:
                Pilot.objects.filter(pk=self.pk).update(published=published)
                PilotChange.objects.create(
                    pilot=self, by=by if by and by.pk else None,
                    action=PilotChange.Action.PUBLISH if published
                    else PilotChange.Action.UNPUBLISH)
        self.published = published

    def can_review(self, user) -> bool:
        """Accepting or returning reports, closing budget lines: the city's coordinators."""
        from apps.accounts.scope import scope_of

        return scope_of(user).can_edit_city(self.city)


class PilotChange(AppendOnly):
    """Who published or unpublished a pilot, when (read by apps.core.trail)."""

    class Action(models.TextChoices):
        PUBLISH = "publish", _("Published")
        UNPUBLISH = "unpublish", _("Unpublished")

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="changes")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=10, choices=Action.choices)

    class Meta:
        ordering = ["at", "pk"]


class PilotBudgetLine(models.Model):
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField(_("budget item"), max_length=300)
    amount = models.DecimalField(_("amount (THB)"), **MONEY)
    cofunding = models.DecimalField(_("co-funding (THB)"), **MONEY, default=0)
    cofunder = models.CharField(_("co-funded by"), max_length=300, blank=True)
    # A closed line takes no more spending (the item is bought, or the line was dropped).
    closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.item


class PilotIndicator(models.Model):
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.CharField(_("baseline"), max_length=100, blank=True)
    target = models.CharField(_("target"), max_length=100)

    class Meta:
        ordering = ["pk"]


from apps.pilots.tracking_models import (  # noqa: E402,F401  (models of the same app)
    Expense, Milestone, PilotComponent, PilotPhoto, ProgressReport, ReportChange,
)
