from django import forms
from django.utils.translation import gettext_lazy as _

from apps.climate.models import Analysis, SeriesUpload, Station
from apps.core.forms import StyledFormMixin


class StationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Station
        fields = ["code", "name_th", "name_en", "source", "latitude", "longitude", "elevation_m"]

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.city = city

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        others = Station.objects.filter(city=self.instance.city, code=code)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The city already has a station with this code."))
        return code


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Daily series (CSV or Excel .xlsx)"),
        help_text=_("Columns: date, rainfall (mm), Tmax, Tmin; Thai or English headers. "
                    "Dates like 15/06/2553 (Buddhist Era) or 2010-06-15. Blank cells are "
                    "missing days."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
    mode = forms.ChoiceField(label=_("Days already recorded"), choices=SeriesUpload.Mode,
                             initial=SeriesUpload.Mode.MERGE, widget=forms.RadioSelect)


class YearField(forms.IntegerField):
    """A year typed in either era: above 2400 it is Buddhist Era."""

    def to_python(self, value):
        year = super().to_python(value)
        if year is not None and year > 2400:
            year -= 543
        if year is not None and not 1850 <= year <= 2100:
            raise forms.ValidationError(_("Enter a year such as 1991 or 2534."))
        return year


class AnalysisForm(StyledFormMixin, forms.ModelForm):
    base_start = YearField(label=_("Base period from (year)"), required=False)
    base_end = YearField(label=_("Base period to (year)"), required=False)

    class Meta:
        model = Analysis
        fields = ["hot_threshold", "base_start", "base_end"]

    def clean_hot_threshold(self):
        value = self.cleaned_data["hot_threshold"]
        if not 20 <= value <= 45:
            raise forms.ValidationError(_("Choose a threshold between 20 and 45 °C."))
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("base_start"), data.get("base_end")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("Give both years of the base period, or neither "
                                          "(then the whole record is the base)."))
        if start is not None and end is not None and end - start < 9:
            self.add_error("base_end", _("The base period needs at least 10 years."))
        return data
