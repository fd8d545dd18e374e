"""Forms of the strategy pages. Every choice of risks, groups, areas and issues is limited to the
strategy's own city; a risk id of another city gets a message saying so, not a silent drop."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.assessments.models import RiskArea, RiskRating, ScopeGroup
from apps.core.dates import BE_OFFSET
from apps.core.forms import LocalDateField, StyledFormMixin
from apps.people.models import Organisation
from apps.strategies.devplan_models import PlanItem
from apps.strategies.models import (
    FIRST_YEAR, LAST_YEAR, Intervention, StrategicIssue, Strategy, check_same_city,
)

SCORES = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]


def to_ce(year):
    """A year typed in either era (2566 BE or 2023 CE) as CE, like apps.core.dates."""
    if year is None:
        return None
    return year - BE_OFFSET if year > LAST_YEAR else year


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Buddhist Era (2566) or Common Era (2023)."))
        super().__init__(**kwargs)

    def clean(self, value):
        year = to_ce(super().clean(value))
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValidationError(gettext("Give a year between %(first)s and %(last)s (or "
                                          "%(first_be)s-%(last_be)s BE).") % {
                "first": FIRST_YEAR, "last": LAST_YEAR,
                "first_be": FIRST_YEAR + BE_OFFSET, "last_be": LAST_YEAR + BE_OFFSET})
        return year


class RiskChoiceField(forms.ModelMultipleChoiceField):
    """Accepts any risk id, so another city's risk is refused by check_same_city with a clear
    message instead of 'not one of the available choices'."""

    def __init__(self, city, **kwargs):
        self.city = city
        super().__init__(RiskRating.objects.filter(assessment__city=city), required=False,
                         **kwargs)

    def clean(self, value):
        if value:
            ids = [v for v in value if str(v).isdigit()]
            try:
                check_same_city(self.city.pk, ids)
            except ValidationError as error:
                raise ValidationError(error.message_dict["risks"]) from None
        return super().clean(value)


class StrategyForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["vision_th", "vision_en", "published"]
        widgets = {"vision_th": forms.Textarea(attrs={"rows": 3}),
                   "vision_en": forms.Textarea(attrs={"rows": 3})}


class IssueForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = StrategicIssue
        fields = ["title_th", "title_en", "description_th", "description_en", "sld_item",
                  "risks"]
        widgets = {"description_th": forms.Textarea(attrs={"rows": 2}),
                   "description_en": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.dialogues.models import DialogueItem, ItemKind

        city = strategy.city
        self.fields["risks"] = RiskChoiceField(city, label=_("risks it comes from"),
                                               widget=forms.CheckboxSelectMultiple)
        self.fields["sld_item"].queryset = DialogueItem.objects.filter(
            dialogue__city_activity__city=city, kind=ItemKind.STRATEGIC_ISSUE)
        self.fields["sld_item"].required = False


class InterventionForm(StyledFormMixin, forms.ModelForm):
    start_year = YearField(label=_("start year"))
    end_year = YearField(label=_("end year"))

    class Meta:
        model = Intervention
        fields = ["title_th", "title_en", "description_th", "description_en", "issue", "risks",
                  "groups", "areas", "agencies", "cost", "start_year", "end_year",
                  "funding_source", "funding_note", "plan_items"]
        widgets = {"plan_items": forms.SelectMultiple(attrs={"size": 6}),
                   "description_th": forms.Textarea(attrs={"rows": 3}),
                   "description_en": forms.Textarea(attrs={"rows": 3}),
                   "groups": forms.CheckboxSelectMultiple,
                   "areas": forms.CheckboxSelectMultiple,
                   "agencies": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, strategy, scoring, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.scoring = scoring
        city = strategy.city
        self.fields["risks"] = RiskChoiceField(city, label=_("risks it reduces"),
                                               widget=forms.CheckboxSelectMultiple)
        self.fields["issue"].queryset = strategy.issues.all()
        self.fields["groups"].queryset = ScopeGroup.objects.filter(assessment__city=city)
        self.fields["areas"].queryset = RiskArea.objects.filter(assessment__city=city)
        self.fields["agencies"].queryset = Organisation.objects.filter(
            city__isnull=True) | Organisation.objects.filter(city=city)
        self.fields["plan_items"].queryset = PlanItem.objects.filter(plan__city=city)
        self.fields["plan_items"].label = _("development plan items it is part of")
        self.fields["characteristics"] = forms.MultipleChoiceField(
            label=_("resilience characteristics it strengthens"), required=False,
            choices=[(c.code, c.name) for c in scoring.characteristics],
            widget=forms.CheckboxSelectMultiple,
            initial=self.instance.characteristics if self.instance.pk else [])
        for criterion in scoring.criteria:
            self.fields[f"feas_{criterion.code}"] = forms.TypedChoiceField(
                label=criterion.name, choices=SCORES, required=False, coerce=int,
                empty_value=None,
                initial=(self.instance.feasibility or {}).get(criterion.code))
        self.feasibility_fields = [self[f"feas_{c.code}"] for c in scoring.criteria]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", gettext("The end year is before the start year."))
        return data

    def save(self, commit=True):
        intervention = super().save(commit=False)
        intervention.strategy = self.strategy
        # Codes of items the network has taken out of use are kept (not shown, not counted):
        # they count again if the item is put back.
        in_use = {c.code for c in self.scoring.characteristics}
        kept = [c for c in (self.instance.characteristics or []) if c not in in_use]
        intervention.characteristics = (self.cleaned_data.get("characteristics") or []) + kept
        in_use = {c.code for c in self.scoring.criteria}
        intervention.feasibility = {
            **{k: v for k, v in (self.instance.feasibility or {}).items() if k not in in_use},
            **{c.code: self.cleaned_data[f"feas_{c.code}"] for c in self.scoring.criteria
               if self.cleaned_data.get(f"feas_{c.code}") is not None}}
        if commit:
            if intervention.pk is None:
                intervention.order = (self.strategy.interventions.count() + 1)
            intervention.save()
            self.save_m2m()
        return intervention


class StatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("new status"), choices=Strategy.Status.choices)
    decided_on = LocalDateField(label=_("date of the council's decision"), required=False)
    evidence = forms.FileField(label=_("evidence (e.g. council resolution)"), required=False)

    def clean_evidence(self):
        from apps.studies.files import check_upload

        upload = self.cleaned_data.get("evidence")
        if not upload:
            return None
        try:
            kind, _size = check_upload(upload)
        except ValidationError as error:
            raise ValidationError(error.message_dict.get("file", error.messages)) from None
        if kind not in ("pdf", "docx", "png", "jpeg"):
            raise ValidationError(gettext("The evidence must be a PDF, a DOCX or a photo."))
        return upload, kind


class PlanImportForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("title of the plan"), max_length=300)
    first_year = YearField(label=_("first year"), required=True)
    last_year = YearField(label=_("last year"), required=True)
    file = forms.FileField(label=_("file (XLSX or CSV)"))

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data["file"]
        if upload.size > settings.EVIDENCE_MAX_BYTES:
            raise ValidationError(gettext("The file is larger than %(mb)s MB.") % {
                "mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)})
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(gettext("Upload an XLSX or CSV file."))
        return upload

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first and last and last < first:
            self.add_error("last_year", gettext("The last year is before the first year."))
        return data
