"""The good-practice library (activity 13): lessons from pilots and evaluations, shared with the
network and searched in Thai and English.

A `Practice` is written by a city's editors (optionally from one of its pilots), submitted, and
published by the network's national coordinator. Drafts and submitted entries are the city's
(and the national coordinator's); published ones are public, so other cities and anyone else
can learn from them. Editing a published entry as a city editor sends it back for review.

Hazards and sectors reuse the programme's vocabularies (dialogues' Hazard, the assessments'
urban systems as sectors, as the sector studies do). They are stored as lists and mirrored in
the padded `facets` column (" hz:flood sc:drainage ") so filtering and similarity ranking
stay plain `contains` lookups on SQLite and PostgreSQL alike.
"""
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.scope import CityScopedQuerySet, scope_of
from apps.assessments.models import UrbanSystem
from apps.core.i18n import Localized
from apps.dialogues.models import Hazard
from apps.practices import search
from apps.practices.richtext import clean_html, to_text

Sector = UrbanSystem  # the sectors of the sector studies (apps.studies.SectorStudy.sector)
RICH_FIELDS = ("what_was_done_th", "what_was_done_en")
TEXT_FIELDS = ("title", "problem", "what_was_done", "results", "replication_conditions")


class PracticeQuerySet(CityScopedQuerySet):
    def visible_to(self, user):
        """Published entries for everyone; the rest for the city's readers and the
        network's national coordinator."""
        return self.filter(Q(status=Practice.Status.PUBLISHED) | scope_of(user).city_read_q())

    def published(self):
        return self.filter(status=Practice.Status.PUBLISHED)

    def with_hazard(self, hazard):
        return self.filter(facets__contains=f" hz:{hazard} ")

    def with_sector(self, sector):
        return self.filter(facets__contains=f" sc:{sector} ")

    def search(self, query):
        return search.search(self, query)

    def for_list(self):
        return self.select_related("city__network")


class Practice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for publication")
        PUBLISHED = "published", _("Published")

    city = models.ForeignKey("networks.City", on_delete=models.CASCADE, related_name="practices",
                             verbose_name=_("city"))
    pilot = models.ForeignKey("pilots.Pilot", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="practices", verbose_name=_("pilot project"),
                              help_text=_("The city's pilot project this practice comes from, "
                                          "if any."))
    title_th = models.CharField(_("title (Thai)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    problem_th = models.TextField(_("problem addressed (Thai)"), blank=True)
    problem_en = models.TextField(_("problem addressed (English)"), blank=True)
    hazards = models.JSONField(_("hazards"), default=list, blank=True)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    what_was_done_th = models.TextField(_("what was done (Thai)"), blank=True)
    what_was_done_en = models.TextField(_("what was done (English)"), blank=True)
    results_th = models.TextField(_("results (Thai)"), blank=True)
    results_en = models.TextField(_("results (English)"), blank=True)
    cost = models.DecimalField(_("cost (THB)"), max_digits=14, decimal_places=2, null=True,
                               blank=True)
    cost_note = models.CharField(_("about the cost"), max_length=300, blank=True)
    replication_conditions_th = models.TextField(_("conditions for replication (Thai)"),
                                                 blank=True)
    replication_conditions_en = models.TextField(_("conditions for replication (English)"),
                                                 blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Maintained on save (see apps.practices.search): never edited directly.
    search_tokens = models.TextField(editable=False, default="")
    title_tokens = models.TextField(editable=False, default="")
    facets = models.CharField(editable=False, max_length=500, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title_th=""), name="practice_title_th_required"),
            models.CheckConstraint(
                condition=Q(status="published", published_at__isnull=False)
                | (~Q(status="published") & Q(published_at__isnull=True)),
                name="practice_published_at_iff_published"),
            models.CheckConstraint(condition=Q(cost__isnull=True) | Q(cost__gte=0),
                                   name="practice_cost_not_negative"),
        ]

    title = Localized("title")
    problem = Localized("problem")
    what_was_done = Localized("what_was_done")
    results = Localized("results")
    replication_conditions = Localized("replication_conditions")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("practices:detail", args=[self.pk])

    # -- derived columns ------------------------------------------------------------------
    def clean(self):
        known = set(Hazard.values)
        if any(h not in known for h in self.hazards or []):
            raise ValidationError({"hazards": gettext("Choose hazards from the list.")})
        if any(s not in set(Sector.values) for s in self.sectors or []):
            raise ValidationError({"sectors": gettext("Choose sectors from the list.")})
        if self.pilot_id and self.pilot.city_id != self.city_id:
            raise ValidationError({"pilot": gettext("Choose a pilot project of this city.")})

    def save(self, *args, **kwargs):
        for name in RICH_FIELDS:
            setattr(self, name, clean_html(getattr(self, name)))
        self.hazards = [h for h in Hazard.values if h in set(self.hazards or [])]
        self.sectors = [s for s in Sector.values if s in set(self.sectors or [])]
        self.refresh_index()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_tokens",
                                       "title_tokens", "facets", "updated_at"}
        super().save(*args, **kwargs)

    def refresh_index(self):
        texts = []
        for name in TEXT_FIELDS:
            for lang in ("th", "en"):
                value = getattr(self, f"{name}_{lang}")
                texts.append(to_text(value) if name == "what_was_done" else value)
        self.search_tokens = search.index_text(*texts)
        self.title_tokens = search.index_text(self.title_th, self.title_en)
        tags = [f"hz:{h}" for h in self.hazards] + [f"sc:{s}" for s in self.sectors]
        self.facets = f" {' '.join(tags)} " if tags else ""

    def hazard_labels(self):
        return [Hazard(h).label for h in self.hazards if h in Hazard.values]

    def sector_labels(self):
        return [Sector(s).label for s in self.sectors if s in Sector.values]

    # -- workflow -------------------------------------------------------------------------
    def can_edit(self, user):
        return scope_of(user).can_edit_city(self.city)

    def can_publish(self, user):
        return scope_of(user).can_admin_network(self.city.network)

    def _change(self, status, by, action):
        with transaction.atomic():
            self.status = status
            self.published_at = timezone.now() if status == self.Status.PUBLISHED else None
            self.save(update_fields=["status", "published_at"])
            PracticeChange.objects.create(practice=self, action=action, by=by)

    def submit(self, by):
        if self.status != self.Status.DRAFT:
            raise ValidationError(gettext("Only a draft can be submitted."))
        self._change(self.Status.SUBMITTED, by, PracticeChange.Action.SUBMITTED)

    def publish(self, by):
        if self.status != self.Status.SUBMITTED:
            raise ValidationError(gettext("Only a submitted practice can be published."))
        self._change(self.Status.PUBLISHED, by, PracticeChange.Action.PUBLISHED)

    def unpublish(self, by):
        """Back to the national coordinator's queue (submitted), out of the public library."""
        if self.status != self.Status.PUBLISHED:
            raise ValidationError(gettext("This practice is not published."))
        self._change(self.Status.SUBMITTED, by, PracticeChange.Action.UNPUBLISHED)

    def return_to_draft(self, by):
        if self.status == self.Status.DRAFT:
            raise ValidationError(gettext("This practice is already a draft."))
        self._change(self.Status.DRAFT, by, PracticeChange.Action.RETURNED)

    def edited(self, by):
        """Record an edit. A city editor's change to a published entry takes it out of the
        library until the national coordinator publishes it again."""
        with transaction.atomic():
            if self.status == self.Status.PUBLISHED and not self.can_publish(by):
                self.status, self.published_at = self.Status.SUBMITTED, None
            self.save()
            PracticeChange.objects.create(practice=self, action=PracticeChange.Action.EDITED,
                                          by=by)


class PracticeChange(models.Model):
    """Who created, edited, submitted, published or unpublished a practice, and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Submitted")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")
        RETURNED = "returned", _("Returned to draft")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=12, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]


def photo_path(instance, filename):
    return f"practices/{instance.practice.city_id}/{instance.practice_id}/photos/{filename}"


def file_path(instance, filename):
    # A random folder: the original name is kept for downloads, never trusted as a path.
    return (f"practices/{instance.practice.city_id}/{instance.practice_id}/files/"
            f"{uuid.uuid4().hex[:12]}/{filename}")


class PracticePhoto(models.Model):
    """A photo, re-encoded on upload (apps.core.images): no EXIF or GPS position survives."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=photo_path, max_length=300)
    content_type = models.CharField(max_length=20, default="image/jpeg")
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def delete(self, *args, **kwargs):
        storage, name = self.image.storage, self.image.name
        super().delete(*args, **kwargs)
        transaction.on_commit(lambda: storage.delete(name))


class PracticeFile(models.Model):
    """A document about the practice: PDF, DOCX or XLSX, checked from its content."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        XLSX = "xlsx", "Excel (XLSX)"

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=file_path, max_length=300)
    file_type = models.CharField(max_length=5, choices=Kind.choices)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1]

    def delete(self, *args, **kwargs):
        storage, name = self.file.storage, self.file.name
        super().delete(*args, **kwargs)
        transaction.on_commit(lambda: storage.delete(name))
