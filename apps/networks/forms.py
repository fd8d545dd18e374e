from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import LocalDateField, StyledFormMixin
from apps.core.geo import clean_polygon
from apps.networks.models import City
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


class CityForm(StyledFormMixin, forms.ModelForm):
    """Facts a city keeps up to date; the boundary is GeoJSON pasted or uploaded."""

    boundary_file = forms.FileField(
        label=_("Boundary file (GeoJSON)"), required=False,
        help_text=_("A .geojson file with one Polygon or MultiPolygon in WGS 84; replaces the text above."),
    )

    class Meta:
        model = City
        fields = ["name_th", "name_en", "province_th", "province_en", "population",
                  "latitude", "longitude", "boundary"]
        widgets = {"boundary": forms.Textarea(attrs={"rows": 6, "spellcheck": "false"})}

    def clean(self):
        data = super().clean()
        upload = data.get("boundary_file")
        if upload:
            if upload.size > 5 * 1024 * 1024:
                self.add_error("boundary_file", _("The file is larger than %(mb)s MB.") % {"mb": 5})
                return data
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("boundary_file", _("The file is not UTF-8 text."))
                return data
            try:
                data["boundary"] = self.instance.boundary = clean_polygon(text)
            except forms.ValidationError as error:
                self.add_error("boundary_file", error)
        return data
