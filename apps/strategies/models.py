"""Resilience strategies (activity 15): vision, strategic issues, interventions with their risks,
groups and areas, prioritisation, gaps, versions and adoption.

One `Strategy` per city. Its `StrategicIssue`s come from SLD 2 (a `DialogueItem` of kind
"strategic_issue") and the assessment's risks; its `Intervention`s each reduce some of the
city's assessed risks (`RiskRating`), serve vulnerable groups (`ScopeGroup`) and areas
(`RiskArea`), with responsible agencies, cost, timeframe and funding source.

Prioritisation (the formula every page and export uses, see `Scoring`):
- resilience share = sum of the weights of the resilience characteristics the intervention
  strengthens / sum of the weights of all characteristics (0..1);
- feasibility = weighted mean of its 1-5 scores on the feasibility criteria (technical,
  financial, political/social by default); unscored criteria are left out of the mean;
- priority = 100 x (0.5 x resilience share + 0.5 x (feasibility - 1) / 4), 0..100; without
  any feasibility score the priority is unknown and the intervention ranks last.
Scales are data: a network may list its own characteristics and criteria with weights
(`ResilienceCharacteristic`, `FeasibilityCriterion`); a network without any uses DEFAULTS.

Visibility follows the publishable city pattern: a published strategy is public, a draft is for
the city's readers, editing is for the city's editors. An adopted strategy is read-only until
someone starts a new version.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.scope import CityScopedQuerySet
from apps.core.i18n import Localized

FIRST_YEAR, LAST_YEAR = 2000, 2100  # CE; a timeframe outside is a typing mistake


# -- scales -----------------------------------------------------------------------------------
DEFAULT_CHARACTERISTICS = [  # code, Thai, English
    ("flexibility", "ความยืดหยุ่นและหลากหลาย", "Flexibility and diversity"),
    ("redundancy", "ความซ้ำซ้อนสำรอง", "Redundancy"),
    ("responsiveness", "การตอบสนองอย่างรวดเร็ว", "Responsiveness"),
    ("information", "การเข้าถึงข้อมูล", "Access to information"),
    ("resourcefulness", "ความสามารถในการจัดหาทรัพยากร", "Resourcefulness"),
    ("safe_failure", "การล้มเหลวอย่างปลอดภัย", "Safe failure"),
]
DEFAULT_CRITERIA = [
    ("technical", "ความเป็นไปได้ทางเทคนิค", "Technical feasibility"),
    ("financial", "ความเป็นไปได้ทางการเงิน", "Financial feasibility"),
    ("political_social", "การยอมรับทางการเมืองและสังคม", "Political and social acceptability"),
]


class ScaleItem(models.Model):
    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=2, default=Decimal("1"),
                                 validators=[MinValueValidator(Decimal("0.01"))])
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Deactivated rather than deleted: interventions keep the codes they were scored on, and
    # the item can come back with them.
    active = models.BooleanField(_("in use"), default=True)

    name = Localized("name")

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class ResilienceCharacteristic(ScaleItem):
    class Meta(ScaleItem.Meta):
        verbose_name = _("resilience characteristic")
        constraints = [models.UniqueConstraint(fields=["network", "code"],
                                               name="strategy_characteristic_once")]


class FeasibilityCriterion(ScaleItem):
    class Meta(ScaleItem.Meta):
        verbose_name = _("feasibility criterion")
        constraints = [models.UniqueConstraint(fields=["network", "code"],
                                               name="strategy_criterion_once")]


SCALES = {"characteristic": (ResilienceCharacteristic, DEFAULT_CHARACTERISTICS),
          "criterion": (FeasibilityCriterion, DEFAULT_CRITERIA)}


def scale_of(model, network, active_only=False):
    """The network's items of one scale (unsaved DEFAULTS when it has none). One query."""
    rows = list(model.objects.filter(network=network))
    if not rows:
        defaults = DEFAULT_CHARACTERISTICS if model is ResilienceCharacteristic \
            else DEFAULT_CRITERIA
        return [model(network=network, code=c, name_th=th, name_en=en, order=i)
                for i, (c, th, en) in enumerate(defaults)]
    return [r for r in rows if r.active] if active_only else rows


@dataclass
class Scoring:
    """The network's scales and the formula (see the module docstring). Two queries."""

    characteristics: list
    criteria: list

    @classmethod
    def for_network(cls, network):
        """The items in use; DEFAULTS when the network has not set its own."""
        return cls(scale_of(ResilienceCharacteristic, network, active_only=True),
                   scale_of(FeasibilityCriterion, network, active_only=True))

    def resilience(self, codes):
        """(weighted count, share 0..1) of the characteristics strengthened."""
        total = sum(c.weight for c in self.characteristics) or Decimal(1)
        count = sum((c.weight for c in self.characteristics if c.code in set(codes)), Decimal(0))
        return count, count / total

    def feasibility(self, scores):
        """Weighted mean of the 1-5 scores given, or None without any."""
        pairs = [(c.weight, Decimal(scores[c.code])) for c in self.criteria
                 if scores.get(c.code) not in (None, "")]
        weight = sum(w for w, _ in pairs)
        if not pairs or not weight:
            return None
        return sum(w * s for w, s in pairs) / weight

    def priority(self, codes, scores):
        _count, share = self.resilience(codes)
        feasibility = self.feasibility(scores)
        if feasibility is None:
            return None
        value = 100 * (Decimal("0.5") * share + Decimal("0.5") * (feasibility - 1) / 4)
        return value.quantize(Decimal("0.1"))

    def score(self, intervention):
        count, share = self.resilience(intervention.characteristics or [])
        feasibility = self.feasibility(intervention.feasibility or {})
        intervention.resilience_score = count
        intervention.resilience_share = share
        intervention.feasibility_score = (feasibility.quantize(Decimal("0.01"))
                                          if feasibility is not None else None)
        intervention.priority = self.priority(intervention.characteristics or [],
                                              intervention.feasibility or {})
        return intervention

    def ranked(self, interventions):
        scored = [self.score(i) for i in interventions]
        return sorted(scored, key=lambda i: (i.priority is None, -(i.priority or 0), i.pk or 0))


# -- the strategy -----------------------------------------------------------------------------
class StrategyQuerySet(CityScopedQuerySet):
    publishable = True


class Strategy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the council")
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")

    # Which status may follow which (a rejected or adopted strategy goes back to draft only
    # through `start_new_version`).
    NEXT = {"draft": {"submitted"}, "submitted": {"adopted", "rejected", "draft"}}

    city = models.OneToOneField("networks.City", on_delete=models.CASCADE,
                                related_name="strategy", verbose_name=_("city"))
    vision_th = models.TextField(_("vision (Thai)"), blank=True)
    vision_en = models.TextField(_("vision (English)"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    decided_on = models.DateField(_("date of the council's decision"), null=True, blank=True)
    evidence = models.FileField(_("evidence (e.g. council resolution)"),
                                upload_to="strategies/evidence/", blank=True)
    evidence_type = models.CharField(max_length=10, blank=True)
    published = models.BooleanField(
        _("published"), default=False,
        help_text=_("Published strategies are visible to other cities and the public."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StrategyQuerySet.as_manager()

    vision = Localized("vision")

    class Meta:
        verbose_name = _("resilience strategy")
        verbose_name_plural = _("resilience strategies")

    def __str__(self):
        return str(_("Resilience strategy of %(city)s") % {"city": self.city})

    @property
    def read_only(self):
        return self.status in (self.Status.ADOPTED, self.Status.SUBMITTED)

    def check_editable(self):
        if self.read_only:
            raise ValidationError(gettext(
                "This strategy is %(status)s and cannot be changed; start a new version first.")
                % {"status": self.get_status_display().lower()}, code="read_only")

    def scoring(self):
        return Scoring.for_network(self.city.network)

    # -- adoption ---------------------------------------------------------------------------
    def set_status(self, status, by, decided_on=None, evidence=None):
        """Move through draft -> submitted -> adopted / rejected. Adoption and rejection need
        the date of the decision; adoption also the evidence (already checked by content)."""
        if status not in self.NEXT.get(self.status, set()):
            raise ValidationError(gettext("A strategy that is %(old)s cannot become %(new)s.") % {
                "old": self.get_status_display().lower(),
                "new": self.Status(status).label.lower()}, code="status")
        if status in (self.Status.ADOPTED, self.Status.REJECTED) and decided_on is None:
            raise ValidationError({"decided_on": gettext("Give the date of the council's "
                                                         "decision.")})
        if status == self.Status.ADOPTED and evidence is None and not self.evidence:
            raise ValidationError({"evidence": gettext("Attach the council resolution (or other "
                                                       "evidence) of the adoption.")})
        with transaction.atomic():
            if evidence is not None:
                upload, kind = evidence
                self.evidence.save(upload.name.rsplit("/", 1)[-1], upload, save=False)
                self.evidence_type = kind
            self.status = status
            if decided_on is not None:
                self.decided_on = decided_on
            self.save()
            if status == self.Status.SUBMITTED:
                self.save_version(by, gettext("Submitted to the council"))

    def start_new_version(self, by):
        """An adopted (or rejected) strategy becomes an editable draft again; the adopted text
        is kept as a version first."""
        if self.status not in (self.Status.ADOPTED, self.Status.REJECTED):
            raise ValidationError(gettext("Only an adopted or rejected strategy needs a new "
                                          "version to be edited."), code="status")
        with transaction.atomic():
            self.save_version(by, gettext("As %(status)s") % {
                "status": self.get_status_display().lower()})
            self.status = self.Status.DRAFT
            self.save(update_fields=["status", "updated_at"])

    # -- versions ---------------------------------------------------------------------------
    def snapshot(self):
        """The whole strategy as plain JSON (what a version keeps). Five queries."""
        issues = list(self.issues.prefetch_related("risks"))
        interventions = list(self.interventions.select_related("issue").prefetch_related(
            "risks", "groups", "areas", "agencies", "plan_items"))
        return {
            "vision_th": self.vision_th, "vision_en": self.vision_en, "status": self.status,
            "issues": [{"id": i.pk, "title_th": i.title_th, "title_en": i.title_en,
                        "description_th": i.description_th, "description_en": i.description_en,
                        "risks": sorted(r.pk for r in i.risks.all())} for i in issues],
            "interventions": [{
                "id": i.pk, "title_th": i.title_th, "title_en": i.title_en,
                "description_th": i.description_th, "description_en": i.description_en,
                "issue": i.issue_id, "risks": sorted(r.pk for r in i.risks.all()),
                "groups": sorted(g.pk for g in i.groups.all()),
                "areas": sorted(a.pk for a in i.areas.all()),
                "agencies": sorted(a.pk for a in i.agencies.all()),
                "plan_items": sorted(p.pk for p in i.plan_items.all()),
                "cost": str(i.cost) if i.cost is not None else None,
                "start_year": i.start_year, "end_year": i.end_year,
                "funding_source": i.funding_source, "funding_note": i.funding_note,
                "characteristics": sorted(i.characteristics or []),
                "feasibility": i.feasibility or {},
            } for i in interventions],
        }

    def save_version(self, by, note=""):
        with transaction.atomic():
            last = (StrategyVersion.objects.select_for_update().filter(strategy=self)
                    .aggregate(top=models.Max("number"))["top"] or 0)
            return StrategyVersion.objects.create(
                strategy=self, number=last + 1, snapshot=self.snapshot(), note=note[:200],
                created_by=by if by and by.pk else None)

    # -- gaps -------------------------------------------------------------------------------
    def gaps(self):
        """High or extreme risks of the city's assessment that no intervention addresses, and
        interventions that address no assessed risk. Three queries, whatever the size."""
        from apps.assessments.models import AssessmentScale, RiskRating

        scale = AssessmentScale.for_network(self.city.network)
        uncovered = list(
            RiskRating.objects.filter(assessment__city_id=self.city_id,
                                      score__gte=scale.risk_high_from)
            .annotate(n=Count("interventions", filter=Q(interventions__strategy=self)))
            .filter(n=0).order_by("-score", "hazard", "system"))
        for risk in uncovered:
            risk.level_value = scale.risk_level(risk.score)
        unlinked = list(self.interventions.filter(risks__isnull=True).order_by("order", "pk"))
        return Gaps(uncovered, unlinked)


@dataclass
class Gaps:
    risks: list = field(default_factory=list)
    interventions: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.risks or self.interventions)


class StrategyRecordQuerySet(CityScopedQuerySet):
    city_path = "strategy__city"

    def visible_to(self, user):
        return self.filter(strategy__in=Strategy.objects.visible_to(user))


class StrategicIssue(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="issues")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_th = models.CharField(_("title (Thai)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sld_item = models.ForeignKey("dialogues.DialogueItem", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+",
                                 verbose_name=_("strategic issue of SLD 2"))
    risks = models.ManyToManyField("assessments.RiskRating", blank=True,
                                   related_name="strategic_issues",
                                   verbose_name=_("risks it comes from"))

    objects = StrategyRecordQuerySet.as_manager()

    title = Localized("title")
    description = Localized("description")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("strategic issue")
        constraints = [models.CheckConstraint(condition=~Q(title_th=""),
                                              name="strategic_issue_title_th_required")]

    def __str__(self):
        return self.title


class FundingSource(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal budget")
    NATIONAL = "national", _("National government")
    INTERNATIONAL = "international", _("International funder")
    PRIVATE = "private", _("Private sector")
    OTHER = "other", _("Other")


class Intervention(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE,
                                 related_name="interventions")
    issue = models.ForeignKey(StrategicIssue, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="interventions", verbose_name=_("strategic issue"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_th = models.CharField(_("title (Thai)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    risks = models.ManyToManyField("assessments.RiskRating", blank=True,
                                   related_name="interventions",
                                   verbose_name=_("risks it reduces"))
    groups = models.ManyToManyField("assessments.ScopeGroup", blank=True, related_name="+",
                                    verbose_name=_("vulnerable groups served"))
    areas = models.ManyToManyField("assessments.RiskArea", blank=True, related_name="+",
                                   verbose_name=_("areas served"))
    agencies = models.ManyToManyField("people.Organisation", blank=True, related_name="+",
                                      verbose_name=_("responsible agencies"))
    cost = models.DecimalField(_("cost (THB)"), max_digits=14, decimal_places=2, null=True,
                               blank=True, validators=[MinValueValidator(Decimal("0"))])
    start_year = models.PositiveSmallIntegerField(
        _("start year"), null=True, blank=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)])
    end_year = models.PositiveSmallIntegerField(
        _("end year"), null=True, blank=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)])
    funding_source = models.CharField(_("funding source"), max_length=15,
                                      choices=FundingSource.choices, blank=True)
    funding_note = models.CharField(_("funding details"), max_length=300, blank=True)
    characteristics = models.JSONField(_("resilience characteristics strengthened"),
                                       default=list, blank=True)
    feasibility = models.JSONField(_("feasibility scores (1-5)"), default=dict, blank=True)
    plan_items = models.ManyToManyField("strategies.PlanItem", blank=True,
                                        related_name="interventions",
                                        verbose_name=_("development plan items"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = StrategyRecordQuerySet.as_manager()

    title = Localized("title")
    description = Localized("description")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("intervention")
        constraints = [
            models.CheckConstraint(condition=~Q(title_th=""),
                                   name="intervention_title_th_required"),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True) | Q(end_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="intervention_years_in_order"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": gettext("The end year is before the start "
                                                       "year.")})
        if self.issue_id and self.strategy_id and self.issue.strategy_id != self.strategy_id:
            raise ValidationError({"issue": gettext("That strategic issue belongs to another "
                                                    "strategy.")})


def check_same_city(city_id, risks):
    """The rule of every path (model signal, forms, API): an intervention or issue reduces
    only its own city's assessed risks."""
    from apps.assessments.models import RiskRating

    foreign = (RiskRating.objects.filter(pk__in=[getattr(r, "pk", r) for r in risks])
               .exclude(assessment__city_id=city_id).values_list("pk", flat=True))
    foreign = list(foreign)
    if foreign:
        raise ValidationError(
            {"risks": gettext("Risk %(ids)s belongs to another city's assessment; an "
                              "intervention may only address its own city's risks.")
             % {"ids": ", ".join(f"#{pk}" for pk in foreign)}}, code="other_city")


@receiver(m2m_changed, sender=Intervention.risks.through)
@receiver(m2m_changed, sender=StrategicIssue.risks.through)
def _refuse_other_city(sender, instance, action, reverse, pk_set, **kwargs):
    """Model-level guard: whatever code adds risks, another city's risk is refused."""
    if action != "pre_add" or not pk_set:
        return
    if reverse:  # risk.interventions.add(...): check each record against the risk's city
        model = kwargs["model"]
        city_id = instance.assessment.city_id
        if model.objects.filter(pk__in=pk_set).exclude(strategy__city_id=city_id).exists():
            raise ValidationError({"risks": gettext("A risk may only be linked to its own "
                                                    "city's strategy.")}, code="other_city")
        return
    check_same_city(instance.strategy.city_id, pk_set)


class StrategyVersion(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField()
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = StrategyRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["strategy", "number"],
                                               name="strategy_version_once")]

    def __str__(self):
        return f"v{self.number}"


def compare_versions(old, new):
    """What changed between two snapshots: vision, and interventions added, removed, changed
    (by id), as (kind, label, detail) rows."""
    rows = []
    for key in ("vision_th", "vision_en", "status"):
        if old.get(key) != new.get(key):
            rows.append(("changed", key, f"{old.get(key) or '—'} → {new.get(key) or '—'}"))
    for section in ("issues", "interventions"):
        before = {i["id"]: i for i in old.get(section, [])}
        after = {i["id"]: i for i in new.get(section, [])}
        for pk in sorted(after.keys() - before.keys()):
            rows.append(("added", section, after[pk]["title_th"]))
        for pk in sorted(before.keys() - after.keys()):
            rows.append(("removed", section, before[pk]["title_th"]))
        for pk in sorted(after.keys() & before.keys()):
            changed = sorted(k for k in after[pk] if after[pk][k] != before[pk].get(k))
            if changed:
                rows.append(("changed", section,
                             f"{after[pk]['title_th']}: {', '.join(changed)}"))
    return rows


from apps.strategies.devplan_models import DevPlan, PlanItem  # noqa: E402,F401
from apps.strategies.funding_models import FunderProposal, FunderSubmission  # noqa: E402,F401
