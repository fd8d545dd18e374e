"""Forms of the assessment workspace. Record forms add one record to an assessment; the risk and
vulnerability forms rate (or re-rate) one hazard x system pair or one system/group."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.assessments.models import (
    Assessment, AssessmentScale, Characteristic, ExposureLayer, HazardTrend, Projection,
    RiskArea, RiskRating, ScopeGroup, ScopeHazard, ScopeSystem, UrbanSystem,
    VulnerabilityRating,
)
from apps.core.concurrency import VersionedFormMixin
from apps.core.forms import StyledFormMixin
from apps.dialogues.models import Hazard
from apps.people.models import Organisation

ONE_TO_FIVE = [(n, str(n)) for n in range(1, 6)]


class AssessmentForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["lead", "status", "notes_th", "notes_en"]
        widgets = {"notes_th": forms.Textarea(attrs={"rows": 3}),
                   "notes_en": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Academic institutions of any city, and the city's own organisations.
        city = self.instance.city
        self.fields["lead"].queryset = Organisation.objects.filter(
            city__network=city.network).order_by("name_th")


class ScaleForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = AssessmentScale
        fields = ["risk_medium_from", "risk_high_from", "risk_extreme_from",
                  "vulnerability_medium_from", "vulnerability_high_from",
                  "vulnerability_extreme_from"]


class RecordForm(StyledFormMixin, forms.ModelForm):
    """Adds a record at the end of the assessment's records of its kind."""

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.instance.assessment = assessment

    def save(self, commit=True):
        model = type(self.instance)
        if self.instance.pk is None and hasattr(self.instance, "order"):
            self.instance.order = self.assessment.next_order(
                model.objects.filter(assessment=self.assessment))
        return super().save(commit)


def _unique_in_assessment(form, field, message):
    value = form.cleaned_data.get(field)
    model = form._meta.model
    if value and model.objects.filter(assessment=form.assessment, **{field: value}).exists():
        raise ValidationError({field: message})


class HazardForm(RecordForm):
    class Meta:
        model = ScopeHazard
        fields = ["hazard"]

    def clean(self):
        data = super().clean()
        _unique_in_assessment(self, "hazard", _("This hazard is already in the scope."))
        return data


class SystemForm(RecordForm):
    class Meta:
        model = ScopeSystem
        fields = ["system"]

    def clean(self):
        data = super().clean()
        _unique_in_assessment(self, "system", _("This urban system is already in the scope."))
        return data


class GroupForm(RecordForm):
    class Meta:
        model = ScopeGroup
        fields = ["name_th", "name_en", "description_th", "description_en"]
        widgets = {"description_th": forms.Textarea(attrs={"rows": 2}),
                   "description_en": forms.Textarea(attrs={"rows": 2})}


class TrendForm(RecordForm):
    class Meta:
        model = HazardTrend
        fields = ["hazard", "current_th", "current_en", "sources"]
        widgets = {"current_th": forms.Textarea(attrs={"rows": 3}),
                   "current_en": forms.Textarea(attrs={"rows": 3}),
                   "sources": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        _unique_in_assessment(self, "hazard", _("This hazard already has a trend: add a "
                                                "projection to it instead."))
        return data


class ProjectionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Projection
        fields = ["trend", "horizon", "scenario", "change_th", "change_en", "source"]
        widgets = {"change_th": forms.Textarea(attrs={"rows": 2}),
                   "change_en": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.fields["trend"].queryset = HazardTrend.objects.filter(assessment=assessment)
        self.fields["trend"].label_from_instance = lambda t: t.get_hazard_display()
        self.fields["trend"].label = _("Hazard")


class RiskRatingForm(StyledFormMixin, forms.ModelForm):
    """Rates a hazard x system pair; rating a pair again replaces its rating (logged)."""

    likelihood = forms.TypedChoiceField(label=_("Likelihood"), choices=ONE_TO_FIVE, coerce=int)
    consequence = forms.TypedChoiceField(label=_("Consequence"), choices=ONE_TO_FIVE, coerce=int)

    class Meta:
        model = RiskRating
        fields = ["hazard", "system", "likelihood", "consequence", "justification_th",
                  "justification_en", "evidence"]
        widgets = {"justification_th": forms.Textarea(attrs={"rows": 2}),
                   "justification_en": forms.Textarea(attrs={"rows": 2}),
                   "evidence": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.instance.assessment = assessment
        # The scope's hazards and systems first; any other may still be rated.
        self.fields["hazard"].choices = _scoped(Hazard, assessment.hazards.values_list(
            "hazard", flat=True))
        self.fields["system"].choices = _scoped(UrbanSystem, assessment.systems.values_list(
            "system", flat=True))

    def validate_unique(self):
        pass  # an existing pair is updated (see save), not refused

    def save(self, commit=True):
        data = self.cleaned_data
        existing = RiskRating.objects.filter(assessment=self.assessment, hazard=data["hazard"],
                                             system=data["system"]).first()
        if existing is not None:
            self.before = f"{existing.likelihood}×{existing.consequence}"
            for name in self.Meta.fields:
                setattr(existing, name, data[name])
            self.instance = existing
        else:
            self.before = ""
        return super().save(commit)


def _scoped(choices, scoped):
    scoped = list(scoped)
    labels = dict(choices.choices)
    first = [(value, labels[value]) for value in scoped if value in labels]
    rest = [(value, label) for value, label in choices.choices if value not in scoped]
    return [("", "---------"), *first, *rest]


class VulnerabilityForm(StyledFormMixin, forms.ModelForm):
    """Rates an urban system or a vulnerable group ("system:<code>" or "group:<pk>")."""

    field_order = ["target"]
    target = forms.ChoiceField(label=_("Urban system or vulnerable group"))
    exposure = forms.TypedChoiceField(label=_("Exposure"), choices=ONE_TO_FIVE, coerce=int)
    sensitivity = forms.TypedChoiceField(label=_("Sensitivity"), choices=ONE_TO_FIVE, coerce=int)
    capacity_agents = forms.TypedChoiceField(
        label=_("Adaptive capacity of people and organisations"), choices=ONE_TO_FIVE, coerce=int)
    capacity_institutions = forms.TypedChoiceField(
        label=_("Adaptive capacity of institutions"), choices=ONE_TO_FIVE, coerce=int)
    characteristics = forms.MultipleChoiceField(
        label=_("Resilience characteristics present"), choices=Characteristic.choices,
        required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = VulnerabilityRating
        fields = ["exposure", "sensitivity", "capacity_agents", "capacity_institutions",
                  "characteristics", "justification_th", "justification_en"]
        widgets = {"justification_th": forms.Textarea(attrs={"rows": 2}),
                   "justification_en": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.instance.assessment = assessment
        systems = [(f"system:{s.system}", s.get_system_display())
                   for s in assessment.systems.all()]
        groups = [(f"group:{g.pk}", g.name) for g in assessment.groups.all()]
        self.fields["target"].choices = [("", "---------"),
                                         (_("Urban systems"), systems),
                                         (_("Vulnerable groups"), groups)]
        self.fields["characteristics"].widget.attrs["class"] = "check"

    def clean_target(self):
        kind, _sep, value = self.cleaned_data["target"].partition(":")
        if kind == "group":
            group = ScopeGroup.objects.filter(assessment=self.assessment, pk=value).first()
            if group is None:
                raise ValidationError(_("Choose a vulnerable group of this assessment."))
            return ("group", group)
        if kind == "system" and value in UrbanSystem.values:
            return ("system", value)
        raise ValidationError(_("Choose an urban system or a vulnerable group."))

    def validate_unique(self):
        pass  # re-rating replaces

    def save(self, commit=True):
        kind, value = self.cleaned_data["target"]
        lookup = {"group": value} if kind == "group" else {"system": value, "group": None}
        existing = VulnerabilityRating.objects.filter(assessment=self.assessment,
                                                      **lookup).first()
        rating = existing or self.instance
        for name in self.Meta.fields:
            setattr(rating, name, self.cleaned_data[name])
        rating.group = value if kind == "group" else None
        rating.system = value if kind == "system" else ""
        self.before = f"{existing.index}" if existing else ""
        self.instance = rating
        if commit:
            rating.save()
        return rating


class GroupsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class AreaForm(RecordForm):
    """An area drawn on the map: the geometry comes from the drawing as GeoJSON."""

    geometry = forms.CharField(widget=forms.HiddenInput, label=_("Area"),
                               error_messages={"required": _("Draw the area on the map.")})
    groups = GroupsField(queryset=ScopeGroup.objects.none(), required=False,
                         label=_("Vulnerable groups living there"))

    class Meta:
        model = RiskArea
        fields = ["name_th", "name_en", "hazard", "geometry", "groups", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = self.assessment.groups.all()
        self.fields["groups"].widget.attrs["class"] = "check"

    def clean_geometry(self):
        from apps.core.layers import read_geojson_geometry, to_geojson

        geometry = read_geojson_geometry(self.cleaned_data["geometry"])
        return to_geojson(geometry)

    def save(self, commit=True):
        self.instance.source = RiskArea.Source.DRAWN
        return super().save(commit)


class AreaUploadForm(StyledFormMixin, forms.Form):
    """A file of areas (GeoJSON, zipped Shapefile, GeoPackage) for one hazard: one risk area
    per feature, named from a chosen attribute."""

    file = forms.FileField(label=_("File"), help_text=_(
        "GeoJSON, zipped Shapefile (.zip with .shp, .shx, .dbf, .prj) or GeoPackage."))
    hazard = forms.ChoiceField(label=_("Hazard"), choices=Hazard.choices)
    name_attribute = forms.CharField(
        label=_("Attribute with the area's name"), required=False, max_length=100,
        help_text=_("Leave empty to number the areas."))

    def clean(self):
        from apps.core.layers import read_layer

        data = super().clean()
        if data.get("file"):
            data["layer"] = _read(read_layer, data["file"])
            attribute = data.get("name_attribute")
            if attribute and not any(attribute in f.properties for f in data["layer"].features):
                raise ValidationError({"name_attribute": _(
                    "No feature has the attribute %(name)s.") % {"name": attribute}})
        return data


def _read(read_layer, file, **options):
    """The layer in the file, or the reasons why not under the file field."""
    try:
        return read_layer(file, **options)
    except ValidationError as error:
        raise ValidationError({"file": error.error_list}) from None


class ExposureLayerForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("File"), help_text=_(
        "Points or polygons with a number per feature: GeoJSON, zipped Shapefile or GeoPackage."))
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ExposureLayer.Kind.choices)
    attribute = forms.CharField(label=_("Attribute to count"), max_length=100,
                                help_text=_("For example pop or population."))
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)

    def clean(self):
        from apps.core.layers import read_layer

        data = super().clean()
        if data.get("file"):
            data["layer"] = _read(read_layer, data["file"], geometry_types=(
                "Point", "MultiPoint", "Polygon", "MultiPolygon"))
        return data


RECORD_FORMS = {
    "hazard": HazardForm,
    "system": SystemForm,
    "group": GroupForm,
    "trend": TrendForm,
    "projection": ProjectionForm,
}
