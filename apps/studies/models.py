"""Impact chains and sector studies (plan activity 8: "study the strategic sectors and link the
relationships between impacts and climate change").

- `ImpactNode` + `ImpactLink`: per city assessment, a graph hazard -> impact on an urban system
  -> consequence -> affected group or area (rules in apps.studies.graph). A complete chain is a
  path from a hazard to an affected node; nodes on none are gaps.
- `SectorStudy`: a study of one strategic issue chosen at SLD 2, in one sector, by a lead
  institution and experts. Its work comes in rounds (`StudyVersion`): findings,
  recommendations, the risks and impact-chain nodes it rests on, attachments. An expert signs a
  round off; a signed round never changes again (the model refuses it), a further change makes
  the next round as a copy, and rounds can be compared.

Everything hangs off the city's `Assessment` and follows its visibility.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Max, Prefetch, Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.assessments.models import (
    Assessment, AssessmentRecordQuerySet, RiskArea, RiskRating, ScopeGroup, UrbanSystem,
)
from apps.core.i18n import Localized
from apps.dialogues.models import Hazard
from apps.studies import graph
from apps.studies.files import check_upload


# == impact chains ============================================================================
class NodeKind(models.TextChoices):
    HAZARD = graph.HAZARD, _("Hazard")
    IMPACT = graph.IMPACT, _("Impact on an urban system")
    CONSEQUENCE = graph.CONSEQUENCE, _("Consequence")
    AFFECTED = graph.AFFECTED, _("Affected group or area")


class ImpactGraph:
    """A city assessment's nodes and links with what pages need: complete chains, gaps, layout.
    Built from two queries (`ImpactNode.objects.graph(assessment)`)."""

    def __init__(self, assessment, nodes, links):
        self.assessment = assessment
        self.nodes = nodes
        self.links = links
        self.by_id = {n.pk: n for n in nodes}
        kinds = {n.pk: n.kind for n in nodes}
        pairs = [(link.from_node_id, link.to_node_id) for link in links]
        ids, self.truncated = graph.complete_chains(kinds, pairs)
        self.chains = [[self.by_id[i] for i in chain] for chain in ids]
        gaps = graph.node_gaps(kinds, pairs)
        for node in nodes:
            node.gap = gaps.get(node.pk, set())
            node.gap_messages = node.gap_text()
        self.gaps = [n for n in nodes if n.gap]
        for link in links:
            link.from_node = self.by_id[link.from_node_id]
            link.to_node = self.by_id[link.to_node_id]

    def __bool__(self):
        return bool(self.nodes)

    @property
    def chain_count(self):
        return len(self.chains)

    def chains_through(self, node_ids):
        """The complete chains that pass through any of these nodes."""
        wanted = set(node_ids)
        return [c for c in self.chains if wanted & {n.pk for n in c}]

    def by_kind(self):
        return [(kind, [n for n in self.nodes if n.kind == kind]) for kind in NodeKind]


class ImpactNodeQuerySet(AssessmentRecordQuerySet):
    def graph(self, assessment):
        """The assessment's whole graph, in two queries."""
        nodes = list(self.filter(assessment=assessment).select_related("group", "area"))
        links = list(ImpactLink.objects.filter(from_node__assessment=assessment)
                     .order_by("from_node__order", "from_node", "to_node__order", "to_node"))
        return ImpactGraph(assessment, nodes, links)


class ImpactNode(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE,
                                   related_name="impact_nodes")
    kind = models.CharField(_("kind"), max_length=12, choices=NodeKind.choices)
    text_th = models.CharField(_("text (Thai)"), max_length=300, blank=True)
    text_en = models.CharField(_("text (English)"), max_length=300, blank=True)
    # Structured links, one per kind: what the node is in the assessment's own terms.
    hazard = models.CharField(_("hazard"), max_length=20, choices=Hazard.choices, blank=True)
    system = models.CharField(_("urban system"), max_length=20, choices=UrbanSystem.choices,
                              blank=True)
    group = models.ForeignKey(ScopeGroup, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="impact_nodes", verbose_name=_("vulnerable group"))
    area = models.ForeignKey(RiskArea, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="impact_nodes", verbose_name=_("risk area"))
    order = models.PositiveIntegerField(_("order"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ImpactNodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("impact-chain node")
        verbose_name_plural = _("impact-chain nodes")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(hazard="") | Q(kind=graph.HAZARD),
                                   name="impact_node_hazard_only_on_hazards"),
            models.CheckConstraint(condition=Q(system="") | Q(kind=graph.IMPACT),
                                   name="impact_node_system_only_on_impacts"),
            models.CheckConstraint(
                condition=(Q(group__isnull=True) & Q(area__isnull=True)) | Q(kind=graph.AFFECTED),
                name="impact_node_group_area_only_on_affected"),
            models.CheckConstraint(condition=~Q(text_th="") | ~Q(text_en=""),
                                   name="impact_node_has_text"),
        ]

    def __str__(self):
        return self.text

    text = Localized("text")

    def link_label(self):
        """The structured link's label, or ""."""
        if self.hazard:
            return self.get_hazard_display()
        if self.system:
            return self.get_system_display()
        if self.group_id:
            return self.group.name
        if self.area_id:
            return self.area.name
        return ""

    def clean(self):
        errors = {}
        wrong = _("A node of kind “%(kind)s” cannot have this.")
        kind = {"kind": NodeKind(self.kind).label if self.kind in NodeKind.values else self.kind}
        if self.hazard and self.kind != graph.HAZARD:
            errors["hazard"] = wrong % kind
        if self.system and self.kind != graph.IMPACT:
            errors["system"] = wrong % kind
        if self.group_id and self.kind != graph.AFFECTED:
            errors["group"] = wrong % kind
        if self.area_id and self.kind != graph.AFFECTED:
            errors["area"] = wrong % kind
        if self.group_id and self.group.assessment_id != self.assessment_id:
            errors["group"] = _("Choose a vulnerable group of this assessment.")
        if self.area_id and self.area.assessment_id != self.assessment_id:
            errors["area"] = _("Choose a risk area of this assessment.")
        if errors:
            raise ValidationError(errors)
        if not (self.text_th.strip() or self.text_en.strip()):
            # A hazard, system, group or area says what the node is: its name will do.
            for lang in ("th", "en"):
                with translation.override(lang):
                    setattr(self, f"text_{lang}", str(self.link_label()))
            if not self.text_th:
                raise ValidationError({"text_th": _("Describe the node (or choose what it "
                                                    "stands for).")})

    def save(self, *args, **kwargs):
        if self.pk is None and not self.order:
            last = ImpactNode.objects.filter(assessment=self.assessment_id).aggregate(
                top=Max("order"))["top"]
            self.order = (last or 0) + 1
        super().save(*args, **kwargs)

    def gap_text(self):
        """Why the node is on no complete chain, in words for this kind of node."""
        gap = getattr(self, "gap", set())
        messages = []
        if "effect" in gap:
            messages.append({
                graph.HAZARD: _("This hazard leads nowhere yet."),
                graph.IMPACT: _("This impact has no consequence for anyone yet."),
                graph.CONSEQUENCE: _("No affected group or area is linked to this consequence."),
            }.get(self.kind, ""))
        if "cause" in gap:
            messages.append({
                graph.IMPACT: _("No hazard leads to this impact."),
                graph.CONSEQUENCE: _("No impact leads to this consequence."),
                graph.AFFECTED: _("Nothing leads to this group or area yet."),
            }.get(self.kind, ""))
        return [m for m in messages if m]


class ImpactLink(models.Model):
    from_node = models.ForeignKey(ImpactNode, on_delete=models.CASCADE, related_name="out_links",
                                  verbose_name=_("from"))
    to_node = models.ForeignKey(ImpactNode, on_delete=models.CASCADE, related_name="in_links",
                                verbose_name=_("to"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("impact-chain link")
        constraints = [
            models.UniqueConstraint(fields=["from_node", "to_node"], name="impact_link_once"),
            models.CheckConstraint(condition=~Q(from_node=models.F("to_node")),
                                   name="impact_link_not_to_itself"),
        ]

    def __str__(self):
        return f"{self.from_node} → {self.to_node}"

    def clean(self):
        a, b = self.from_node, self.to_node
        names = {"from": a.text, "to": b.text}
        if a.pk == b.pk:
            raise ValidationError(_("“%(from)s” cannot lead to itself.") % names)
        if a.assessment_id != b.assessment_id:
            raise ValidationError(_("“%(from)s” and “%(to)s” belong to different assessments.")
                                  % names)
        if not graph.direction_allowed(a.kind, b.kind):
            raise ValidationError(
                _("“%(from)s” (%(from_kind)s) cannot lead to “%(to)s” (%(to_kind)s): a chain "
                  "runs hazard → impact → consequence → affected group or area, and an impact "
                  "may also cause another impact.")
                % {**names, "from_kind": a.get_kind_display(), "to_kind": b.get_kind_display()})
        others = ImpactLink.objects.filter(from_node__assessment=a.assessment_id)
        if self.pk:
            others = others.exclude(pk=self.pk)
        pairs = list(others.values_list("from_node_id", "to_node_id"))
        if (a.pk, b.pk) in pairs:
            raise ValidationError(_("“%(from)s” already leads to “%(to)s”.") % names)
        path = graph.cycle_path(pairs, a.pk, b.pk)
        if path:
            texts = dict(ImpactNode.objects.filter(pk__in=path).values_list("pk", "text_th"))
            if translation.get_language() and translation.get_language().startswith("en"):
                texts.update({pk: t for pk, t in ImpactNode.objects.filter(pk__in=path)
                              .exclude(text_en="").values_list("pk", "text_en")})
            loop = " → ".join(texts[pk] for pk in [*path, b.pk])
            raise ValidationError(
                _("Linking “%(from)s” to “%(to)s” would make a loop: %(loop)s.")
                % {**names, "loop": loop})

    @classmethod
    def connect(cls, from_node, to_node, by=None):
        """Check the rules and save, holding the assessment row so that two people linking at
        once cannot close a loop between them."""
        with transaction.atomic():
            Assessment.objects.select_for_update().filter(pk=from_node.assessment_id).first()
            link = cls(from_node=from_node, to_node=to_node,
                       created_by=by if by and by.pk else None)
            link.full_clean(validate_constraints=False)
            link.save()
            return link


# == sector studies ===========================================================================
class StudyQuerySet(AssessmentRecordQuerySet):
    def with_latest(self):
        """Each study with `latest` (its highest round) and `round_count`, in one more query."""
        latest = StudyVersion.objects.order_by("study", "-round")
        return self.annotate(round_count=Count("versions")).prefetch_related(
            Prefetch("versions", queryset=latest.select_related("signed_by"),
                     to_attr="rounds_desc"))

    def for_city(self, city):
        return self.filter(assessment__city=city)


class SectorStudy(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="studies")
    issue = models.ForeignKey(
        "dialogues.DialogueItem", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="sector_studies", verbose_name=_("strategic issue (SLD 2)"),
        help_text=_("The strategic issue chosen at SLD 2 that this study looks into."))
    # Blank in forms: the strategic issue's text fills it (the database still insists).
    title_th = models.CharField(_("title (Thai)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=UrbanSystem.choices)
    lead = models.ForeignKey("people.Organisation", on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="sector_studies",
                             verbose_name=_("lead institution"))
    experts = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                     verbose_name=_("experts with an account"))
    expert_names = models.TextField(_("other experts"), blank=True,
                                    help_text=_("One name per line."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = StudyQuerySet.as_manager()

    class Meta:
        verbose_name = _("sector study")
        verbose_name_plural = _("sector studies")
        ordering = ["assessment", "id"]
        constraints = [models.CheckConstraint(condition=~Q(title_th=""),
                                              name="sector_study_title_th_required")]

    def __str__(self):
        return self.title

    title = Localized("title")

    @property
    def city(self):
        return self.assessment.city

    def clean(self):
        from apps.dialogues.models import Dialogue, ItemKind

        if self.issue_id:
            dialogue = Dialogue.objects.for_sld(self.assessment.city, 2)
            if (dialogue is None or self.issue.dialogue_id != dialogue.pk
                    or self.issue.kind != ItemKind.STRATEGIC_ISSUE):
                raise ValidationError({"issue": _("Choose a strategic issue of this city's "
                                                  "SLD 2.")})
            if not self.title_th:
                self.title_th, self.title_en = self.issue.text_th, self.issue.text_en
        if self.lead_id and self.lead.city_id not in (None, self.assessment.city_id):
            raise ValidationError({"lead": _("Choose an institution of this city or a "
                                             "national one.")})
        if not self.title_th:
            raise ValidationError({"title_th": _("Give the study a title, or choose the "
                                                 "strategic issue it studies.")})

    def expert_list(self):
        names = [u.get_full_name() or u.get_username() for u in self.experts.all()]
        return names + [n.strip() for n in self.expert_names.splitlines() if n.strip()]

    # -- rounds ---------------------------------------------------------------------------
    @property
    def latest(self):
        rounds = getattr(self, "rounds_desc", None)
        if rounds is not None:
            return rounds[0] if rounds else None
        return self.versions.order_by("-round").first()

    def start(self, by):
        """Round 1, empty; called once when the study is created."""
        return StudyVersion.objects.create(study=self, round=1, created_by=_user(by))

    def draft_for_edit(self, by):
        """The round to write in: the open draft, or, after a sign-off, round n+1 as a copy of
        the signed round (which stays as it was)."""
        with transaction.atomic():
            SectorStudy.objects.select_for_update().filter(pk=self.pk).first()
            latest = self.versions.order_by("-round").first()
            if latest is None:
                return self.start(by)
            if latest.status == StudyVersion.Status.DRAFT:
                return latest
            return latest.copy_as_next(by)


def _user(by):
    return by if by is not None and by.pk else None


class VersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(study__assessment__in=Assessment.objects.visible_to(user))


class StudyVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed off")

    study = models.ForeignKey(SectorStudy, on_delete=models.CASCADE, related_name="versions")
    round = models.PositiveSmallIntegerField(_("round"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.DRAFT)
    findings_th = models.TextField(_("findings (Thai)"), blank=True)
    findings_en = models.TextField(_("findings (English)"), blank=True)
    recommendations_th = models.TextField(_("recommendations (Thai)"), blank=True)
    recommendations_en = models.TextField(_("recommendations (English)"), blank=True)
    risks = models.ManyToManyField(RiskRating, blank=True, related_name="study_versions",
                                   verbose_name=_("climate risks studied"))
    nodes = models.ManyToManyField(ImpactNode, blank=True, related_name="study_versions",
                                   verbose_name=_("impact-chain nodes"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("signed off by"))
    signed_at = models.DateTimeField(_("signed off"), null=True, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("study round")
        verbose_name_plural = _("study rounds")
        ordering = ["study", "round"]
        constraints = [
            models.UniqueConstraint(fields=["study", "round"], name="study_round_once"),
            # One open draft at a time: a second writer continues it instead of forking.
            models.UniqueConstraint(fields=["study"], condition=Q(status="draft"),
                                    name="study_one_draft"),
            models.CheckConstraint(condition=Q(status="draft", signed_at__isnull=True)
                                   | Q(status="signed", signed_at__isnull=False),
                                   name="study_round_signed_has_time"),
            models.CheckConstraint(condition=Q(round__gte=1), name="study_round_from_one"),
        ]

    def __str__(self):
        return gettext("%(study)s, round %(round)s") % {"study": self.study, "round": self.round}

    findings = Localized("findings")
    recommendations = Localized("recommendations")

    @property
    def is_signed(self):
        return self.status == self.Status.SIGNED

    def _stored_signed(self):
        return self.pk is not None and StudyVersion.objects.filter(
            pk=self.pk, status=self.Status.SIGNED).exists()

    def refuse_if_signed(self):
        if self.is_signed or self._stored_signed():
            raise ValidationError(_("Round %(round)s is signed off and cannot change; edit the "
                                    "study to start the next round.") % {"round": self.round})

    def save(self, *args, signing=False, **kwargs):
        # The rule lives here, not in a view: nothing rewrites a signed round.
        if not signing and self._stored_signed():
            self.refuse_if_signed()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.refuse_if_signed()
        return super().delete(*args, **kwargs)

    def sign_off(self, by):
        """The expert's sign-off: who and when; from now on the round is read-only."""
        with transaction.atomic():
            locked = StudyVersion.objects.select_for_update().get(pk=self.pk)
            if locked.is_signed:
                raise ValidationError(_("Round %(round)s is already signed off.")
                                      % {"round": self.round})
            if not (locked.findings_th.strip() or locked.findings_en.strip()):
                raise ValidationError({"findings_th": _("Write the findings before signing "
                                                        "off.")})
            self.status, self.signed_by, self.signed_at = self.Status.SIGNED, _user(by), \
                timezone.now()
            self.save(signing=True, update_fields=["status", "signed_by", "signed_at",
                                                   "updated_at"])

    def copy_as_next(self, by):
        """Round n+1 with this round's texts, links and attachments (the files are shared)."""
        nxt = StudyVersion.objects.create(
            study=self.study, round=self.round + 1, created_by=_user(by),
            findings_th=self.findings_th, findings_en=self.findings_en,
            recommendations_th=self.recommendations_th,
            recommendations_en=self.recommendations_en)
        nxt.risks.set(self.risks.all())
        nxt.nodes.set(self.nodes.all())
        StudyAttachment.objects.bulk_create([
            StudyAttachment(version=nxt, title=a.title, file=a.file.name, size=a.size,
                            file_type=a.file_type, uploaded_by=a.uploaded_by,
                            uploaded_at=a.uploaded_at)
            for a in self.attachments.all()])
        return nxt


@receiver(m2m_changed, sender=StudyVersion.risks.through)
@receiver(m2m_changed, sender=StudyVersion.nodes.through)
def _linked_rows_frozen(sender, instance, action, reverse, **kwargs):
    """Linked risks and nodes are part of what was signed: refuse changing them afterwards.
    (From the other side, a risk or node being deleted, the link simply goes.)"""
    if action in ("pre_add", "pre_remove", "pre_clear") and not reverse:
        instance.refuse_if_signed()


def attachment_path(instance, filename):
    study = instance.version.study
    return f"studies/{study.assessment.city.slug}/{study.pk}/{filename}"


class StudyAttachment(models.Model):
    version = models.ForeignKey(StudyVersion, on_delete=models.CASCADE,
                                related_name="attachments")
    title = models.CharField(_("title"), max_length=200, blank=True,
                             help_text=_("Empty: the file's name."))
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    file_type = models.CharField(max_length=8, editable=False)  # detected from the content: pdf, docx, png...
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.title

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1]

    def clean(self):
        if self.version_id:
            self.version.refuse_if_signed()
        if not self.file:
            raise ValidationError({"file": _("Choose a file.")})
        if not self.file._committed:  # a new upload: check what it really is
            self.file_type, self.size = check_upload(self.file)
        if not self.title:
            self.title = self.filename[:200]

    def save(self, *args, **kwargs):
        self.version.refuse_if_signed()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.version.refuse_if_signed()
        # The file stays: earlier rounds may share it.
        return super().delete(*args, **kwargs)
