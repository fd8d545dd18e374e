from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import LocalDateField, StyledFormMixin
from apps.plans.models import PlanTemplate


class AdoptPlanForm(StyledFormMixin, forms.Form):
    plan = forms.ModelChoiceField(
        label=_("Plan version"),
        queryset=PlanTemplate.objects.filter(status=PlanTemplate.Status.PUBLISHED),
    )
    start = LocalDateField(
        label=_("Programme start"),
        help_text=_("The planned windows are shifted so the first activity starts this month."),
    )
