from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.forms import LocalDateField, StyledFormMixin
from apps.people.models import Organisation
from apps.progress.models import Evidence


class StatusForm(StyledFormMixin, forms.Form):
    """One form for every status transition; `action` picks the model method."""

    ACTIONS = [
        ("start", _("Start")),
        ("complete", _("Mark done")),
        ("skip", _("Skip")),
        ("reopen", _("Reopen")),
    ]
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    started = LocalDateField(label=_("Actual start"), required=False)
    on = LocalDateField(label=_("Date"), required=False)
    reason = forms.CharField(label=_("Reason for skipping"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("action") == "skip" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the activity is skipped."))
        started, on = data.get("started"), data.get("on")
        if started and on and on < started:
            self.add_error("on", _("The end date cannot be before the start date."))
        return data

    def apply(self, activity, user):
        data = self.cleaned_data
        action = data["action"]
        if action == "start":
            activity.start(user, on=data.get("on") or data.get("started"))
        elif action == "complete":
            activity.complete(user, on=data.get("on"), started=data.get("started"))
        elif action == "skip":
            activity.skip(user, data["reason"])
        else:
            activity.reopen(user)


class PerformersForm(forms.Form):
    """Who carried the activity out: organisations of the city, or national ones."""

    organisations = forms.ModelMultipleChoiceField(
        label=_("Carried out by"), required=False, queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(
            Q(city=city) | Q(city__isnull=True))


class ScheduleForm(StyledFormMixin, forms.Form):
    planned_start = LocalDateField(label=_("Planned start"))
    planned_end = LocalDateField(label=_("Planned end"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The end date cannot be before the start date."))
        return data


class EvidenceForm(StyledFormMixin, forms.ModelForm):
    url = forms.URLField(label=_("link"), required=False, assume_scheme="https")

    class Meta:
        model = Evidence
        fields = ["kind", "title", "text", "url", "file"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


def apply_or_report(form, action):
    """Run a model transition and turn its ValidationError into form errors."""
    try:
        action()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return False
    return True
