"""Climate analyses cited as evidence for a hazard's trend.

An analysis (apps.climate) computes annual indices of a station's daily series with their trend
tests; the assessment cites one index of one analysis for a hazard (Rx1day for floods, CDD for
drought, SU35 for heat, ...). Only analyses the user may read are offered, and a citation is
shown only to those who may read the analysis (a published assessment may cite an unpublished
station: readers outside the city see that evidence exists, not its numbers).
"""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.assessments.models import HazardTrend, TrendEvidence
from apps.core.forms import StyledFormMixin


def evidence_for_trends(request, trends):
    """Attach `evidence_rows` (TrendEvidence with `summary` or None) to each trend: two queries."""
    from apps.climate.models import Analysis

    rows = list(TrendEvidence.objects.filter(trend__in=trends).select_related("analysis__station"))
    readable = set(Analysis.objects.visible_to(request.user)
                   .filter(pk__in={r.analysis_id for r in rows}).values_list("pk", flat=True))
    for row in rows:
        row.summary = row.analysis.result_for(row.index) if row.analysis_id in readable else None
    for trend in trends:
        trend.evidence_rows = [r for r in rows if r.trend_id == trend.pk]


def choices(city, user):
    """(value, label) of every index of every finished analysis the user may cite."""
    from apps.climate.models import Analysis

    options = []
    for analysis in Analysis.objects.citable(city, user):
        for code in analysis.index_codes:
            label = f"{code} · {analysis.station} · #{analysis.pk}"
            options.append((f"{analysis.pk}:{code}", label))
    return options


class EvidenceForm(StyledFormMixin, forms.Form):
    trend = forms.ModelChoiceField(queryset=HazardTrend.objects.none(), label=_("Hazard"))
    source = forms.ChoiceField(label=_("Climate analysis and index"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, assessment, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.fields["trend"].queryset = HazardTrend.objects.filter(assessment=assessment)
        self.fields["trend"].label_from_instance = lambda t: t.get_hazard_display()
        self.fields["source"].choices = [("", "---------"),
                                         *choices(assessment.city, user)]

    def clean(self):
        data = super().clean()
        trend, source = data.get("trend"), data.get("source")
        if trend and source:
            analysis_id, _sep, index = source.partition(":")
            if TrendEvidence.objects.filter(trend=trend, analysis_id=analysis_id,
                                            index=index).exists():
                raise ValidationError(gettext("This evidence is already cited for this hazard."))
            data["analysis_id"], data["index"] = int(analysis_id), index
        return data

    def save(self, by):
        data = self.cleaned_data
        return TrendEvidence.objects.create(trend=data["trend"], analysis_id=data["analysis_id"],
                                            index=data["index"], note=data["note"], added_by=by)
