"""Shared Learning Dialogues (SLD): what each of a city's three dialogues recorded.

An SLD is a one-day, semi-structured meeting of the city's core working group (plan activities
4, 7 and 12, the plan activities of kind "sld"; "SLD n" is the n-th of them in the plan):
organisers present a synthesis, participants add data and views, and the dialogue records
points of agreement, knowledge gaps and needs. A `Dialogue` is the record of one SLD city
activity. What it produced lives in a few small models:

- `DialogueItem`: the sentences every SLD keeps, typed by `kind`: inputs presented, issues
  raised, points of agreement, knowledge gaps, needs for research or pilots, and the
  SLD-specific strategic issues (SLD 2) and pilot progress (SLD 3). One model, because they are
  all "a text in Thai, maybe in English, in an order" and differ only in the heading they sit
  under; a new kind is a new choice, not a new table.
- `Risk`, `VulnerableGroup`, `RiskArea`, `Nomination` (SLD 1): together the scope of the city's
  vulnerability assessment (activity 5), see `DialogueQuerySet.assessment_scope()`. They are
  models of their own because a later app reads their structure: a hazard from a fixed list,
  a GeoJSON geometry, an organisation.
- `Indicator` (SLD 3): the M&E criteria and indicators agreed, with a unit, which the pilot
  monitoring (activity 13) will report against.
- `FollowUpAction`: who does what by when; open or done.
- `DialogueChange`: the history shown to the city's team.

Votes that rank a dialogue's issues, needs or risks are in apps.dialogues.votes.
"""
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.scope import CityScopedQuerySet
from apps.core.geo import clean_polygon
from apps.core.audit import AppendOnly
from apps.core.concurrency import Versioned
from apps.core.i18n import Localized
from apps.plans.models import ActivityKind


class Hazard(models.TextChoices):
    FLOOD = "flood", _("Flood")
    FLASH_FLOOD = "flash_flood", _("Flash flood")
    DROUGHT = "drought", _("Drought")
    WATER_SHORTAGE = "water_shortage", _("Water shortage")
    HEAT = "heat", _("Heat")
    STORM = "storm", _("Storm")
    LANDSLIDE = "landslide", _("Landslide")
    HAZE = "haze", _("Haze")
    SEA_LEVEL_RISE = "sea_level_rise", _("Sea-level rise")
    OTHER = "other", _("Other")


class ItemKind(models.TextChoices):
    INPUT = "input", _("Input presented")
    ISSUE = "issue", _("Issue raised")
    AGREEMENT = "agreement", _("Point of agreement")
    GAP = "gap", _("Knowledge gap")
    NEED = "need", _("Need for research or a pilot project")
    STRATEGIC_ISSUE = "strategic_issue", _("Strategic issue for a sector study")
    PILOT_PROGRESS = "pilot_progress", _("Pilot progress discussed")


# What each SLD collects besides the common items and follow-up actions, after the plan's
# expected outputs: SLD 1 the scope of the vulnerability assessment; SLD 2 the risk areas
# (refined by the assessment), the strategic issues and the pilot needs (ranked by a vote);
# SLD 3 the M&E indicators and the pilots' progress. Pages show a section when its SLD
# collects it or when it holds records anyway, so nothing recorded is ever hidden.
COMMON_KINDS = (ItemKind.INPUT, ItemKind.ISSUE, ItemKind.AGREEMENT, ItemKind.GAP, ItemKind.NEED)
SLD_OUTPUTS = {
    1: {"risks", "groups", "areas", "nominations"},
    2: {"areas", ItemKind.STRATEGIC_ISSUE},
    3: {"indicators", ItemKind.PILOT_PROGRESS},
}


def item_kinds_for(number):
    """The item kinds SLD `number` collects, in the order pages show them."""
    outputs = SLD_OUTPUTS.get(number, set())
    special = [kind for kind in (ItemKind.STRATEGIC_ISSUE, ItemKind.PILOT_PROGRESS)
               if kind in outputs]
    return [*COMMON_KINDS, *special]


def sld_plan_activities(plan_id):
    """The plan's SLD activities in plan order: SLD n is the n-th of them."""
    from apps.plans.models import PlanActivity

    return list(PlanActivity.objects.filter(plan_id=plan_id, kind=ActivityKind.SLD)
                .order_by("number"))


class DialogueQuerySet(CityScopedQuerySet):
    city_path = "city_activity__city"
    publishable = True

    def with_sld_number(self):
        """Annotate `sld_number` (1, 2, 3) in the same query: the count of the plan's SLD
        activities up to this one."""
        from apps.plans.models import PlanActivity

        upto = (
            PlanActivity.objects.filter(
                plan=OuterRef("city_activity__plan_activity__plan"), kind=ActivityKind.SLD,
                number__lte=OuterRef("city_activity__plan_activity__number"),
            ).order_by().values("plan").annotate(n=Count("pk")).values("n")
        )
        return self.annotate(sld_number=Subquery(upto))

    def with_counts(self):
        """Numbers of records per dialogue, each from its own subquery: joining the tables
        instead would multiply the rows and the counts."""
        def count(model, **filters):
            rows = (model.objects.filter(dialogue=OuterRef("pk"), **filters).order_by()
                    .values("dialogue").annotate(n=Count("pk")).values("n"))
            return Coalesce(Subquery(rows), 0)

        today = timezone.localdate()
        return self.annotate(
            item_count=count(DialogueItem), risk_count=count(Risk),
            group_count=count(VulnerableGroup), area_count=count(RiskArea),
            nomination_count=count(Nomination), indicator_count=count(Indicator),
            open_action_count=count(FollowUpAction, status=FollowUpAction.Status.OPEN),
            overdue_action_count=count(FollowUpAction, status=FollowUpAction.Status.OPEN,
                                       due__lt=today),
        )

    def for_sld(self, city, number):
        """The city's dialogue for SLD `number` (1-based), or None."""
        activities = sld_plan_activities(city.network.plan_id)
        if not 1 <= number <= len(activities):
            return None
        return self.filter(city_activity__city=city,
                           city_activity__plan_activity=activities[number - 1]).first()

    def assessment_scope(self, city):
        """The scope of the city's vulnerability assessment as SLD 1 set it (see
        AssessmentScope). Call it on `visible_to(user)` so unpublished records stay private."""
        dialogue = self.for_sld(city, 1)
        if dialogue is None:
            return AssessmentScope(dialogue=None)
        risks = list(dialogue.risks.all())
        # The latest closed vote that ranked risks orders them; unranked ones follow as recorded.
        vote = (Vote.objects.filter(dialogue=dialogue, status=Vote.Status.CLOSED,
                                    options__risk__isnull=False)
                .order_by("-closed_at", "-pk").distinct().first())
        if vote is not None:
            place = {r.option.risk_id: r.place for r in vote.results() if r.option.risk_id}
            risks.sort(key=lambda risk: place.get(risk.pk, len(place) + 1))
        return AssessmentScope(
            dialogue=dialogue, risks=risks, groups=list(dialogue.groups.all()),
            areas=list(dialogue.areas.all()),
            nominations=list(dialogue.nominations.select_related("organisation")),
            ranked_by=vote,
        )


@dataclass
class AssessmentScope:
    """What SLD 1 asked the vulnerability assessment (activity 5) to study: the risks (in
    priority order when a vote ranked them), the vulnerable groups, the risk areas and who was
    nominated to do it. An assessment app prefills its scope from this."""

    dialogue: "Dialogue | None"
    risks: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    areas: list = field(default_factory=list)
    nominations: list = field(default_factory=list)
    ranked_by: object = None  # the closed Vote that ordered the risks, if any

    @property
    def hazards(self):
        """The distinct hazards, in the risks' priority order."""
        return list(dict.fromkeys(risk.hazard for risk in self.risks))

    def areas_geojson(self):
        return feature_collection(self.areas)

    def __bool__(self):
        return bool(self.risks or self.groups or self.areas or self.nominations)


class Dialogue(Versioned, models.Model):
    city_activity = models.OneToOneField(
        "progress.CityActivity", on_delete=models.CASCADE, related_name="dialogue",
        verbose_name=_("activity"),
    )
    # The event the dialogue was held at (agenda, registrations, materials), if recorded there.
    event = models.ForeignKey(
        "events.Event", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="dialogues", verbose_name=_("event"),
    )
    date = models.DateField(_("date held"), null=True, blank=True)
    summary_th = models.TextField(_("summary (Thai)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    published = models.BooleanField(
        _("published"), default=False,
        help_text=_("Published dialogues are visible to other cities and the public."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DialogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("shared learning dialogue")
        verbose_name_plural = _("shared learning dialogues")
        ordering = ["city_activity__city", "city_activity__plan_activity__number"]

    def __str__(self):
        return str(self.city_activity)

    summary = Localized("summary")

    @property
    def city(self):
        return self.city_activity.city

    @property
    def number(self):
        """1, 2 or 3: annotated by with_sld_number(), else looked up."""
        if getattr(self, "sld_number", None) is None:
            activities = sld_plan_activities(self.city_activity.plan_activity.plan_id)
            ids = [a.pk for a in activities]
            pa = self.city_activity.plan_activity_id
            self.sld_number = ids.index(pa) + 1 if pa in ids else None
        return self.sld_number

    def collects(self, output):
        """Whether this SLD collects `output` ("risks", "areas", an ItemKind...)."""
        return output in SLD_OUTPUTS.get(self.number, set()) or output in COMMON_KINDS

    def require_collects(self, output):
        """Refuse a record this SLD does not collect (a risk at SLD 3, say)."""
        if not self.collects(output):
            raise ValidationError(_("SLD %(number)s does not record this.")
                                  % {"number": self.number}, code="not_collected")

    def clean(self):
        # The anchor must be an SLD: a dialogue record on the launch or a study is a mistake
        # the database cannot see (the kind lives on the plan activity).
        if self.city_activity_id and self.city_activity.plan_activity.kind != ActivityKind.SLD:
            raise ValidationError({"city_activity": _(
                "A dialogue can only be recorded on a Shared Learning Dialogue activity.")})
        if self.event_id and self.event.city_activity_id != self.city_activity_id:
            raise ValidationError({"event": _("Choose an event of this dialogue's activity.")})

    # -- changes ---------------------------------------------------------------------
    def set_published(self, by, published):
        with transaction.atomic():
            self.published = published
            self.save(update_fields=["published", "updated_at"])
            self.log(by, DialogueChange.Action.PUBLISH if published
                     else DialogueChange.Action.UNPUBLISH)

    def log(self, by, action, detail=""):
        DialogueChange.objects.create(dialogue=self, by=by if by and by.pk else None,
                                      action=action, detail=str(detail)[:300])

    def next_order(self, related):
        last = related.aggregate(top=models.Max("order"))["top"]
        return 1 if last is None else last + 1


class DialogueChange(AppendOnly):
    """Who changed what on a dialogue: its team's record of how the minutes came about."""

    class Action(models.TextChoices):
        CREATE = "create", _("Record started")
        EDIT = "edit", _("Summary edited")
        PUBLISH = "publish", _("Published")
        UNPUBLISH = "unpublish", _("Unpublished")
        ADD = "add", _("Added")
        REMOVE = "remove", _("Removed")
        ACTION_DONE = "action_done", _("Follow-up action done")
        ACTION_REOPENED = "action_reopened", _("Follow-up action reopened")
        VOTE_OPENED = "vote_opened", _("Vote opened")
        VOTE_CLOSED = "vote_closed", _("Vote closed")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]


def _thai_required(name):
    """A check that a Thai text is not empty: Thai is the record's language; English optional."""
    return models.CheckConstraint(condition=~Q(**{f"{name}_th": ""}),
                                  name=f"%(class)s_{name}_th_required")


class OrderedRecord(models.Model):
    """A record of a dialogue, kept in the order it was added (or reordered)."""

    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "id"]


class DialogueItem(OrderedRecord):
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="items",
                                 verbose_name=_("dialogue"))
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    text_th = models.TextField(_("text (Thai)"))
    text_en = models.TextField(_("text (English)"), blank=True)

    class Meta(OrderedRecord.Meta):
        verbose_name = _("dialogue record")
        verbose_name_plural = _("dialogue records")
        constraints = [_thai_required("text")]

    def __str__(self):
        return self.text

    text = Localized("text")


class Risk(OrderedRecord):
    """An impact or risk the city faces from climate change (SLD 1)."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="risks",
                                 verbose_name=_("dialogue"))
    hazard = models.CharField(_("hazard"), max_length=20, choices=Hazard.choices)
    description_th = models.TextField(_("description (Thai)"))
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta(OrderedRecord.Meta):
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        constraints = [_thai_required("description")]

    def __str__(self):
        return f"{self.get_hazard_display()}: {self.description}"

    description = Localized("description")


class VulnerableGroup(OrderedRecord):
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="groups",
                                 verbose_name=_("dialogue"))
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta(OrderedRecord.Meta):
        verbose_name = _("vulnerable group")
        verbose_name_plural = _("vulnerable groups")
        constraints = [_thai_required("name")]

    def __str__(self):
        return self.name

    name = Localized("name")

    description = Localized("description")


class RiskArea(OrderedRecord):
    """An area at risk, drawn or uploaded as a GeoJSON Polygon/MultiPolygon in WGS 84."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="areas",
                                 verbose_name=_("dialogue"))
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    hazard = models.CharField(_("hazard"), max_length=20, choices=Hazard.choices)
    geometry = models.JSONField(_("area (GeoJSON)"))

    class Meta(OrderedRecord.Meta):
        verbose_name = _("risk area")
        verbose_name_plural = _("risk areas")
        constraints = [_thai_required("name")]

    def __str__(self):
        return self.name

    name = Localized("name")

    def clean(self):
        try:
            geometry = clean_polygon(self.geometry)
        except ValidationError as error:
            raise ValidationError({"geometry": error}) from None
        if geometry is None:
            raise ValidationError({"geometry": _("Draw or upload the area.")})
        self.geometry = geometry

    def as_feature(self):
        return {
            "type": "Feature", "id": self.pk, "geometry": self.geometry,
            "properties": {"name": self.name, "name_th": self.name_th, "name_en": self.name_en,
                           "hazard": self.hazard, "hazard_label": str(self.get_hazard_display())},
        }


def feature_collection(areas):
    return {"type": "FeatureCollection", "features": [area.as_feature() for area in areas]}


class Nomination(OrderedRecord):
    """An institution or expert the dialogue nominated to carry out the assessment: an
    organisation on record, a free-text name (an expert, a team), or both."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE,
                                 related_name="nominations", verbose_name=_("dialogue"))
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="dialogue_nominations", verbose_name=_("organisation"),
    )
    name = models.CharField(
        _("expert or team"), max_length=200, blank=True,
        help_text=_("A person or team not on record as an organisation, or within it."),
    )
    topic_th = models.CharField(_("to study (Thai)"), max_length=300, blank=True)
    topic_en = models.CharField(_("to study (English)"), max_length=300, blank=True)

    class Meta(OrderedRecord.Meta):
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [models.CheckConstraint(
            condition=Q(organisation__isnull=False) | ~Q(name=""),
            name="nomination_names_someone",
        )]

    def __str__(self):
        return " · ".join(str(part) for part in (self.organisation, self.name) if part)

    topic = Localized("topic")

    def clean(self):
        if self.organisation_id is None and not self.name.strip():
            raise ValidationError(_("Choose an organisation or name the expert."))
        city_id = self.dialogue_id and self.dialogue.city_activity.city_id
        if self.organisation_id and self.organisation.city_id not in (None, city_id):
            # Another city's organisation is that city's record: not ours to cite.
            raise ValidationError({"organisation": _(
                "Choose an organisation of this city or a national one.")})


class Indicator(OrderedRecord):
    """A monitoring criterion and indicator agreed at SLD 3 for the pilots' M&E."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE,
                                 related_name="indicators", verbose_name=_("dialogue"))
    criterion_th = models.CharField(_("criterion (Thai)"), max_length=300)
    criterion_en = models.CharField(_("criterion (English)"), max_length=300, blank=True)
    name_th = models.CharField(_("indicator (Thai)"), max_length=300)
    name_en = models.CharField(_("indicator (English)"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=60, blank=True)

    class Meta(OrderedRecord.Meta):
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [_thai_required("criterion"), _thai_required("name")]

    def __str__(self):
        return self.name

    criterion = Localized("criterion")

    name = Localized("name")


class FollowUpActionQuerySet(models.QuerySet):
    def overdue(self, today=None):
        return self.filter(status=FollowUpAction.Status.OPEN,
                           due__lt=today or timezone.localdate())


class FollowUpAction(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="actions",
                                 verbose_name=_("dialogue"))
    text_th = models.TextField(_("action (Thai)"))
    text_en = models.TextField(_("action (English)"), blank=True)
    owner = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True,
        related_name="dialogue_actions", verbose_name=_("owner"),
    )
    owner_name = models.CharField(
        _("owner (free text)"), max_length=200, blank=True,
        help_text=_("An agency or person not on the city's list of people."),
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.OPEN)
    completed_on = models.DateField(_("done on"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("marked done by"),
    )

    objects = FollowUpActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = [models.F("due").asc(nulls_last=True), "id"]
        constraints = [
            _thai_required("text"),
            # A done action says when; an open one has no completion date lying around.
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False)
                | Q(status="open", completed_on__isnull=True),
                name="followupaction_done_has_date",
            ),
        ]

    def __str__(self):
        return self.text

    text = Localized("text")

    def owner_label(self, personal=True):
        """Who does it. A Person is personal data: those who may not read the city's people
        see the person's organisation instead of the name."""
        if self.owner_id:
            if personal:
                return self.owner.full_name
            return str(self.owner.organisation or _("a member of the city team"))
        return self.owner_name

    def is_overdue(self, today=None):
        return (self.status == self.Status.OPEN and self.due is not None
                and self.due < (today or timezone.localdate()))

    def clean(self):
        if self.owner_id and self.dialogue_id \
                and self.owner.city_id != self.dialogue.city_activity.city_id:
            raise ValidationError({"owner": _("This person belongs to another city.")})

    # -- transitions ------------------------------------------------------------------
    def complete(self, by, on=None):
        if self.status == self.Status.DONE:
            raise ValidationError(_("This action is already done."))
        on = on or timezone.localdate()
        if on > timezone.localdate():
            raise ValidationError({"completed_on": _("An action cannot be done in the future.")})
        with transaction.atomic():
            self.status, self.completed_on, self.completed_by = self.Status.DONE, on, by
            self.save(update_fields=["status", "completed_on", "completed_by"])
            self.dialogue.log(by, DialogueChange.Action.ACTION_DONE, self.text)

    def reopen(self, by):
        if self.status == self.Status.OPEN:
            raise ValidationError(_("This action is still open."))
        with transaction.atomic():
            self.status, self.completed_on, self.completed_by = self.Status.OPEN, None, None
            self.save(update_fields=["status", "completed_on", "completed_by"])
            self.dialogue.log(by, DialogueChange.Action.ACTION_REOPENED, self.text)


# Record models a page or the API adds and removes by name.
RECORD_MODELS = {
    "item": DialogueItem, "risk": Risk, "group": VulnerableGroup, "area": RiskArea,
    "nomination": Nomination, "indicator": Indicator, "action": FollowUpAction,
}

# The vote models live in their own module; importing them here registers them with Django
# (and lets the assessment scope above read votes).
from apps.dialogues.votes import Ballot, BallotEntry, Vote, VoteOption  # noqa: E402,F401
