"""Expert evaluations of pilot projects (plan activity 13: "experts follow progress and
evaluate; evidence that the city copes better; recommendations for the city's development
strategy").

An `Evaluation` looks at one pilot, or at the city's whole programme (no pilot). It asks
evaluation `Question`s (by OECD-DAC criterion), answers them with rated `Finding`s, records
`Outcome`s against the climate risks the city's assessment rated (did the city cope better with
that impact, and what shows it), and ends in `Recommendation`s, some of them for the city's
development strategy and plan (`recommendations_for_strategy`, read by the strategy work).

The academic experts sign an evaluation off; from then on nothing in it changes (the models
refuse). Only the network's national coordinator may reopen it, with a reason, and every
sign-off, reopening and publication is kept in `EvaluationChange`.
"""
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max, Prefetch, Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.scope import CityScopedQuerySet, scope_of
from apps.core.i18n import Localized


def _user(by):
    return by if by is not None and by.pk else None


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else "—"


class Criterion(models.TextChoices):
    # The OECD-DAC evaluation criteria (2019 revision), which evaluators of the programme use.
    RELEVANCE = "relevance", _("Relevance")
    COHERENCE = "coherence", _("Coherence")
    EFFECTIVENESS = "effectiveness", _("Effectiveness")
    EFFICIENCY = "efficiency", _("Efficiency")
    IMPACT = "impact", _("Impact")
    SUSTAINABILITY = "sustainability", _("Sustainability")
    OTHER = "other", _("Other")


class Rating(models.IntegerChoices):
    NOT = 1, _("Not achieved")
    PARTLY = 2, _("Partly achieved")
    LARGELY = 3, _("Largely achieved")
    FULLY = 4, _("Fully achieved")


class Change(models.TextChoices):
    BETTER = "better", _("Copes better")
    SAME = "same", _("No change")
    WORSE = "worse", _("Copes worse")
    UNKNOWN = "unknown", _("Not known yet")


class Target(models.TextChoices):
    STRATEGY = "strategy", _("City development strategy")
    PLAN = "plan", _("City development plan")
    NEXT_PILOT = "next_pilot", _("Next pilot projects")
    NETWORK = "network", _("The network and other cities")


class Priority(models.IntegerChoices):
    # Numbers so that ordering by priority puts "high" first.
    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


class EvaluationQuerySet(CityScopedQuerySet):
    publishable = True

    def for_detail(self):
        """With everything the detail page, the print and the API show, in seven queries."""
        return self.select_related("city__network", "pilot", "signed_off_by").prefetch_related(
            "evaluators",
            Prefetch("questions", Question.objects.prefetch_related(
                Prefetch("findings", Finding.objects.order_by("order", "pk")))),
            Prefetch("outcomes", Outcome.objects.select_related("risk").order_by("order", "pk")),
            Prefetch("recommendations",
                     Recommendation.objects.order_by("priority", "order", "pk")),
            Prefetch("changes", EvaluationChange.objects.select_related("by")),
        )

    def signed(self):
        return self.filter(status=Evaluation.Status.SIGNED)


class Evaluation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed off")

    city = models.ForeignKey("networks.City", on_delete=models.CASCADE,
                             related_name="evaluations", verbose_name=_("city"))
    # PROTECT: a signed evaluation of a pilot must not silently become one of the programme.
    pilot = models.ForeignKey(
        "pilots.Pilot", on_delete=models.PROTECT, null=True, blank=True,
        related_name="evaluations", verbose_name=_("pilot project"),
        help_text=_("Empty: an evaluation of the city's whole programme."))
    title_th = models.CharField(_("title (Thai)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    evaluators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                        verbose_name=_("evaluators with an account"))
    evaluator_names = models.TextField(_("other evaluators"), blank=True,
                                       help_text=_("One name per line."))
    scope_th = models.TextField(_("scope (Thai)"), blank=True)
    scope_en = models.TextField(_("scope (English)"), blank=True)
    method_th = models.TextField(_("method (Thai)"), blank=True)
    method_en = models.TextField(_("method (English)"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.DRAFT)
    published = models.BooleanField(
        _("published"), default=False,
        help_text=_("Published evaluations are visible to other cities and the public."))
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+",
                                      verbose_name=_("signed off by"))
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("expert evaluation")
        verbose_name_plural = _("expert evaluations")
        ordering = ["city", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title_th=""), name="evaluation_title_th"),
            models.CheckConstraint(condition=Q(status="draft", signed_off_at__isnull=True)
                                   | Q(status="signed", signed_off_at__isnull=False),
                                   name="evaluation_signed_has_time"),
            # Only what the experts signed goes public.
            models.CheckConstraint(condition=Q(published=False) | Q(status="signed"),
                                   name="evaluation_published_is_signed"),
        ]

    def __str__(self):
        return self.title

    title = Localized("title")
    scope = Localized("scope")
    method = Localized("method")

    @property
    def is_signed(self):
        return self.status == self.Status.SIGNED

    @property
    def signer_name(self):
        return _name(self.signed_off_by)

    def evaluator_list(self):
        names = [u.get_full_name() or u.get_username() for u in self.evaluators.all()]
        return names + [n.strip() for n in self.evaluator_names.splitlines() if n.strip()]

    # -- the freeze ------------------------------------------------------------------------
    def _stored_signed(self):
        return self.pk is not None and Evaluation.objects.filter(
            pk=self.pk, status=self.Status.SIGNED).exists()

    def refuse_if_signed(self):
        if self.is_signed or self._stored_signed():
            raise ValidationError(_("“%(title)s” is signed off and cannot change; the national "
                                    "coordinator may reopen it.") % {"title": self.title})

    def clean(self):
        if self.pilot_id and self.city_id and self.pilot.city_id != self.city_id:
            raise ValidationError({"pilot": _("Choose a pilot project of this city.")})

    def save(self, *args, workflow=False, **kwargs):
        # The rule lives here, not in a view: nothing rewrites a signed evaluation, except the
        # workflow methods below (sign-off, reopening, publication), which say so.
        if not workflow and self._stored_signed():
            self.refuse_if_signed()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.refuse_if_signed()
        return super().delete(*args, **kwargs)

    # -- the workflow ----------------------------------------------------------------------
    def log(self, by, action, note=""):
        EvaluationChange.objects.create(evaluation=self, by=_user(by), action=action,
                                        note=note)

    def sign_off(self, by):
        """The experts' sign-off: who and when; from now on the evaluation is read-only."""
        with transaction.atomic():
            locked = Evaluation.objects.select_for_update().get(pk=self.pk)
            if locked.is_signed:
                raise ValidationError(_("This evaluation is already signed off."))
            questions = list(locked.questions.annotate(n=models.Count("findings")))
            if not questions:
                raise ValidationError(_("Add at least one evaluation question before signing "
                                        "off."))
            empty = [q for q in questions if not q.n]
            if empty:
                raise ValidationError(
                    _("Question %(number)s (“%(question)s”) has no finding yet.")
                    % {"number": empty[0].order, "question": empty[0].question})
            self.status, self.signed_off_by = self.Status.SIGNED, _user(by)
            self.signed_off_at = timezone.now()
            self.save(workflow=True, update_fields=["status", "signed_off_by", "signed_off_at",
                                                    "updated_at"])
            self.log(by, EvaluationChange.Action.SIGN)

    def reopen(self, by, note):
        """Back to a draft, by the network's national coordinator only, with the reason kept.
        A reopened evaluation is withdrawn from publication until it is signed off again."""
        if not scope_of(by).can_admin_network(self.city.network):
            raise PermissionDenied(_("Only the national coordinator may reopen a signed-off "
                                     "evaluation."))
        note = (note or "").strip()
        if not note:
            raise ValidationError({"note": _("Say why the evaluation is reopened.")})
        with transaction.atomic():
            locked = Evaluation.objects.select_for_update().get(pk=self.pk)
            if not locked.is_signed:
                raise ValidationError(_("This evaluation is not signed off."))
            self.status, self.signed_off_by, self.signed_off_at = self.Status.DRAFT, None, None
            self.published = False
            self.save(workflow=True, update_fields=["status", "signed_off_by", "signed_off_at",
                                                    "published", "updated_at"])
            self.log(by, EvaluationChange.Action.REOPEN, note)

    def set_published(self, by, published):
        if published and not self.is_signed:
            raise ValidationError(_("Only a signed-off evaluation can be published."))
        with transaction.atomic():
            self.published = published
            self.save(workflow=True, update_fields=["published", "updated_at"])
            self.log(by, EvaluationChange.Action.PUBLISH if published
                     else EvaluationChange.Action.UNPUBLISH)

    # -- what the pages show ---------------------------------------------------------------
    def recommendations_by_target(self):
        """[(Target, [recommendations])] for the targets that have some, in Target's order."""
        rows = list(self.recommendations.all())
        return [(t, [r for r in rows if r.target == t]) for t in Target
                if any(r.target == t for r in rows)]

    def outcome_counts(self):
        rows = list(self.outcomes.all())
        return {c: sum(1 for o in rows if o.change == c) for c in Change.values}


@receiver(m2m_changed, sender=Evaluation.evaluators.through)
def _evaluators_frozen(sender, instance, action, reverse, **kwargs):
    if action in ("pre_add", "pre_remove", "pre_clear") and not reverse:
        instance.refuse_if_signed()


class EvaluationPart(models.Model):
    """A row of an evaluation: frozen with it once it is signed off."""

    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        abstract = True

    def _evaluation(self):
        return self.evaluation

    def refuse_if_signed(self):
        self._evaluation().refuse_if_signed()

    def save(self, *args, **kwargs):
        self.refuse_if_signed()
        if self.pk is None and not self.order:
            last = type(self).objects.filter(**self._siblings()).aggregate(top=Max("order"))
            self.order = (last["top"] or 0) + 1
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.refuse_if_signed()
        return super().delete(*args, **kwargs)

    def _siblings(self):
        return {"evaluation": self.evaluation_id}


class Question(EvaluationPart):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE,
                                   related_name="questions")
    criterion = models.CharField(_("criterion"), max_length=16, choices=Criterion.choices)
    question_th = models.TextField(_("question (Thai)"))
    question_en = models.TextField(_("question (English)"), blank=True)

    class Meta:
        verbose_name = _("evaluation question")
        verbose_name_plural = _("evaluation questions")
        ordering = ["order", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(question_th=""),
                                              name="evaluation_question_th")]

    def __str__(self):
        return self.question

    question = Localized("question")


class Finding(EvaluationPart):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="findings",
                                 verbose_name=_("question"))
    finding_th = models.TextField(_("finding (Thai)"))
    finding_en = models.TextField(_("finding (English)"), blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(finding_th=""), name="evaluation_finding_th"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=4),
                                   name="evaluation_finding_rating_1_4"),
        ]

    def __str__(self):
        return self.finding

    finding = Localized("finding")

    def _evaluation(self):
        return self.question.evaluation

    def _siblings(self):
        return {"question": self.question_id}


class Outcome(EvaluationPart):
    """A change in how the city copes with one assessed climate risk, and what shows it."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE,
                                   related_name="outcomes")
    description_th = models.TextField(_("outcome (Thai)"))
    description_en = models.TextField(_("outcome (English)"), blank=True)
    # SET_NULL: the assessment may drop a rating; the outcome and its evidence stay.
    risk = models.ForeignKey("assessments.RiskRating", on_delete=models.SET_NULL, null=True,
                             related_name="evaluation_outcomes",
                             verbose_name=_("climate risk (impact)"))
    change = models.CharField(_("does the city cope better?"), max_length=8,
                              choices=Change.choices, default=Change.UNKNOWN)
    evidence_th = models.TextField(_("evidence (Thai)"), blank=True,
                                   help_text=_("What shows that the city copes better (or "
                                               "not) with this impact."))
    evidence_en = models.TextField(_("evidence (English)"), blank=True)
    indicator = models.CharField(_("indicator"), max_length=300, blank=True,
                                 help_text=_("The indicator the evidence rests on, if any."))

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["order", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(description_th=""),
                                              name="evaluation_outcome_th")]

    def __str__(self):
        return self.description

    description = Localized("description")
    evidence = Localized("evidence")

    def check_city(self):
        """The risk must be one the evaluated city's own assessment rated."""
        if self.risk_id is None:
            return
        from apps.assessments.models import RiskRating

        city_id = RiskRating.objects.filter(pk=self.risk_id).values_list(
            "assessment__city_id", flat=True).first()
        if city_id != self.evaluation.city_id:
            raise ValidationError({"risk": _(
                "“%(risk)s” is a climate risk of another city; choose one rated in "
                "%(city)s's assessment.") % {"risk": self.risk, "city": self.evaluation.city}})

    def clean(self):
        if self.evaluation_id:
            self.check_city()
            if self.change != Change.UNKNOWN and not (self.evidence_th.strip()
                                                      or self.evidence_en.strip()):
                raise ValidationError({"evidence_th": _(
                    "Give the evidence for the change (or choose “Not known yet”).")})

    def save(self, *args, **kwargs):
        self.check_city()  # also for writes that skip the forms
        super().save(*args, **kwargs)


class Recommendation(EvaluationPart):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE,
                                   related_name="recommendations")
    text_th = models.TextField(_("recommendation (Thai)"))
    text_en = models.TextField(_("recommendation (English)"), blank=True)
    target = models.CharField(_("for"), max_length=12, choices=Target.choices)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices,
                                                default=Priority.MEDIUM)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["priority", "order", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(text_th=""),
                                              name="evaluation_recommendation_th")]

    def __str__(self):
        return self.text

    text = Localized("text")


def recommendations_for_strategy(city, user=None):
    """The recommendations for the city's development strategy and plan from its signed-off
    evaluations, high priority first (what the resilience-strategy work, activity 15, starts
    from). With `user`, only from the evaluations that user may read."""
    evaluations = Evaluation.objects.signed().filter(city=city)
    if user is not None:
        evaluations = evaluations.visible_to(user)
    return (Recommendation.objects
            .filter(evaluation__in=evaluations, target__in=[Target.STRATEGY, Target.PLAN])
            .select_related("evaluation__pilot")
            .order_by("priority", "target", "-evaluation__signed_off_at", "order", "pk"))


class EvaluationChange(models.Model):
    """Append-only: sign-offs, reopenings (with the reason) and publication."""

    class Action(models.TextChoices):
        SIGN = "sign", _("Signed off")
        REOPEN = "reopen", _("Reopened")
        PUBLISH = "publish", _("Published")
        UNPUBLISH = "unpublish", _("Unpublished")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE,
                                   related_name="changes")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("evaluation change")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"

    @property
    def by_name(self):
        return _name(self.by)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("The evaluation's history cannot be rewritten."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The evaluation's history cannot be rewritten."))
