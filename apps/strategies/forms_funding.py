from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.forms import LocalDateField, StyledFormMixin
from apps.strategies.funding_models import (
    LOGFRAME_COLUMNS, LOGFRAME_LEVELS, FunderProposal, FunderSubmission,
)


class ProposalForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = FunderProposal
        fields = ["title_th", "title_en", "problem_th", "problem_en", "objectives_th",
                  "objectives_en", "activities_th", "activities_en", "budget", "indicators_th",
                  "indicators_en"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields[2:]
                   if name != "budget"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        frame = self.instance.logframe or {}
        self.logframe_fields = []
        for lang in ("th", "en"):
            for level, level_label in LOGFRAME_LEVELS:
                for col, col_label in LOGFRAME_COLUMNS:
                    name = f"lf_{lang}_{level}_{col}"
                    self.fields[name] = forms.CharField(
                        label=f"{level_label} · {col_label} ({lang.upper()})", required=False,
                        widget=forms.Textarea(attrs={"rows": 2, "class": "input"}),
                        initial=frame.get(lang, {}).get(level, {}).get(col, ""))
                    self.logframe_fields.append(name)

    def save(self, commit=True):
        proposal = super().save(commit=False)
        proposal.logframe = {lang: {level: {col: self.cleaned_data[f"lf_{lang}_{level}_{col}"]
                                            for col, _c in LOGFRAME_COLUMNS}
                                    for level, _l in LOGFRAME_LEVELS} for lang in ("th", "en")}
        if commit:
            proposal.save()
        return proposal


class SubmissionForm(StyledFormMixin, forms.ModelForm):
    submitted_on = LocalDateField(label=_("submitted on"), required=False)
    decided_on = LocalDateField(label=_("decided on"), required=False)

    class Meta:
        model = FunderSubmission
        fields = ["funder", "amount", "submitted_on", "decided_on", "status", "outcome"]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        submitted, decided = data.get("submitted_on"), data.get("decided_on")
        if submitted and decided and decided < submitted:
            self.add_error("decided_on", gettext("The decision date is before the submission."))
        if data.get("status") in ("approved", "rejected") and not decided:
            self.add_error("decided_on", gettext("Give the date of the funder's decision."))
        return data
