"""The climate vulnerability assessment of a city (plan activity 5).

Academic institutions and experts assess what climate hazards do to the city, on the scope SLD 1
set (`Assessment.objects.start()` copies it from the dialogue). One `Assessment` per city holds:

- the scope: hazards (`ScopeHazard`), urban systems (`ScopeSystem`), vulnerable groups
  (`ScopeGroup`) and areas at risk (`RiskArea`, with the groups living there);
- `RiskRating`: per hazard x urban system, likelihood 1-5 x consequence 1-5 = a score whose level
  (Low, Medium, High, Extreme) comes from the network's `AssessmentScale`;
- `VulnerabilityRating`: per urban system or vulnerable group, exposure, sensitivity and adaptive
  capacity (of people and organisations, and of institutions, as ISET's Climate Resilience
  Framework separates agents from institutions) giving a vulnerability index and level, plus
  the resilience characteristics it shows;
- `ExposureLayer` + `AreaExposure`: a population or asset layer and what each risk area holds;
- `HazardTrend` + `Projection`: per hazard, the current situation and projected changes with
  their sources (climate analyses attach to a trend as `TrendEvidence`).

The summary (`Assessment.summary()`) ranks the risks, the most vulnerable groups and areas, and
lists the data gaps. Visibility is the assessment's: published ones are public; records hang
off the assessment and follow it.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.scope import CityScopedQuerySet
from apps.core.audit import AppendOnly
from apps.core.concurrency import Versioned
from apps.core.i18n import Localized
from apps.dialogues.models import Hazard


class UrbanSystem(models.TextChoices):
    WATER_SUPPLY = "water_supply", _("Water supply")
    DRAINAGE = "drainage", _("Drainage and flood protection")
    ENERGY = "energy", _("Energy")
    TRANSPORT = "transport", _("Transport")
    HEALTH = "health", _("Health")
    FOOD = "food", _("Food")
    HOUSING = "housing", _("Housing")
    ECOSYSTEMS = "ecosystems", _("Ecosystems")
    COMMUNICATIONS = "communications", _("Communications")
    SOLID_WASTE = "solid_waste", _("Solid waste")
    ECONOMY = "economy", _("Economy and livelihoods")
    OTHER = "other", _("Other")


class Characteristic(models.TextChoices):
    """Resilience characteristics (ISET Climate Resilience Framework; Arup/Rockefeller City
    Resilience Index): of systems, of agents (people and organisations), of institutions."""

    FLEXIBILITY = "flexibility", _("Flexibility and diversity")
    REDUNDANCY = "redundancy", _("Redundancy and modularity")
    SAFE_FAILURE = "safe_failure", _("Safe failure")
    RESPONSIVENESS = "responsiveness", _("Responsiveness")
    RESOURCEFULNESS = "resourcefulness", _("Resourcefulness")
    LEARNING = "learning", _("Capacity to learn")
    INFORMATION = "information", _("Access to information")
    DECISION_MAKING = "decision_making", _("Inclusive decision-making")
    ENTITLEMENTS = "entitlements", _("Rights and entitlements")


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    EXTREME = "extreme", _("Extreme")


LEVEL_ORDER = [Level.LOW, Level.MEDIUM, Level.HIGH, Level.EXTREME]


def _rating(verbose):
    return models.PositiveSmallIntegerField(
        verbose, validators=[MinValueValidator(1), MaxValueValidator(5)])


def _one_to_five(*names):
    return [models.CheckConstraint(condition=Q(**{f"{n}__gte": 1, f"{n}__lte": 5}),
                                   name=f"%(class)s_{n}_1_5") for n in names]


class AssessmentScale(models.Model):
    """The network's scales (data, not code): the lowest score of each risk level (score =
    likelihood x consequence, 1-25) and the lowest vulnerability index of each level (1-5).
    A network without one uses the defaults below."""

    network = models.OneToOneField("networks.Network", on_delete=models.CASCADE,
                                   related_name="assessment_scale")
    risk_medium_from = models.PositiveSmallIntegerField(_("Medium risk from score"), default=5)
    risk_high_from = models.PositiveSmallIntegerField(_("High risk from score"), default=10)
    risk_extreme_from = models.PositiveSmallIntegerField(_("Extreme risk from score"), default=17)
    vulnerability_medium_from = models.DecimalField(
        _("Medium vulnerability from index"), max_digits=3, decimal_places=2, default=Decimal("2"))
    vulnerability_high_from = models.DecimalField(
        _("High vulnerability from index"), max_digits=3, decimal_places=2, default=Decimal("3"))
    vulnerability_extreme_from = models.DecimalField(
        _("Extreme vulnerability from index"), max_digits=3, decimal_places=2,
        default=Decimal("4"))

    class Meta:
        verbose_name = _("assessment scale")
        constraints = [
            models.CheckConstraint(
                condition=Q(risk_medium_from__gt=1) & Q(risk_high_from__gt=models.F("risk_medium_from"))
                & Q(risk_extreme_from__gt=models.F("risk_high_from")) & Q(risk_extreme_from__lte=25),
                name="assessment_scale_risk_thresholds_increase"),
            models.CheckConstraint(
                condition=Q(vulnerability_medium_from__gt=1)
                & Q(vulnerability_high_from__gt=models.F("vulnerability_medium_from"))
                & Q(vulnerability_extreme_from__gt=models.F("vulnerability_high_from"))
                & Q(vulnerability_extreme_from__lte=5),
                name="assessment_scale_vulnerability_thresholds_increase"),
        ]

    @classmethod
    def for_network(cls, network):
        return cls.objects.filter(network=network).first() or cls(network=network)

    def clean(self):
        if not 1 < self.risk_medium_from < self.risk_high_from < self.risk_extreme_from <= 25:
            raise ValidationError(_("Risk thresholds must increase: 1 < Medium < High < Extreme "
                                    "<= 25."), code="thresholds")
        if not (1 < self.vulnerability_medium_from < self.vulnerability_high_from
                < self.vulnerability_extreme_from <= 5):
            raise ValidationError(_("Vulnerability thresholds must increase: 1 < Medium < High "
                                    "< Extreme <= 5."), code="thresholds")

    def risk_level(self, score):
        if score is None:
            return None
        for level, start in ((Level.EXTREME, self.risk_extreme_from),
                             (Level.HIGH, self.risk_high_from),
                             (Level.MEDIUM, self.risk_medium_from)):
            if score >= start:
                return level
        return Level.LOW

    def vulnerability_level(self, index):
        if index is None:
            return None
        for level, start in ((Level.EXTREME, self.vulnerability_extreme_from),
                             (Level.HIGH, self.vulnerability_high_from),
                             (Level.MEDIUM, self.vulnerability_medium_from)):
            if index >= start:
                return level
        return Level.LOW

    def matrix_levels(self):
        """The level of every cell of the 5 x 5 matrix, consequence rows from 5 down."""
        return [[self.risk_level(l * c) for l in range(1, 6)] for c in range(5, 0, -1)]


class AssessmentQuerySet(CityScopedQuerySet):
    publishable = True

    def start(self, city, by):
        """The city's assessment, created on first call with the scope SLD 1 set: its risks'
        hazards (in their ranked order), its vulnerable groups and its risk areas."""
        from apps.dialogues.models import Dialogue

        with transaction.atomic():
            assessment, created = self.get_or_create(city=city, defaults={"created_by": by})
            if created:
                scope = Dialogue.objects.all().assessment_scope(city)
                assessment.copy_scope(scope, by)
            return assessment


class Assessment(Versioned, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        REVIEW = "review", _("Under review by the working group")
        FINAL = "final", _("Final")

    city = models.OneToOneField("networks.City", on_delete=models.CASCADE,
                                related_name="assessment", verbose_name=_("city"))
    lead = models.ForeignKey(
        "people.Organisation", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="assessments_led", verbose_name=_("lead institution"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    notes_th = models.TextField(_("notes (Thai)"), blank=True)
    notes_en = models.TextField(_("notes (English)"), blank=True)
    published = models.BooleanField(
        _("published"), default=False,
        help_text=_("Published assessments are visible to other cities and the public."))
    # The SLD 1 dialogue the scope was copied from, if any.
    scoped_from = models.ForeignKey("dialogues.Dialogue", on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("vulnerability assessment")
        verbose_name_plural = _("vulnerability assessments")

    def __str__(self):
        return str(_("Vulnerability assessment of %(city)s") % {"city": self.city})

    notes = Localized("notes")

    @property
    def scale(self):
        if not hasattr(self, "_scale"):
            self._scale = AssessmentScale.for_network(self.city.network)
        return self._scale

    def copy_scope(self, scope, by):
        """Copy SLD 1's records in (once): later edits of either side stay independent, and
        `from_*` keeps the link so a page can say where a scope item came from."""
        self.scoped_from = scope.dialogue
        self.save(update_fields=["scoped_from", "updated_at"])
        for order, hazard in enumerate(scope.hazards, 1):
            ScopeHazard.objects.get_or_create(assessment=self, hazard=hazard,
                                              defaults={"order": order})
        groups = {}
        for order, group in enumerate(scope.groups, 1):
            groups[group.pk] = ScopeGroup.objects.create(
                assessment=self, order=order, name_th=group.name_th, name_en=group.name_en,
                description_th=group.description_th, description_en=group.description_en,
                from_group=group)
        for order, area in enumerate(scope.areas, 1):
            RiskArea.objects.create(
                assessment=self, order=order, name_th=area.name_th, name_en=area.name_en,
                hazard=area.hazard, geometry=area.geometry, source=RiskArea.Source.SLD,
                from_area=area)
        if scope.dialogue is not None:
            self.log(by, AssessmentChange.Action.SCOPE, f"SLD 1 #{scope.dialogue.pk}")

    def log(self, by, action, detail=""):
        AssessmentChange.objects.create(assessment=self, by=by if by and by.pk else None,
                                        action=action, detail=str(detail)[:300])

    def set_published(self, by, published):
        with transaction.atomic():
            self.published = published
            self.save(update_fields=["published", "updated_at"])
            self.log(by, AssessmentChange.Action.PUBLISH if published
                     else AssessmentChange.Action.UNPUBLISH)

    def next_order(self, related):
        last = related.aggregate(top=models.Max("order"))["top"]
        return 1 if last is None else last + 1

    # -- the summary ------------------------------------------------------------------
    def summary(self, top=5):
        """Top risks, the most vulnerable groups and systems, the areas with the most people
        exposed, and the data gaps: what the working group reads first. Seven queries."""
        scale = self.scale
        risks = list(self.risks.all())
        vulnerabilities = list(self.vulnerabilities.select_related("group"))
        areas = list(self.areas.prefetch_related("exposures__layer", "groups"))
        hazards = [h.hazard for h in self.hazards.all()]
        systems = [s.system for s in self.systems.all()]
        groups = list(self.groups.all())
        trends = {t.hazard: t for t in self.trends.prefetch_related("projections")}
        for area in areas:
            area.population = sum(e.value for e in area.exposures.all()
                                  if e.layer.kind == ExposureLayer.Kind.POPULATION)
        level_counts = {level: 0 for level in LEVEL_ORDER}
        for risk in risks:
            risk.assessment = self
            level_counts[scale.risk_level(risk.score)] += 1
        for vulnerability in vulnerabilities:
            vulnerability.assessment = self
        return Summary(
            risks=risks[:top],
            vulnerable=vulnerabilities[:top],
            areas=sorted(areas, key=lambda a: -a.population)[:top],
            gaps=self.gaps(hazards, systems, groups, risks, vulnerabilities, areas, trends),
            level_counts=level_counts,
        )

    @staticmethod
    def gaps(hazards, systems, groups, risks, vulnerabilities, areas, trends):
        """What the assessment still lacks, as sentences for the working group."""
        gaps = []
        hazard_labels, system_labels = dict(Hazard.choices), dict(UrbanSystem.choices)
        rated = {r.hazard for r in risks}
        for hazard in hazards:
            if hazard not in rated:
                gaps.append(gettext("No risk rated for %(hazard)s yet.")
                            % {"hazard": hazard_labels[hazard]})
            trend = trends.get(hazard)
            if trend is None:
                gaps.append(gettext("No current situation or projection recorded for %(hazard)s.")
                            % {"hazard": hazard_labels[hazard]})
            elif not trend.sources.strip() and not list(trend.projections.all()):
                gaps.append(gettext("The trend of %(hazard)s cites no source and no projection.")
                            % {"hazard": hazard_labels[hazard]})
        rated_systems = {v.system for v in vulnerabilities if v.system}
        for system in systems:
            if system not in rated_systems:
                gaps.append(gettext("The vulnerability of %(system)s is not assessed.")
                            % {"system": system_labels[system]})
        rated_groups = {v.group_id for v in vulnerabilities if v.group_id}
        for group in groups:
            if group.pk not in rated_groups:
                gaps.append(gettext("The vulnerability of %(group)s is not assessed.")
                            % {"group": group.name})
        for area in areas:
            if not area.groups.all():
                gaps.append(gettext("No vulnerable group is recorded as living in %(area)s.")
                            % {"area": area.name})
        if not any(r.evidence.strip() for r in risks) and risks:
            gaps.append(gettext("No risk rating cites its evidence."))
        return gaps


class AssessmentChange(AppendOnly):
    """Who changed what in an assessment, with the value before and after where it matters."""

    class Action(models.TextChoices):
        SCOPE = "scope", _("Scope copied from SLD 1")
        EDIT = "edit", _("Edited")
        ADD = "add", _("Added")
        REMOVE = "remove", _("Removed")
        RATE = "rate", _("Rated")
        PUBLISH = "publish", _("Published")
        UNPUBLISH = "unpublish", _("Unpublished")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    action = models.CharField(max_length=12, choices=Action.choices)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class AssessmentRecordQuerySet(CityScopedQuerySet):
    city_path = "assessment__city"

    def visible_to(self, user):
        return self.filter(assessment__in=Assessment.objects.visible_to(user))


class AssessmentRecord(models.Model):
    """A record of an assessment, in the order it was added."""

    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = AssessmentRecordQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "id"]


class ScopeHazard(AssessmentRecord):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="hazards")
    hazard = models.CharField(_("hazard"), max_length=20, choices=Hazard.choices)

    class Meta(AssessmentRecord.Meta):
        verbose_name = _("hazard in scope")
        constraints = [models.UniqueConstraint(fields=["assessment", "hazard"],
                                               name="scope_hazard_once")]

    def __str__(self):
        return self.get_hazard_display()


class ScopeSystem(AssessmentRecord):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="systems")
    system = models.CharField(_("urban system"), max_length=20, choices=UrbanSystem.choices)

    class Meta(AssessmentRecord.Meta):
        verbose_name = _("urban system in scope")
        constraints = [models.UniqueConstraint(fields=["assessment", "system"],
                                               name="scope_system_once")]

    def __str__(self):
        return self.get_system_display()


class ScopeGroup(AssessmentRecord):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="groups")
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    from_group = models.ForeignKey("dialogues.VulnerableGroup", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta(AssessmentRecord.Meta):
        verbose_name = _("vulnerable group")
        verbose_name_plural = _("vulnerable groups")
        constraints = [models.CheckConstraint(condition=~Q(name_th=""),
                                              name="scope_group_name_th_required")]

    def __str__(self):
        return self.name

    name = Localized("name")
    description = Localized("description")


class RiskArea(AssessmentRecord):
    """An area at risk of a hazard: drawn in the browser, uploaded, or copied from SLD 1.
    The geometry is GeoJSON in WGS 84 (apps.core.layers repairs or refuses what comes in)."""

    class Source(models.TextChoices):
        SLD = "sld", _("From SLD 1")
        DRAWN = "drawn", _("Drawn")
        UPLOADED = "uploaded", _("Uploaded")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="areas")
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    hazard = models.CharField(_("hazard"), max_length=20, choices=Hazard.choices)
    geometry = models.JSONField(_("area (GeoJSON)"))
    groups = models.ManyToManyField(ScopeGroup, blank=True, related_name="areas",
                                    verbose_name=_("vulnerable groups living there"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices,
                              default=Source.DRAWN)
    note = models.CharField(_("note"), max_length=300, blank=True)
    from_area = models.ForeignKey("dialogues.RiskArea", on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+")

    class Meta(AssessmentRecord.Meta):
        verbose_name = _("risk area")
        verbose_name_plural = _("risk areas")
        constraints = [models.CheckConstraint(condition=~Q(name_th=""),
                                              name="assessment_area_name_th_required")]

    def __str__(self):
        return self.name

    name = Localized("name")

    def as_feature(self):
        return {
            "type": "Feature", "id": self.pk, "geometry": self.geometry,
            "properties": {"name": self.name, "hazard": self.hazard,
                           "hazard_label": str(self.get_hazard_display())},
        }


class RiskRating(models.Model):
    """The climate risk of a hazard to an urban system: likelihood x consequence."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="risks")
    hazard = models.CharField(_("hazard"), max_length=20, choices=Hazard.choices)
    system = models.CharField(_("urban system"), max_length=20, choices=UrbanSystem.choices)
    likelihood = _rating(_("likelihood"))
    consequence = _rating(_("consequence"))
    score = models.PositiveSmallIntegerField(_("score"), editable=False)
    justification_th = models.TextField(_("justification (Thai)"))
    justification_en = models.TextField(_("justification (English)"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True,
                                help_text=_("Data, studies or observations the rating rests on."))
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 related_name="+")
    rated_at = models.DateTimeField(default=timezone.now)

    objects = AssessmentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("climate risk")
        verbose_name_plural = _("climate risks")
        ordering = ["-score", "-consequence", "hazard", "system"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "hazard", "system"],
                                    name="risk_rating_once_per_hazard_system"),
            *_one_to_five("likelihood", "consequence"),
            models.CheckConstraint(condition=Q(score=models.F("likelihood") * models.F("consequence")),
                                   name="risk_rating_score_is_product"),
            models.CheckConstraint(condition=~Q(justification_th=""),
                                   name="risk_rating_justification_required"),
        ]

    def __str__(self):
        return f"{self.get_hazard_display()} × {self.get_system_display()}: {self.score}"

    justification = Localized("justification")

    def save(self, *args, **kwargs):
        self.score = self.likelihood * self.consequence
        super().save(*args, **kwargs)

    @property
    def level(self):
        return self.assessment.scale.risk_level(self.score)

    @property
    def level_label(self):
        return Level(self.level).label


class VulnerabilityRating(models.Model):
    """How vulnerable an urban system or a vulnerable group is, from exposure, sensitivity and
    adaptive capacity (1-5 each). The index is the usual additive composite (IPCC AR4's
    V = f(E, S, AC)): mean of exposure, sensitivity and (6 - adaptive capacity), where adaptive
    capacity is the mean of that of people and organisations and that of institutions."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="vulnerabilities")
    system = models.CharField(_("urban system"), max_length=20, choices=UrbanSystem.choices,
                              blank=True)
    group = models.ForeignKey(ScopeGroup, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="vulnerabilities", verbose_name=_("vulnerable group"))
    exposure = _rating(_("exposure"))
    sensitivity = _rating(_("sensitivity"))
    capacity_agents = _rating(_("adaptive capacity of people and organisations"))
    capacity_institutions = _rating(_("adaptive capacity of institutions"))
    index = models.DecimalField(_("vulnerability index"), max_digits=3, decimal_places=2,
                                editable=False)
    characteristics = models.JSONField(_("resilience characteristics present"), default=list,
                                       blank=True)
    justification_th = models.TextField(_("justification (Thai)"), blank=True)
    justification_en = models.TextField(_("justification (English)"), blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 related_name="+")
    rated_at = models.DateTimeField(default=timezone.now)

    objects = AssessmentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("vulnerability")
        verbose_name_plural = _("vulnerabilities")
        ordering = ["-index", "system", "group"]
        constraints = [
            *_one_to_five("exposure", "sensitivity", "capacity_agents", "capacity_institutions"),
            # Exactly one of system and group.
            models.CheckConstraint(condition=(Q(system="") & Q(group__isnull=False))
                                   | (~Q(system="") & Q(group__isnull=True)),
                                   name="vulnerability_system_xor_group"),
            models.UniqueConstraint(fields=["assessment", "system"], condition=~Q(system=""),
                                    name="vulnerability_once_per_system"),
            models.UniqueConstraint(fields=["group"], name="vulnerability_once_per_group"),
        ]

    def __str__(self):
        return f"{self.target}: {self.index}"

    justification = Localized("justification")

    @property
    def target(self):
        return self.group if self.group_id else self.get_system_display()

    @staticmethod
    def compute_index(exposure, sensitivity, capacity_agents, capacity_institutions):
        capacity = Decimal(capacity_agents + capacity_institutions) / 2
        value = (Decimal(exposure) + Decimal(sensitivity) + (6 - capacity)) / 3
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def clean(self):
        unknown = set(self.characteristics or []) - set(Characteristic.values)
        if unknown:
            raise ValidationError({"characteristics": _("Unknown characteristic: %(codes)s")
                                   % {"codes": ", ".join(sorted(unknown))}})

    def save(self, *args, **kwargs):
        self.index = self.compute_index(self.exposure, self.sensitivity, self.capacity_agents,
                                        self.capacity_institutions)
        super().save(*args, **kwargs)

    @property
    def level(self):
        return self.assessment.scale.vulnerability_level(self.index)

    @property
    def level_label(self):
        return Level(self.level).label

    def characteristic_labels(self):
        labels = dict(Characteristic.choices)
        return [labels[c] for c in self.characteristics if c in labels]


class ExposureLayer(models.Model):
    """A population or asset layer (points or polygons with a numeric attribute) uploaded to
    compute what each risk area exposes."""

    class Kind(models.TextChoices):
        POPULATION = "population", _("Population")
        ASSETS = "assets", _("Assets")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="exposure_layers")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    attribute = models.CharField(_("attribute counted"), max_length=100)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    features = models.JSONField(_("features (GeoJSON)"))
    feature_count = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = AssessmentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("exposure layer")
        ordering = ["kind", "name", "id"]

    def __str__(self):
        return self.name


class AreaExposure(models.Model):
    area = models.ForeignKey(RiskArea, on_delete=models.CASCADE, related_name="exposures")
    layer = models.ForeignKey(ExposureLayer, on_delete=models.CASCADE, related_name="exposures")
    value = models.FloatField(_("exposed"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "layer"],
                                               name="area_exposure_once")]


class HazardTrend(models.Model):
    """Per hazard: the situation now and how it is projected to change, with sources."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="trends")
    hazard = models.CharField(_("hazard"), max_length=20, choices=Hazard.choices)
    current_th = models.TextField(_("current situation (Thai)"))
    current_en = models.TextField(_("current situation (English)"), blank=True)
    sources = models.TextField(_("sources"), blank=True)

    objects = AssessmentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("hazard trend")
        ordering = ["hazard"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "hazard"], name="hazard_trend_once"),
            models.CheckConstraint(condition=~Q(current_th=""), name="hazard_trend_current_th"),
        ]

    current = Localized("current")


class Projection(models.Model):
    trend = models.ForeignKey(HazardTrend, on_delete=models.CASCADE, related_name="projections")
    horizon = models.PositiveSmallIntegerField(
        _("horizon (year)"), validators=[MinValueValidator(2000), MaxValueValidator(2200)])
    scenario = models.CharField(_("scenario"), max_length=60,
                                help_text=_("For example SSP2-4.5 or RCP8.5."))
    change_th = models.TextField(_("projected change (Thai)"))
    change_en = models.TextField(_("projected change (English)"), blank=True)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["horizon", "scenario", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(horizon__gte=2000) & Q(horizon__lte=2200),
                                   name="projection_horizon_range"),
            models.CheckConstraint(condition=~Q(change_th=""), name="projection_change_th"),
        ]

    change = Localized("change")


class TrendEvidence(models.Model):
    """A climate analysis of the city's station data cited for a hazard's trend: one index of
    it (e.g. Rx1day for floods), shown with its trend test and slope (apps.climate)."""

    trend = models.ForeignKey(HazardTrend, on_delete=models.CASCADE, related_name="evidence")
    analysis = models.ForeignKey("climate.Analysis", on_delete=models.CASCADE,
                                 related_name="cited_by", verbose_name=_("climate analysis"))
    index = models.CharField(_("index"), max_length=20)
    note = models.CharField(_("note"), max_length=300, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("climate evidence")
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["trend", "analysis", "index"],
                                               name="trend_evidence_once")]

    def __str__(self):
        return f"{self.index} · {self.analysis.station}"


@dataclass
class Summary:
    risks: list
    vulnerable: list
    areas: list
    gaps: list
    level_counts: dict
