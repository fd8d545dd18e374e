"""Calls for pilot project proposals, their screening, evaluation, shortlist and the funder's
decision (activities 9 and 10 of the plan).

The path: a city publishes a Call with eligibility rules and weighted criteria; proponents
(partner agencies) submit Proposals until the closing time; the coordinator screens each one
rule by rule; assigned Evaluators declare conflicts of interest, then score every eligible
proposal they are not conflicted on; the selection meeting records a Shortlist from the
ranking; funder reviewers record a Decision on shortlisted proposals, at most the city's
quota approved. An approval makes a pilot project (apps.pilots).

Fairness rules live here, not in the views, so the pages, the API and the demo data all obey
them. Submitted scores and recorded decisions are never edited: a correction is a new row that
points at the one it corrects (`corrects`), and the current record is the one nobody corrects.
Every step writes a CallChange (who, when, what, before and after).
"""
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from apps.accounts.models import Role
from apps.accounts.scope import CityScopedQuerySet, scope_of
from apps.core.concurrency import Versioned
from apps.core.i18n import Localized

MONEY = {"max_digits": 14, "decimal_places": 2}


class CallQuerySet(CityScopedQuerySet):
    """Published calls are public (proponents find them); drafts stay in the city's scope."""

    publishable = True

    def with_counts(self):
        submitted = Q(proposals__status=Proposal.Status.SUBMITTED)
        return self.annotate(submitted_count=models.Count("proposals", filter=submitted))


class Call(Versioned, models.Model):
    class Method(models.TextChoices):
        WEIGHTED_SUM = "weighted_sum", _("Weighted sum of normalised scores")
        TOPSIS = "topsis", _("TOPSIS (closeness to the ideal proposal)")

    city = models.ForeignKey("networks.City", on_delete=models.CASCADE, related_name="calls",
                             verbose_name=_("city"))
    title_th = models.CharField(_("title (Thai)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    risks = models.ManyToManyField("assessments.RiskRating", blank=True, related_name="calls",
                                   verbose_name=_("targeted risks"))
    groups = models.ManyToManyField("assessments.ScopeGroup", blank=True, related_name="calls",
                                    verbose_name=_("targeted vulnerable groups"))
    areas = models.ManyToManyField("assessments.RiskArea", blank=True, related_name="calls",
                                   verbose_name=_("targeted risk areas"))
    budget_ceiling = models.DecimalField(_("budget ceiling (THB)"), **MONEY,
                                         validators=[MinValueValidator(Decimal("1"))])
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    quota = models.PositiveSmallIntegerField(
        _("pilot quota"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("How many pilots the funder may approve for this city."))
    method = models.CharField(_("ranking method"), max_length=16, choices=Method.choices,
                              default=Method.WEIGHTED_SUM)
    # AHP pairwise judgements {"i,j": value} over the criteria in their order, when the weights
    # were derived from them, and the consistency ratio they had.
    ahp_judgements = models.JSONField(null=True, blank=True, editable=False)
    ahp_consistency = models.FloatField(null=True, blank=True, editable=False)
    published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")),
                                   name="call_closes_after_opening"),
            models.CheckConstraint(condition=Q(budget_ceiling__gt=0), name="call_ceiling_positive"),
            models.CheckConstraint(condition=Q(quota__gte=1), name="call_quota_positive"),
        ]

    title = Localized("title")
    description = Localized("description")

    def __str__(self):
        return self.title

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The call must close after it opens.")})

    # -- the clock --------------------------------------------------------------------
    def accepting(self, now=None):
        """Whether proposals may be submitted, edited or withdrawn now."""
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def phase(self, now=None):
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        if now < self.closes_at:
            return "open"
        if hasattr(self, "shortlist_record"):
            return "shortlisted"
        return "closed"

    def require_closed(self, now=None):
        if (now or timezone.now()) < self.closes_at:
            raise ValidationError(_("The call is still open: this step starts after it closes."))

    # -- who ------------------------------------------------------------------------------
    def is_proponent(self, user):
        return user.is_authenticated and user.roles.filter(
            role=Role.PROPONENT, city_id=self.city_id).exists()

    def evaluator_for(self, user):
        if not user.is_authenticated:
            return None
        return self.evaluators.filter(user=user).first()

    @property
    def is_final(self):
        """The shortlist is recorded: the ranking it came from is frozen."""
        return Shortlist.objects.filter(call=self).exists()

    def log(self, by, action, proposal=None, before=None, after=None, note=""):
        CallChange.objects.create(call=self, proposal=proposal, by=by if by and by.pk else None,
                                  action=action, before=before, after=after, note=str(note)[:500])

    # -- weights -----------------------------------------------------------------------
    def set_weights(self, by, weights, judgements=None, consistency=None):
        """New criterion weights {criterion pk: weight}; refused when any is negative or all
        are zero, and once the shortlist is recorded."""
        if self.is_final:
            raise ValidationError(_("The shortlist is recorded: the weights can no longer change."))
        criteria = {c.pk: c for c in self.criteria.all()}
        if set(weights) != set(criteria):
            raise ValidationError(_("Give a weight for every criterion of the call."))
        values = {pk: Decimal(str(w)) for pk, w in weights.items()}
        for pk, value in values.items():
            if value < 0:
                raise ValidationError(_("The weight of “%(name)s” is negative.")
                                      % {"name": criteria[pk].name})
        if not any(values.values()):
            raise ValidationError(_("At least one criterion must have a weight above zero."))
        with transaction.atomic():
            before = {c.name_th: str(c.weight) for c in criteria.values()}
            for pk, value in values.items():
                Criterion.objects.filter(pk=pk).update(weight=value)
            self.ahp_judgements, self.ahp_consistency = judgements, consistency
            self.save(update_fields=["ahp_judgements", "ahp_consistency"])
            self.log(by, CallChange.Action.WEIGHTS, before=before,
                     after={criteria[pk].name_th: str(v) for pk, v in values.items()})

    def set_method(self, by, method):
        """The ranking method of the call; fixed once the shortlist is recorded."""
        if method not in self.Method.values:
            raise ValidationError(_("Choose a ranking method."))
        if self.is_final:
            raise ValidationError(_("The shortlist is recorded: the method can no longer change."))
        if method == self.method:
            return
        with transaction.atomic():
            before, self.method = self.method, method
            self.save(update_fields=["method"])
            self.log(by, CallChange.Action.WEIGHTS, before={"method": before},
                     after={"method": method})


    # -- ranking and shortlist ---------------------------------------------------------------
    def score_table(self):
        """The current scores as arrays for apps.proposals.ranking: (evaluators, proposals,
        criteria, scores E x P x C with NaN where not scored). Four queries, whatever the size."""
        import numpy as np

        evaluators = list(self.evaluators.select_related("user__person"))
        proposals = list(self.proposals.eligible().select_related("organisation"))
        criteria = list(self.criteria.all())
        e_index = {e.pk: i for i, e in enumerate(evaluators)}
        p_index = {p.pk: i for i, p in enumerate(proposals)}
        c_index = {c.pk: i for i, c in enumerate(criteria)}
        scores = np.full((len(evaluators), len(proposals), len(criteria)), np.nan)
        rows = (Score.objects.current().filter(evaluator__call=self)
                .values_list("evaluator_id", "proposal_id", "criterion_id", "value"))
        for e, p, c, value in rows:
            if p in p_index and c in c_index:
                scores[e_index[e], p_index[p], c_index[c]] = value
        return evaluators, proposals, criteria, scores

    def ranking(self, method=None, weights=None):
        """The ranking of the eligible proposals by the call's method (or the one given),
        with disagreement, ties and weight sensitivity; see apps.proposals.ranking."""
        import numpy as np

        from apps.proposals import ranking

        evaluators, proposals, criteria, scores = self.score_table()
        low = np.array([c.scale_min for c in criteria], dtype=float)
        high = np.array([c.scale_max for c in criteria], dtype=float)
        if weights is None:
            weights = np.array([float(c.weight) for c in criteria])
        result = ranking.compute(scores, low, high, weights, method=method or self.method,
                                 labels=[p.title for p in proposals],
                                 criterion_labels=[c.name for c in criteria])
        result.evaluators, result.proposals, result.criteria = evaluators, proposals, criteria
        result.scores = scores
        return result

    def record_shortlist(self, by, event, proposals, note_th="", note_en="", now=None):
        """The selection meeting's shortlist: the proposals it chose, the meeting (an event of
        the city or its network) and the ranking as it stood, frozen from then on."""
        import numpy as np

        from apps.events.models import Event

        self.require_closed(now)
        with transaction.atomic():
            call = Call.objects.select_for_update().get(pk=self.pk)
            if Shortlist.objects.filter(call=call).exists():
                raise ValidationError(_("The shortlist of this call is already recorded."))
            if event is None or not Event.objects.for_city(self.city).filter(pk=event.pk).exists():
                raise ValidationError({"event": _("Choose the selection meeting among the "
                                                  "city's events.")})
            pending = [e.display_name for e in self.evaluators.select_related("user__person")
                       if not e.submitted_at]
            if pending:
                raise ValidationError(_("Waiting for the scores of: %(names)s.")
                                      % {"names": ", ".join(pending)})
            chosen = {p.pk for p in proposals}
            if not chosen:
                raise ValidationError({"proposals": _("Choose at least one proposal.")})
            result = self.ranking()
            by_pk = {p.pk: i for i, p in enumerate(result.proposals)}
            outside = chosen - set(by_pk)
            if outside:
                raise ValidationError({"proposals": _("Only eligible proposals of this call can "
                                                      "be shortlisted.")})
            rows = [{"proposal": result.proposals[i].pk, "title": result.proposals[i].title_th,
                     "rank": int(result.ranks[i]),
                     "total": None if np.isnan(result.totals[i]) else float(result.totals[i])}
                    for i in result.order]
            shortlist = Shortlist.objects.create(
                call=self, event=event, method=result.method,
                weights={c.name_th: float(c.weight) for c in result.criteria},
                ranking=rows, recorded_by=by, note_th=note_th, note_en=note_en,
                recorded_at=now or timezone.now())
            ShortlistEntry.objects.bulk_create(
                ShortlistEntry(shortlist=shortlist, proposal_id=pk,
                               rank=int(result.ranks[by_pk[pk]]),
                               total=float(result.totals[by_pk[pk]]))
                for pk in sorted(chosen, key=lambda pk: result.ranks[by_pk[pk]]))
            self.log(by, CallChange.Action.SHORTLIST, after={
                "event": event.pk, "proposals": sorted(chosen), "method": result.method})
        return shortlist


class EligibilityRule(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="rules")
    order = models.PositiveSmallIntegerField(default=1)
    text_th = models.CharField(_("rule (Thai)"), max_length=500)
    text_en = models.CharField(_("rule (English)"), max_length=500, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("eligibility rule")

    text = Localized("text")

    def __str__(self):
        return self.text


class Criterion(models.Model):
    """A criterion evaluators score on its own integer scale; its weight is relative."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=1)
    name_th = models.CharField(_("criterion (Thai)"), max_length=200)
    name_en = models.CharField(_("criterion (English)"), max_length=200, blank=True)
    description_th = models.TextField(_("guidance (Thai)"), blank=True)
    description_en = models.TextField(_("guidance (English)"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=4, default=1,
                                 validators=[MinValueValidator(0)])
    scale_min = models.SmallIntegerField(_("lowest score"), default=1)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=0), name="criterion_weight_not_negative"),
            models.CheckConstraint(condition=Q(scale_max__gt=models.F("scale_min")),
                                   name="criterion_scale_increasing"),
        ]

    name = Localized("name")
    description = Localized("description")

    def __str__(self):
        return self.name

    def check_value(self, value):
        if value is None or not (self.scale_min <= value <= self.scale_max):
            raise ValidationError(
                _("The score for “%(name)s” must be between %(low)s and %(high)s.")
                % {"name": self.name, "low": self.scale_min, "high": self.scale_max})


# -- proposals -----------------------------------------------------------------------------
class ProposalQuerySet(models.QuerySet):
    """Who reads a proposal: its proponent; once submitted, the city's coordinators and the
    national coordinator; evaluators assigned to the call who are not conflicted, once it is
    eligible; funder reviewers of the network once it is shortlisted. Nobody else, published
    call or not: a proposal is a partner agency's dossier, not public data."""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        scope = scope_of(user)
        if scope.superuser:
            return self.all()
        submitted = Q(status=Proposal.Status.SUBMITTED)
        condition = (
            Q(proponent=user)
            | (submitted & scope.city_edit_q("call__city"))
            | (submitted & Q(eligibility=Proposal.Eligibility.ELIGIBLE,
                             call__evaluators__user=user)
               # Exists: a negated Q over a multi-valued relation may match two different
               # rows (this user's declaration, another evaluator's conflict).
               & ~Exists(Conflict.objects.filter(proposal=OuterRef("pk"), evaluator__user=user,
                                                 conflicted=True)))
            | (submitted & Q(shortlisted__isnull=False,
                             call__city__network__in=scope.funder_networks))
        )
        return self.filter(condition).distinct()

    def submitted(self):
        return self.filter(status=Proposal.Status.SUBMITTED)

    def eligible(self):
        return self.submitted().filter(eligibility=Proposal.Eligibility.ELIGIBLE)


class Proposal(Versioned, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Eligibility(models.TextChoices):
        PENDING = "pending", _("Not screened yet")
        ELIGIBLE = "eligible", _("Eligible")
        INELIGIBLE = "ineligible", _("Not eligible")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="proposals")
    proponent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="proposals", verbose_name=_("proponent"))
    organisation = models.ForeignKey("people.Organisation", on_delete=models.PROTECT,
                                     related_name="proposals", verbose_name=_("organisation"))
    title_th = models.CharField(_("title (Thai)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    problem_th = models.TextField(_("problem addressed (Thai)"))
    problem_en = models.TextField(_("problem addressed (English)"), blank=True)
    objectives_th = models.TextField(_("objectives (Thai)"), blank=True)
    objectives_en = models.TextField(_("objectives (English)"), blank=True)
    results_th = models.TextField(_("expected results (Thai)"), blank=True)
    results_en = models.TextField(_("expected results (English)"), blank=True)
    risks = models.ManyToManyField("assessments.RiskRating", blank=True,
                                   related_name="proposals", verbose_name=_("risks addressed"))
    groups = models.ManyToManyField("assessments.ScopeGroup", blank=True,
                                    related_name="proposals", verbose_name=_("target groups"))
    areas = models.ManyToManyField("assessments.RiskArea", blank=True, related_name="proposals",
                                   verbose_name=_("target areas"))
    # Where the work happens, drawn on the map (GeoJSON geometry, WGS 84).
    geometry = models.JSONField(_("project area"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    eligibility = models.CharField(_("eligibility"), max_length=10, choices=Eligibility.choices,
                                   default=Eligibility.PENDING)
    screened_at = models.DateTimeField(null=True, blank=True)
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["pk"]

    title = Localized("title")
    problem = Localized("problem")
    objectives = Localized("objectives")
    results = Localized("results")

    def __str__(self):
        return self.title

    @property
    def budget_total(self):
        return sum((line.amount for line in self.budget_lines.all()), Decimal(0))

    @property
    def cofunding_total(self):
        return sum((line.cofunding for line in self.budget_lines.all()), Decimal(0))

    def editable(self, now=None):
        return self.status != self.Status.WITHDRAWN and self.call.accepting(now)

    def require_editable(self, user, now=None):
        if user.pk != self.proponent_id:
            raise ValidationError(_("Only the proponent may change a proposal."))
        if not self.call.accepting(now):
            raise ValidationError(_("The call closed on %(when)s: proposals can no longer be "
                                    "submitted, changed or withdrawn.") % {"when": _when(self.call.closes_at)})
        if self.status == self.Status.WITHDRAWN:
            raise ValidationError(_("This proposal was withdrawn."))

    def problems(self):
        """What stops submission, as sentences (empty when the proposal can be submitted)."""
        found = []
        if not self.title_th.strip():
            found.append(gettext("Give the proposal a Thai title."))
        if not self.problem_th.strip():
            found.append(gettext("Describe the problem the project addresses."))
        call_risks = set(self.call.risks.values_list("pk", flat=True))
        risks = set(self.risks.values_list("pk", flat=True))
        if call_risks and not risks & call_risks:
            found.append(gettext("Link the proposal to at least one of the risks the call targets."))
        if not self.budget_lines.exists():
            found.append(gettext("Add at least one budget line."))
        total = self.budget_lines.aggregate(total=Sum("amount"))["total"] or 0
        if total > self.call.budget_ceiling:
            found.append(gettext("The budget requested (%(total)s THB) is above the call's "
                                 "ceiling of %(ceiling)s THB.")
                         % {"total": f"{total:,.2f}", "ceiling": f"{self.call.budget_ceiling:,.2f}"})
        if not self.indicators.exists():
            found.append(gettext("Add at least one indicator of the expected results."))
        return found

    def submit(self, by, now=None):
        with transaction.atomic():
            locked = Proposal.objects.select_for_update().get(pk=self.pk)
            locked.call = self.call
            locked.require_editable(by, now)
            problems = locked.problems()
            if problems:
                raise ValidationError(problems)
            before = locked.status
            self.status, self.submitted_at = self.Status.SUBMITTED, now or timezone.now()
            self.save(update_fields=["status", "submitted_at", "updated_at"])
            self.call.log(by, CallChange.Action.SUBMIT, self, before={"status": before},
                          after={"status": self.status})

    def withdraw(self, by, now=None):
        with transaction.atomic():
            self.require_editable(by, now)
            before = self.status
            self.status = self.Status.WITHDRAWN
            self.save(update_fields=["status", "updated_at"])
            self.call.log(by, CallChange.Action.WITHDRAW, self, before={"status": before},
                          after={"status": self.status})

    # -- screening ---------------------------------------------------------------------
    def screen(self, by, answers, now=None):
        """Record eligibility rule by rule: answers {rule pk: (eligible, reason)}. Every rule
        needs an answer and every failed rule a reason; the proponent is emailed the result."""
        from apps.proposals import mail

        call = self.call
        call.require_closed(now)
        if self.status != self.Status.SUBMITTED:
            raise ValidationError(_("Only submitted proposals are screened."))
        if call.is_final:
            raise ValidationError(_("The shortlist is recorded: screening can no longer change."))
        rules = list(call.rules.all())
        errors = []
        for rule in rules:
            if rule.pk not in answers:
                errors.append(gettext("Answer the rule “%(rule)s”.") % {"rule": rule.text})
            elif not answers[rule.pk][0] and not (answers[rule.pk][1] or "").strip():
                errors.append(gettext("Give the reason why the proposal fails “%(rule)s”: "
                                      "it is sent to the proponent.") % {"rule": rule.text})
        if errors:
            raise ValidationError(errors)
        with transaction.atomic():
            before = self.eligibility
            for rule in rules:
                eligible, reason = answers[rule.pk]
                EligibilityCheck.objects.update_or_create(
                    proposal=self, rule=rule,
                    defaults={"eligible": eligible, "reason": (reason or "").strip()})
            ok = all(answers[rule.pk][0] for rule in rules)
            self.eligibility = self.Eligibility.ELIGIBLE if ok else self.Eligibility.INELIGIBLE
            self.screened_at, self.screened_by = now or timezone.now(), by
            self.save(update_fields=["eligibility", "screened_at", "screened_by", "updated_at"])
            call.log(by, CallChange.Action.SCREEN, self, before={"eligibility": before},
                     after={"eligibility": self.eligibility,
                            "rules": {r.text_th: answers[r.pk][0] for r in rules}})
            transaction.on_commit(lambda: mail.screened(self.pk))


def _when(value):
    """A moment as people read it: the local day (BE in Thai) and the time."""
    from apps.core.dates import format_date

    return f"{format_date(value)} {timezone.localtime(value):%H:%M}"


class ProposalActivity(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="activities")
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("activity"), max_length=300)
    starts = models.DateField(_("from"))
    ends = models.DateField(_("to"))

    class Meta:
        ordering = ["order", "starts", "pk"]
        constraints = [models.CheckConstraint(condition=Q(ends__gte=models.F("starts")),
                                              name="proposal_activity_ends_after_start")]


class BudgetLine(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField(_("budget item"), max_length=300)
    amount = models.DecimalField(_("requested (THB)"), **MONEY,
                                 validators=[MinValueValidator(0)])
    cofunding = models.DecimalField(_("co-funding (THB)"), **MONEY, default=0,
                                    validators=[MinValueValidator(0)])
    cofunder = models.CharField(_("co-funded by"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(cofunding__gte=0),
                                   name="budget_line_not_negative"),
        ]


class ProposalIndicator(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.CharField(_("baseline"), max_length=100, blank=True)
    target = models.CharField(_("target"), max_length=100)

    class Meta:
        ordering = ["pk"]


def attachment_path(instance, filename):
    return f"proposals/{instance.proposal_id}/{filename}"


class ProposalAttachment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=attachment_path)
    kind = models.CharField(max_length=8)
    size = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]


class EligibilityCheck(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="checks")
    rule = models.ForeignKey(EligibilityRule, on_delete=models.CASCADE, related_name="checks")
    eligible = models.BooleanField(_("meets the rule"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "rule"], name="eligibility_check_once"),
            models.CheckConstraint(condition=Q(eligible=True) | ~Q(reason=""),
                                   name="eligibility_failure_has_reason"),
        ]


# -- evaluation ----------------------------------------------------------------------------
class Evaluator(models.Model):
    """A person assigned to score a call's proposals. Their organisation is kept from the time
    of assignment: it decides which proposals they are kept off."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="evaluators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="evaluations", verbose_name=_("evaluator"))
    organisation = models.ForeignKey("people.Organisation", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    declared_at = models.DateTimeField(_("conflicts declared"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("scores submitted"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="evaluator_once")]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        person = getattr(self.user, "person", None)
        return (person.full_name if person else "") or self.user.get_full_name() or self.user.username

    def own_organisation(self, proposal):
        return bool(self.organisation_id) and proposal.organisation_id == self.organisation_id

    def declare(self, answers, now=None):
        """Declare, for every eligible proposal, whether there is a conflict of interest:
        answers {proposal pk: (conflicted, note)}. Proposals of the evaluator's own
        organisation are conflicts whatever the answer."""
        if self.submitted_at:
            raise ValidationError(_("Your scores are submitted: the declaration is final."))
        self.call.require_closed(now)
        proposals = list(self.call.proposals.eligible())
        missing = [p for p in proposals if p.pk not in answers]
        if missing:
            raise ValidationError([gettext("Declare whether you have a conflict of interest with "
                                           "“%(title)s”.") % {"title": p.title} for p in missing])
        with transaction.atomic():
            for proposal in proposals:
                conflicted, note = answers[proposal.pk]
                if self.own_organisation(proposal):
                    conflicted, note = True, note or gettext("Proposal of the evaluator's own organisation.")
                Conflict.objects.update_or_create(
                    evaluator=self, proposal=proposal,
                    defaults={"conflicted": conflicted, "note": (note or "").strip()})
            self.declared_at = now or timezone.now()
            self.save(update_fields=["declared_at"])
            self.call.log(self.user, CallChange.Action.DECLARE, after={
                "evaluator": self.user.username,
                "conflicts": [p.pk for p in proposals if Conflict.objects.filter(
                    evaluator=self, proposal=p, conflicted=True).exists()]})

    def to_score(self):
        """The eligible proposals this evaluator scores: declared and not conflicted."""
        return (self.call.proposals.eligible()
                .filter(Exists(Conflict.objects.filter(proposal=OuterRef("pk"), evaluator=self,
                                                       conflicted=False))))

    def score(self, proposal, values, now=None):
        """Save scores {criterion pk: (value, comment)} for one proposal (a draft until the
        evaluator submits; saving again replaces the draft)."""
        if not self.declared_at:
            raise ValidationError(_("Declare your conflicts of interest before scoring."))
        if self.submitted_at:
            raise ValidationError(_("You have already submitted your scores; a change is a "
                                    "correction with a reason."))
        if self.call.is_final:
            raise ValidationError(_("The shortlist is recorded: scores can no longer change."))
        if self.own_organisation(proposal):
            raise ValidationError(_("You cannot score a proposal of your own organisation."))
        conflict = Conflict.objects.filter(evaluator=self, proposal=proposal).first()
        if conflict is None:
            raise ValidationError(_("Declare your conflicts of interest before scoring."))
        if conflict.conflicted:
            raise ValidationError(_("You declared a conflict of interest with this proposal."))
        if proposal.call_id != self.call_id or proposal.eligibility != Proposal.Eligibility.ELIGIBLE \
                or proposal.status != Proposal.Status.SUBMITTED:
            raise ValidationError(_("Only eligible proposals of this call are scored."))
        criteria = {c.pk: c for c in self.call.criteria.all()}
        errors = []
        for pk, (value, _comment) in values.items():
            if pk not in criteria:
                errors.append(gettext("Unknown criterion."))
                continue
            try:
                criteria[pk].check_value(value)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        with transaction.atomic():
            for pk, (value, comment) in values.items():
                Score.objects.update_or_create(
                    evaluator=self, proposal=proposal, criterion_id=pk, corrects=None,
                    defaults={"value": value, "comment": (comment or "").strip(),
                              "at": now or timezone.now()})

    def missing_scores(self):
        """(proposal, criterion) pairs still unscored among those the evaluator must score."""
        proposals = list(self.to_score())
        criteria = list(self.call.criteria.all())
        have = set(Score.objects.current().filter(evaluator=self)
                   .values_list("proposal_id", "criterion_id"))
        return [(p, c) for p in proposals for c in criteria if (p.pk, c.pk) not in have]

    def submit(self, now=None):
        if self.submitted_at:
            raise ValidationError(_("You have already submitted your scores."))
        if not self.declared_at:
            raise ValidationError(_("Declare your conflicts of interest before scoring."))
        missing = self.missing_scores()
        if missing:
            raise ValidationError([gettext("Score “%(criterion)s” for “%(title)s”.")
                                   % {"criterion": c.name, "title": p.title} for p, c in missing])
        with transaction.atomic():
            self.submitted_at = now or timezone.now()
            self.save(update_fields=["submitted_at"])
            self.call.log(self.user, CallChange.Action.SUBMIT_SCORES,
                          after={"evaluator": self.user.username})


class Conflict(models.Model):
    evaluator = models.ForeignKey(Evaluator, on_delete=models.CASCADE, related_name="conflicts")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="conflicts")
    conflicted = models.BooleanField(_("conflict of interest"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluator", "proposal"],
                                               name="conflict_declared_once")]


class ScoreQuerySet(models.QuerySet):
    def current(self):
        """Scores nobody has corrected: what the ranking uses."""
        return self.filter(correction__isnull=True)


class Score(models.Model):
    evaluator = models.ForeignKey(Evaluator, on_delete=models.CASCADE, related_name="scores")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.SmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(default=timezone.now)
    # A correction of a submitted score: a new row pointing at the one it replaces.
    corrects = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="correction")
    reason = models.TextField(_("reason for the correction"), blank=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")

    objects = ScoreQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            # One original score per evaluator, proposal and criterion: scoring twice is refused
            # by the database too; later values are corrections chained through `corrects`.
            models.UniqueConstraint(fields=["evaluator", "proposal", "criterion"],
                                    condition=Q(corrects__isnull=True), name="score_once"),
            models.CheckConstraint(condition=Q(corrects__isnull=True) | ~Q(reason=""),
                                   name="score_correction_has_reason"),
        ]

    def correct(self, by, value, comment, reason, now=None):
        """A new score replacing this submitted one, with the reason; this one stays as it was."""
        if not self.evaluator.submitted_at:
            raise ValidationError(_("Draft scores are edited, not corrected."))
        if Score.objects.filter(corrects=self).exists():
            raise ValidationError(_("This score was already corrected; correct the newest one."))
        if not (reason or "").strip():
            raise ValidationError(_("Say why the score is corrected."))
        self.criterion.check_value(value)
        with transaction.atomic():
            new = Score.objects.create(
                evaluator=self.evaluator, proposal=self.proposal, criterion=self.criterion,
                value=value, comment=(comment or "").strip(), corrects=self, reason=reason.strip(),
                corrected_by=by, at=now or timezone.now())
            self.evaluator.call.log(by, CallChange.Action.CORRECT_SCORE, self.proposal,
                                    before={"score": self.value, "criterion": self.criterion.name_th,
                                            "evaluator": self.evaluator.user.username},
                                    after={"score": value}, note=reason)
        return new


# -- shortlist and decision -------------------------------------------------------------------
class Shortlist(models.Model):
    """The selection meeting's shortlist, with the ranking it was drawn from, frozen."""

    call = models.OneToOneField(Call, on_delete=models.PROTECT, related_name="shortlist_record")
    event = models.ForeignKey("events.Event", on_delete=models.PROTECT, related_name="shortlists",
                              verbose_name=_("selection meeting"))
    method = models.CharField(max_length=16, choices=Call.Method.choices)
    weights = models.JSONField()
    ranking = models.JSONField(help_text="The ranking table at the time, row by row.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    note_th = models.TextField(_("minutes of the decision (Thai)"), blank=True)
    note_en = models.TextField(_("minutes of the decision (English)"), blank=True)

    note = Localized("note")

    def save(self, *args, **kwargs):
        if self.pk and not kwargs.pop("force_correction", False):
            raise ValidationError(_("A recorded shortlist cannot be changed."))
        super().save(*args, **kwargs)


class ShortlistEntry(models.Model):
    shortlist = models.ForeignKey(Shortlist, on_delete=models.PROTECT, related_name="entries")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="shortlisted")
    rank = models.PositiveSmallIntegerField()
    total = models.FloatField()

    class Meta:
        ordering = ["rank", "pk"]


class DecisionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(correction__isnull=True)


class Decision(models.Model):
    """A funder reviewer's decision on a shortlisted proposal. Never edited: a correction is a
    new decision pointing at the one it replaces."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    approved_budget = models.DecimalField(_("approved budget (THB)"), **MONEY, null=True,
                                          blank=True)
    conditions_th = models.TextField(_("conditions (Thai)"), blank=True)
    conditions_en = models.TextField(_("conditions (English)"), blank=True)
    reason_th = models.TextField(_("reason (Thai)"), blank=True)
    reason_en = models.TextField(_("reason (English)"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    corrects = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="correction")
    correction_reason = models.TextField(_("reason for the correction"), blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal"], condition=Q(corrects__isnull=True),
                                    name="decision_once_per_proposal"),
            models.CheckConstraint(
                condition=(Q(outcome="approved", approved_budget__gt=0)
                           | Q(outcome="rejected", approved_budget__isnull=True) & ~Q(reason_th="")),
                name="decision_budget_or_reason"),
        ]

    conditions = Localized("conditions")
    reason = Localized("reason")

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError(_("A recorded decision cannot be changed; record a correction."))
        super().save(*args, **kwargs)


class DecisionRules:
    """The checks of a decision, shared by a first decision and a correction."""

    @staticmethod
    def check(proposal, outcome, budget, reason_th, replacing=None):
        call = proposal.call
        if not hasattr(proposal, "shortlisted") or not ShortlistEntry.objects.filter(
                proposal=proposal).exists():
            raise ValidationError(_("Only proposals on the selection meeting's shortlist can be "
                                    "decided."))
        if outcome == Decision.Outcome.APPROVED:
            if budget is None or budget <= 0:
                raise ValidationError({"approved_budget": _("Give the approved budget.")})
            if budget > call.budget_ceiling:
                raise ValidationError({"approved_budget": _(
                    "The approved budget is above the call's ceiling of %(ceiling)s THB.")
                    % {"ceiling": f"{call.budget_ceiling:,.2f}"}})
            approved = (Decision.objects.current()
                        .filter(proposal__call=call, outcome=Decision.Outcome.APPROVED)
                        .exclude(pk=getattr(replacing, "pk", None)).count())
            if approved >= call.quota:
                raise ValidationError(_("The city's quota of %(quota)s pilots is reached: reject "
                                        "or correct another decision first.") % {"quota": call.quota})
        elif outcome == Decision.Outcome.REJECTED:
            if not (reason_th or "").strip():
                raise ValidationError({"reason_th": _("Give the reason for the rejection.")})
        else:
            raise ValidationError(_("Choose approve or reject."))


def decide(proposal, by, outcome, budget=None, conditions_th="", conditions_en="",
           reason_th="", reason_en="", corrects=None, correction_reason=""):
    """Record a funder decision (or a correction of one) and, on approval, the pilot."""
    from apps.pilots.models import Pilot

    with transaction.atomic():
        # Lock the call so two reviewers approving at once cannot both pass the quota check.
        call = Call.objects.select_for_update().get(pk=proposal.call_id)
        proposal.call = call
        if corrects is None and Decision.objects.current().filter(proposal=proposal).exists():
            raise ValidationError(_("This proposal is already decided; record a correction "
                                    "instead."))
        if corrects is not None:
            if corrects.proposal_id != proposal.pk or Decision.objects.filter(corrects=corrects).exists():
                raise ValidationError(_("Only the current decision can be corrected."))
            if not (correction_reason or "").strip():
                raise ValidationError({"correction_reason": _("Say why the decision is corrected.")})
        DecisionRules.check(proposal, outcome, budget, reason_th, replacing=corrects)
        approved = outcome == Decision.Outcome.APPROVED
        decision = Decision.objects.create(
            proposal=proposal, outcome=outcome, approved_budget=budget if approved else None,
            conditions_th=conditions_th if approved else "", conditions_en=conditions_en if approved else "",
            reason_th=reason_th, reason_en=reason_en, decided_by=by, corrects=corrects,
            correction_reason=(correction_reason or "").strip())
        call.log(by, CallChange.Action.CORRECT_DECISION if corrects else CallChange.Action.DECIDE,
                 proposal,
                 before=({"outcome": corrects.outcome, "budget": str(corrects.approved_budget)}
                         if corrects else None),
                 after={"outcome": outcome, "budget": str(budget) if approved else None},
                 note=correction_reason or reason_th)
        Pilot.objects.follow_decision(decision)
    return decision


class CallChange(models.Model):
    """The audit trail of a call: every step, who took it, when, and the values before and
    after. Rows are only ever added."""

    class Action(models.TextChoices):
        CREATE = "create", _("Call created")
        EDIT = "edit", _("Call edited")
        PUBLISH = "publish", _("Published")
        WEIGHTS = "weights", _("Weights changed")
        SUBMIT = "submit", _("Proposal submitted")
        REVISE = "revise", _("Submitted proposal revised")
        WITHDRAW = "withdraw", _("Proposal withdrawn")
        SCREEN = "screen", _("Proposal screened")
        ASSIGN = "assign", _("Evaluators assigned")
        DECLARE = "declare", _("Conflicts declared")
        SUBMIT_SCORES = "scores", _("Scores submitted")
        CORRECT_SCORE = "correct_score", _("Score corrected")
        SHORTLIST = "shortlist", _("Shortlist recorded")
        DECIDE = "decide", _("Funder decision")
        CORRECT_DECISION = "correct_decision", _("Decision corrected")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="changes")
    proposal = models.ForeignKey(Proposal, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="changes")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError("The audit trail is append-only.")
        super().save(*args, **kwargs)
