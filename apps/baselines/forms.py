from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.baselines.imports import parse_when
from apps.baselines.models import (
    BaselineProfile, ClimateNormal, EconomicSector, LandUse, PastDisaster, check_shares,
)
from apps.core import dates
from apps.core.forms import StyledFormMixin

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class LocalYearField(forms.IntegerField):
    """A year in the page's era: Buddhist Era in Thai (2553), Gregorian in English (2010)."""

    def prepare_value(self, value):
        if isinstance(value, int):
            return dates.display_year(value)
        return value

    def to_python(self, value):
        year = super().to_python(value)
        if year is None:
            return None
        return dates.check_year(year, 1, 1).year


# The profile form's fields by section, in the page's order; the template draws a fieldset each.
SECTIONS = [
    ("population", _("Population"), ["population", "population_year", "population_source",
                                      "growth_rate", "area_km2", "households"]),
    ("economy", _("Economy and livelihoods"), ["economy_th", "economy_en"]),
    ("land-use", _("Land use"), ["land_use_note_th", "land_use_note_en"]),
    ("infrastructure", _("Infrastructure and services"), [
        "water_coverage", "electricity_coverage", "drainage_km", "solid_waste_tpd",
        "health_facilities", "schools", "infrastructure_th", "infrastructure_en"]),
    ("sources", _("Data sources"), ["sources_th", "sources_en"]),
]


class ProfileForm(StyledFormMixin, forms.ModelForm):
    population_year = LocalYearField(label=_("Population year"), required=False)

    class Meta:
        model = BaselineProfile
        fields = [name for _anchor, _title, names in SECTIONS for name in names]
        widgets = {name: TEXTAREA for name in ("economy_th", "economy_en", "land_use_note_th",
                                               "land_use_note_en", "infrastructure_th",
                                               "infrastructure_en", "sources_th", "sources_en")}

    def sections(self):
        return [(anchor, title, [self[name] for name in names])
                for anchor, title, names in SECTIONS]


class ShareFormSet(forms.BaseInlineFormSet):
    """Rows with a share in %: the shares of the rows kept add up to at most 100, and the
    error names the row where the total goes over."""

    what = ""

    def label(self, form):
        raise NotImplementedError

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = []
        for number, form in enumerate(self.forms, 1):  # as numbered on the page
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            rows.append((number, self.label(form), form.cleaned_data.get("share")))
        check_shares(rows, self.what)

    def save(self, commit=True):
        saved = super().save(commit=False)
        for form in self.deleted_forms:
            if form.instance.pk:
                form.instance.delete()
        for order, form in enumerate(f for f in self.forms if f not in self.deleted_forms):
            if form.instance.pk or form.has_changed():
                form.instance.order = order
                form.instance.profile = self.instance
                if commit:
                    form.instance.save()
        return saved


class SectorFormSet(ShareFormSet):
    what = _("economic sector")

    def label(self, form):
        data = form.cleaned_data
        return data.get("name_en") or data.get("name_th") or ""


class LandUseFormSet(ShareFormSet):
    what = _("land use")

    def label(self, form):
        return dict(LandUse.Category.choices).get(form.cleaned_data.get("category"), "")


class SectorForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = EconomicSector
        fields = ["name_th", "name_en", "share"]

    def clean(self):
        data = super().clean()
        if not (data.get("name_th") or data.get("name_en")):
            # On the field, so the model's own check of the same rule is not said twice.
            self.add_error("name_th", _("Name the sector in Thai or English."))
        return data


class LandUseForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = LandUse
        fields = ["category", "detail_th", "detail_en", "share"]


def sector_formset(*args, **kwargs):
    factory = forms.inlineformset_factory(
        BaselineProfile, EconomicSector, form=SectorForm, formset=SectorFormSet, extra=3,
        can_delete=True, max_num=30)
    return factory(*args, prefix="sectors", **kwargs)


def land_use_formset(*args, **kwargs):
    factory = forms.inlineformset_factory(
        BaselineProfile, LandUse, form=LandUseForm, formset=LandUseFormSet, extra=3,
        can_delete=True, max_num=30)
    return factory(*args, prefix="land", **kwargs)


class DisasterForm(StyledFormMixin, forms.ModelForm):
    when = forms.CharField(
        label=_("Date"), max_length=40,
        help_text=_("Day/month/year, month/year or a year; Buddhist Era in Thai."))

    class Meta:
        model = PastDisaster
        fields = ["hazard", "area_th", "area_en", "people_affected", "deaths", "damage_thb",
                  "source"]

    field_order = ["when", *Meta.fields]

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.profile = profile

    def clean_when(self):
        self.instance.date, self.instance.precision = parse_when(self.cleaned_data["when"])
        return self.cleaned_data["when"]


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"),
                           help_text=_("A .csv or .xlsx file, at most 2 MB."))
    replace = forms.BooleanField(
        label=_("Replace the disasters recorded now"), required=False,
        help_text=_("Otherwise the file's disasters are added to those recorded."))


class ClimateForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = BaselineProfile
        fields = ["climate_period", "climate_station", "climate_source"]


class NormalRowForm(StyledFormMixin, forms.Form):
    """One month of the normals grid; a blank row means "no normal for this month"."""

    tmax = forms.DecimalField(label=_("mean Tmax (°C)"), max_digits=4, decimal_places=1,
                              required=False, min_value=-50, max_value=60)
    tmin = forms.DecimalField(label=_("mean Tmin (°C)"), max_digits=4, decimal_places=1,
                              required=False, min_value=-60, max_value=50)
    rainfall = forms.DecimalField(label=_("rainfall (mm)"), max_digits=6, decimal_places=1,
                                  required=False, min_value=0)
    rain_days = forms.DecimalField(label=_("rain days"), max_digits=4, decimal_places=1,
                                   required=False, min_value=0)

    def __init__(self, *args, month, **kwargs):
        super().__init__(*args, **kwargs)
        self.month = month
        self.month_name = dates.THAI_MONTHS[month - 1] if dates.is_thai() \
            else dates.ENGLISH_MONTHS[month - 1]
        for field in self.fields.values():
            field.widget.attrs.update({"class": "input num", "step": "0.1"})

    def clean(self):
        data = super().clean()
        values = [data.get(n) for n in ("tmax", "tmin", "rainfall", "rain_days")]
        if all(v is None for v in values) and not self.errors:
            return data
        for name in ("tmax", "tmin", "rainfall"):
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, _("Enter it, or leave the whole month blank."))
        if self.errors:
            return data
        normal = ClimateNormal(month=self.month, **{k: data.get(k) for k in
                                                    ("tmax", "tmin", "rainfall", "rain_days")})
        try:
            normal.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(name, message)
        return data

    def normal(self):
        data = self.cleaned_data
        if data.get("tmax") is None:
            return None
        return {k: data.get(k) for k in ("tmax", "tmin", "rainfall", "rain_days")}


def normal_forms(profile, data=None):
    """Twelve month rows, filled from the profile's normals."""
    existing = {n.month: n for n in profile.normals.all()} if profile.pk else {}
    rows = []
    for month in range(1, 13):
        normal = existing.get(month)
        initial = {k: getattr(normal, k) for k in ("tmax", "tmin", "rainfall", "rain_days")} \
            if normal else None
        rows.append(NormalRowForm(data, prefix=f"m{month}", month=month, initial=initial))
    return rows
