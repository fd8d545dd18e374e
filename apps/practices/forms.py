from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin
from apps.core.images import reencode_image
from apps.dialogues.models import Hazard
from apps.networks.models import City, Country
from apps.pilots.models import Pilot
from apps.practices.models import Practice, PracticeFile, PracticePhoto, Sector
from apps.studies.files import check_upload

RICH_HELP = _("Paragraphs, bold, italic, lists, sub-headings (h3, h4), quotes and links are "
              "kept; anything else is removed.")


class PracticeForm(StyledFormMixin, forms.ModelForm):
    hazards = forms.MultipleChoiceField(label=_("Hazards"), choices=Hazard.choices,
                                        required=False, widget=forms.CheckboxSelectMultiple)
    sectors = forms.MultipleChoiceField(label=_("Sectors"), choices=Sector.choices,
                                        required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Practice
        fields = ["title_th", "title_en", "pilot", "hazards", "sectors", "problem_th",
                  "problem_en", "what_was_done_th", "what_was_done_en", "results_th",
                  "results_en", "cost", "cost_note", "replication_conditions_th",
                  "replication_conditions_en", "contact_name", "contact_email", "contact_phone"]
        help_texts = {"what_was_done_th": RICH_HELP, "what_was_done_en": RICH_HELP}

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.city = city
        self.fields["pilot"].queryset = Pilot.objects.filter(city=city).order_by("pk")
        for name in ("hazards", "sectors"):
            self.fields[name].widget.attrs["class"] = "checks"
        for name in ("problem", "what_was_done", "results", "replication_conditions"):
            for lang in ("th", "en"):
                self.fields[f"{name}_{lang}"].widget.attrs["rows"] = 4


class PhotoForm(StyledFormMixin, forms.Form):
    image = forms.FileField(label=_("photo"))
    caption = forms.CharField(label=_("caption"), max_length=300, required=False)

    def clean_image(self):
        upload = self.cleaned_data["image"]
        try:
            return reencode_image(upload)
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def save(self, practice, by):
        clean = self.cleaned_data["image"]
        photo = PracticePhoto(practice=practice, caption=self.cleaned_data["caption"],
                              content_type=clean.content_type, uploaded_by=by)
        photo.image.save(clean.name, clean, save=False)
        photo.save()
        return photo


class FileForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    file = forms.FileField(label=_("file"),
                           help_text=_("PDF, Word (DOCX) or Excel (XLSX)."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            kind, size = check_upload(upload)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        if kind not in PracticeFile.Kind.values:
            raise ValidationError(_("“%(name)s” is an image: add it as a photo.")
                                  % {"name": upload.name})
        self.kind, self.size = kind, size
        return upload

    def save(self, practice, by):
        item = PracticeFile(practice=practice, title=self.cleaned_data["title"],
                            file_type=self.kind, size=self.size, uploaded_by=by)
        upload = self.cleaned_data["file"]
        item.file.save(upload.name.rsplit("/", 1)[-1], upload, save=False)
        item.save()
        return item


class FilterForm(forms.Form):
    """The library's search box and filters (GET)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    hazard = forms.ChoiceField(label=_("hazard"), required=False,
                               choices=[("", _("All hazards")), *Hazard.choices])
    sector = forms.ChoiceField(label=_("sector"), required=False,
                               choices=[("", _("All sectors")), *Sector.choices])
    # Typed, not picked: a national network has thousands of cities, too many for a list (a
    # select of 2,500 took a second to render and half a megabyte of page). Links and bookmarks
    # carry the city's slug; people type part of its name in either language.
    city = forms.CharField(label=_("city"), required=False, max_length=200,
                           widget=forms.TextInput(attrs={"placeholder": _("All cities")}))
    country = forms.ChoiceField(label=_("country"), required=False,
                                choices=[("", _("All countries")), *Country.choices])
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", _("Any status")), *Practice.Status.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "input")

    def apply(self, queryset):
        """The rows matching the valid filters (invalid values are ignored, not an error
        page: they come from links and bookmarks)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("hazard"):
            queryset = queryset.with_hazard(data["hazard"])
        if data.get("sector"):
            queryset = queryset.with_sector(data["sector"])
        if data.get("city", "").strip():
            name = data["city"].strip()
            queryset = queryset.filter(Q(city__slug=name) | Q(city__name_th__icontains=name)
                                       | Q(city__name_en__icontains=name))
        if data.get("country"):
            queryset = queryset.filter(city__country=data["country"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        queryset = queryset.search(data.get("q", ""))
        return queryset.order_by("-rank", F("published_at").desc(nulls_last=True), "-pk")
