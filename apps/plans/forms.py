from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.forms import LocalDateField, StyledFormMixin
from apps.plans.models import Lead, PlanActivity


class PlanActivityForm(StyledFormMixin, forms.ModelForm):
    window_start = LocalDateField(label=_("Window start"))
    window_end = LocalDateField(label=_("Window end"), required=False)
    leads = forms.MultipleChoiceField(
        label=_("Who leads"), choices=Lead.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    prerequisites = forms.ModelMultipleChoiceField(
        label=_("Prerequisites"), queryset=PlanActivity.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PlanActivity
        fields = [
            "name_th", "name_en", "kind", "description_th", "description_en", "outputs_th",
            "outputs_en", "window_th", "window_en", "window_start", "window_end",
            "location_th", "location_en", "participant_cap", "cap_per_city", "leads",
            "network_wide", "prerequisites",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in (
            "description_th", "description_en", "outputs_th", "outputs_en")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prerequisites"].queryset = PlanActivity.objects.filter(
            plan=self.instance.plan_id).exclude(pk=self.instance.pk)
        for name in ("leads", "prerequisites"):
            self.fields[name].widget.attrs.pop("class", None)

    def clean_prerequisites(self):
        chosen = self.cleaned_data["prerequisites"]
        try:
            self.instance.check_prerequisites(list(chosen))
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return chosen
