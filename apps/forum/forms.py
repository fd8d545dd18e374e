from django import forms
from django.utils.translation import gettext_lazy as _

from apps.assessments.models import RiskRating
from apps.forum.models import ForumSynthesis, PolicyRecommendation
from apps.monitoring.models import Indicator
from apps.networks.models import City
from apps.pilots.models import Pilot


class SynthesisForm(forms.ModelForm):
    class Meta:
        model = ForumSynthesis
        fields = ["title_th", "title_en"]


class RecommendationForm(forms.ModelForm):
    """The supporting data offered is the network's published data only (what the synthesis
    shows), so a recommendation cannot point at another network's or a private record."""

    class Meta:
        model = PolicyRecommendation
        fields = ["text_th", "text_en", "city", "risk", "pilot", "indicator"]
        widgets = {"text_th": forms.Textarea(attrs={"rows": 3}),
                   "text_en": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.filter(network=network)
        self.fields["risk"].queryset = RiskRating.objects.filter(
            assessment__city__network=network, assessment__published=True
        ).select_related("assessment__city")
        self.fields["pilot"].queryset = Pilot.objects.filter(city__network=network,
                                                             published=True)
        self.fields["indicator"].queryset = Indicator.objects.filter(
            city__network=network, pilot__published=True)
        self.fields["text_th"].error_messages["required"] = _(
            "Write the recommendation in Thai.")


class StakeholderForm(forms.Form):
    """One organisation's override; empty values go back to the computed default."""

    organisation = forms.IntegerField(widget=forms.HiddenInput)
    influence = forms.IntegerField(label=_("Influence (1-5)"), min_value=1, max_value=5,
                                   required=False)
    interest = forms.IntegerField(label=_("Interest (1-5)"), min_value=1, max_value=5,
                                  required=False)
    role_th = forms.CharField(label=_("Role in the climate response (Thai)"), max_length=300,
                              required=False)
    role_en = forms.CharField(label=_("Role in the climate response (English)"),
                              max_length=300, required=False)
