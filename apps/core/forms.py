from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core import dates


class LocalDateInput(forms.TextInput):
    """A text box showing dd/mm/yyyy in the page's era (BE in Thai)."""

    def format_value(self, value):
        if hasattr(value, "year"):
            return dates.format_input(value)
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        placeholder = _("dd/mm/yyyy (Buddhist Era)") if dates.is_thai() else _("dd/mm/yyyy")
        context["widget"]["attrs"].setdefault("placeholder", placeholder)
        context["widget"]["attrs"].setdefault("inputmode", "numeric")
        return context


class LocalDateField(forms.DateField):
    """Accepts a Buddhist Era year in Thai and a Gregorian year in English; refuses the other."""

    widget = LocalDateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "year"):
            return value
        return dates.parse_date(str(value))


class StyledFormMixin:
    """Adds the CSS classes our templates expect, so every form renders alike."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "check" if isinstance(field.widget, forms.CheckboxInput) else "input"
            field.widget.attrs.setdefault("class", css)
