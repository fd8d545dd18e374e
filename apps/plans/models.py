"""The activity plan as data: a versioned template that networks adopt.

A published template is frozen, because cities' progress points at its activities; changes go
into a new draft version (`new_version()`), which a network then adopts.
"""
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from apps.core.i18n import BilingualMixin, Localized, localized


class Lead(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    WORKING_GROUP = "working_group", _("Core working group")
    TEI = "tei", _("Thailand Environment Institute (TEI)")
    EXPERTS = "experts", _("Experts and academia")
    ISET = "iset", _("ISET")
    FUNDER = "funder", _("Funder")
    PARTNERS = "partners", _("Partner agencies")


class ActivityKind(models.TextChoices):
    GROUP = "group", _("Working group")
    EVENT = "event", _("Event")
    SLD = "sld", _("Shared Learning Dialogue")
    STUDY = "study", _("Study")
    WORKSHOP = "workshop", _("Network workshop")
    PROPOSALS = "proposals", _("Call for proposals")
    SELECTION = "selection", _("Selection")
    IMPLEMENTATION = "implementation", _("Implementation")
    MONITORING = "monitoring", _("Monitoring and evaluation")
    FORUM = "forum", _("National forum")
    STRATEGY = "strategy", _("Strategy")


class PlanTemplate(BilingualMixin):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    code = models.SlugField(_("code"), max_length=64)
    version = models.PositiveIntegerField(_("version"), default=1)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # The month the windows below are written against; adoption shifts them to the network's
    # own start month.
    reference_start = models.DateField(_("reference start"))
    owner = models.ForeignKey(
        "networks.Network", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="owned_plans", verbose_name=_("owner network"),
    )
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="successors",
        verbose_name=_("based on"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="plan_code_version_unique")
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"

    @property
    def is_editable(self):
        return self.status == self.Status.DRAFT

    def publish(self):
        self.status = self.Status.PUBLISHED
        self.save(update_fields=["status"])

    @transaction.atomic
    def new_version(self):
        """A draft copy with the next version number, its activities and prerequisites."""
        latest = PlanTemplate.objects.filter(code=self.code).order_by("-version").first()
        copy = PlanTemplate.objects.create(
            code=self.code, version=latest.version + 1, name_th=self.name_th,
            name_en=self.name_en, reference_start=self.reference_start, owner=self.owner,
            based_on=self,
        )
        mapping = {}
        for activity in self.activities.all():
            old_pk = activity.pk
            activity.pk = None
            activity.plan = copy
            activity.save()
            mapping[old_pk] = activity
        through = PlanActivity.prerequisites.through
        through.objects.bulk_create(
            through(from_planactivity=mapping[row.from_planactivity_id],
                    to_planactivity=mapping[row.to_planactivity_id])
            for row in through.objects.filter(from_planactivity__plan=self)
        )
        return copy


class PlanActivity(BilingualMixin):
    plan = models.ForeignKey(
        PlanTemplate, on_delete=models.CASCADE, related_name="activities",
        verbose_name=_("plan"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    name_th = models.CharField(_("name (Thai)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    description_th = models.TextField(_("what happens (Thai)"), blank=True)
    description_en = models.TextField(_("what happens (English)"), blank=True)
    # One expected output per line.
    outputs_th = models.TextField(_("expected outputs (Thai)"), blank=True)
    outputs_en = models.TextField(_("expected outputs (English)"), blank=True)
    # The window as the plan words it ("1 วัน ช่วงเดือนมกราคม") and as dates.
    window_th = models.CharField(_("planned window (Thai)"), max_length=200, blank=True)
    window_en = models.CharField(_("planned window (English)"), max_length=200, blank=True)
    window_start = models.DateField(_("window start"))
    window_end = models.DateField(
        _("window end"), null=True, blank=True,
        help_text=_("Leave empty for open-ended work (e.g. 'from July onwards')."),
    )
    location_th = models.CharField(_("place (Thai)"), max_length=200, blank=True)
    location_en = models.CharField(_("place (English)"), max_length=200, blank=True)
    participant_cap = models.PositiveIntegerField(_("participant cap"), null=True, blank=True)
    cap_per_city = models.PositiveIntegerField(
        _("representatives per city"), null=True, blank=True
    )
    leads = models.JSONField(_("who leads"), default=list, blank=True)
    network_wide = models.BooleanField(
        _("network-wide"), default=False,
        help_text=_("Every city of the network takes part, partner cities included."),
    )
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_by",
        verbose_name=_("prerequisites"),
    )

    class Meta:
        verbose_name = _("plan activity")
        verbose_name_plural = _("plan activities")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_activity_number"),
            models.CheckConstraint(
                condition=models.Q(window_end__isnull=True)
                | models.Q(window_end__gte=models.F("window_start")),
                name="plan_activity_window_order",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    description = Localized("description")

    window = Localized("window")

    location = Localized("location")

    @property
    def outputs(self):
        return [line.strip(" •-") for line in localized(self, "outputs").splitlines() if line.strip()]

    def sld_number(self):
        """1, 2, 3 for the plan's Shared Learning Dialogues in order; None for other kinds."""
        if self.kind != ActivityKind.SLD:
            return None
        return PlanActivity.objects.filter(
            plan_id=self.plan_id, kind=ActivityKind.SLD, number__lte=self.number).count()

    def lead_labels(self):
        labels = dict(Lead.choices)
        return [labels.get(value, value) for value in self.leads]

    def clean(self):
        errors = {}
        if self.window_end and self.window_start and self.window_end < self.window_start:
            errors["window_end"] = _("The window cannot end before it starts.")
        unknown = [value for value in self.leads or [] if value not in Lead.values]
        if unknown:
            errors["leads"] = _("Unknown lead: %(values)s.") % {"values": ", ".join(unknown)}
        if self.plan_id and not self.plan.is_editable:
            errors["plan"] = _("A published plan cannot change; make a new version.")
        if errors:
            raise ValidationError(errors)

    def check_prerequisites(self, prerequisites):
        """Prerequisites come from the same plan and never form a cycle."""
        for other in prerequisites:
            if other.plan_id != self.plan_id:
                raise ValidationError(_("A prerequisite must belong to the same plan."))
            if other.pk == self.pk:
                raise ValidationError(_("An activity cannot be its own prerequisite."))
        edges = {
            a: set(b)
            for a, b in _edges(self.plan_id).items()
        }
        edges[self.pk] = {p.pk for p in prerequisites}
        seen, stack = set(), list(edges[self.pk])
        while stack:
            node = stack.pop()
            if node == self.pk:
                raise ValidationError(_("These prerequisites would make a cycle."))
            if node not in seen:
                seen.add(node)
                stack.extend(edges.get(node, ()))


def _edges(plan_id):
    through = PlanActivity.prerequisites.through
    edges = {}
    for source, target in through.objects.filter(from_planactivity__plan_id=plan_id).values_list(
        "from_planactivity_id", "to_planactivity_id"
    ):
        edges.setdefault(source, set()).add(target)
    return edges
