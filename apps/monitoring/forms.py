"""Forms of the M&E framework, report review and value imports. The value grid itself is read
straight from the POST (apps.monitoring.views.report_edit): its cells are checked by
Report.save_values with the importer's rules."""
import json

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.core.forms import LocalDateField, StyledFormMixin
from apps.monitoring.models import Criterion, Indicator, Period

IMPORT_MAX_BYTES = getattr(settings, "DATA_UPLOAD_MAX_BYTES", 25 * 1024 * 1024) * 4


class CriterionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name_th", "name_en", "order"]


class DisaggregationField(forms.CharField):
    """JSON typed in a text box: {"gender": ["women", "men"]}."""

    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False) if value else ""
        return value

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return {}
        try:
            return json.loads(value)
        except ValueError:
            raise forms.ValidationError(_('Write JSON, e.g. {"gender": ["women", "men"]}.'))


class IndicatorForm(StyledFormMixin, forms.ModelForm):
    baseline_date = LocalDateField(label=_("baseline date"), required=False)
    disaggregation = DisaggregationField(label=_("disaggregation"), required=False,
                                         help_text=_('e.g. {"gender": ["women", "men"]}'))

    class Meta:
        model = Indicator
        fields = ["criterion", "pilot", "code", "name_th", "name_en", "definition_th",
                  "definition_en", "kind", "unit", "baseline", "baseline_text", "baseline_date",
                  "frequency", "data_source", "reporter", "min_value", "max_value",
                  "cumulative", "disaggregation", "source", "order"]
        widgets = {"definition_th": forms.Textarea(attrs={"rows": 2}),
                   "definition_en": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.city = city
        self.fields["criterion"].queryset = Criterion.objects.filter(city=city)
        self.fields["pilot"].queryset = city.pilots.all()

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        clash = Indicator.objects.filter(city=self.instance.city, code=code).exclude(
            pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another indicator of the city has this code."))
        return code


class PeriodForm(StyledFormMixin, forms.ModelForm):
    start = LocalDateField(label=_("from"))
    end = LocalDateField(label=_("to"))

    class Meta:
        model = Period
        fields = ["label_th", "label_en", "start", "end"]

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.city = city

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period ends before it starts."))
        if start and Period.objects.filter(city=self.instance.city, start=start).exclude(
                pk=self.instance.pk).exists():
            self.add_error("start", _("The city already has a period starting that day."))
        return data


class TargetsForm(StyledFormMixin, forms.Form):
    """One target field per period of the city."""

    def __init__(self, *args, indicator, periods, **kwargs):
        super().__init__(*args, **kwargs)
        current = {t.period_id: t.value for t in indicator.targets.all()}
        for period in periods:
            self.fields[f"p{period.pk}"] = forms.DecimalField(
                label=period.label, required=False, max_digits=20, decimal_places=4,
                initial=current.get(period.pk))
        self.periods = periods


class LibraryPickForm(StyledFormMixin, forms.Form):
    criterion = forms.ModelChoiceField(queryset=Criterion.objects.none(),
                                       label=_("criterion"))
    indicators = forms.ModelMultipleChoiceField(queryset=None, label=_("library indicators"),
                                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = Criterion.objects.filter(city=city)
        self.fields["indicators"].queryset = city.network.indicator_library.all()


class OpenReportForm(StyledFormMixin, forms.Form):
    period = forms.ModelChoiceField(queryset=Period.objects.none(), label=_("period"))
    pilot = forms.ModelChoiceField(queryset=None, required=False, label=_("pilot project"),
                                   empty_label=_("City-wide"))

    def __init__(self, *args, city, pilots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = Period.objects.filter(city=city)
        self.fields["pilot"].queryset = pilots


class ReviewForm(StyledFormMixin, forms.Form):
    ACTIONS = [("return", _("Return for changes")), ("approve", _("Approve")),
               ("lock", _("Lock"))]
    action = forms.ChoiceField(choices=ACTIONS, label=_("decision"))
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              label=_("comment (required to return)"))


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    pilot = forms.ModelChoiceField(queryset=None, required=False, label=_("pilot project"),
                                   empty_label=_("City-wide"))

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pilot"].queryset = city.pilots.all()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.") % {
                "mb": IMPORT_MAX_BYTES // (1024 * 1024)})
        head = upload.read(4)
        upload.seek(0)
        if name.endswith(".xlsx"):
            if head != b"PK\x03\x04":
                raise forms.ValidationError(_("The file is named .xlsx but is not an Excel "
                                              "workbook."))
        elif name.endswith(".csv"):
            if b"\x00" in upload.read(4096):
                upload.seek(0)
                raise forms.ValidationError(_("The file is named .csv but is not text."))
            upload.seek(0)
        else:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


