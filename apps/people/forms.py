from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import LocalDateField, StyledFormMixin
from apps.people.models import Membership, Organisation, Person


class PersonForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name_th", "full_name_en", "organisation", "sector", "position",
                  "email", "phone", "gender"]

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.city = city
        # Organisations of this city, or national ones: never another city's.
        self.fields["organisation"].queryset = Organisation.objects.filter(
            city__in=[city]) | Organisation.objects.filter(city__isnull=True)


class OrganisationForm(StyledFormMixin, forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name_th", "name_en", "short_name", "kind", "city", "website"]

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities
        self.fields["city"].required = True


class MembershipForm(StyledFormMixin, forms.ModelForm):
    start = LocalDateField(label=_("Start"))
    end = LocalDateField(label=_("End"), required=False)

    class Meta:
        model = Membership
        fields = ["person", "role", "start", "end"]

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.group = group
        self.fields["person"].queryset = Person.objects.filter(city=group.city_id)


class EndMembershipForm(StyledFormMixin, forms.Form):
    end = LocalDateField(label=_("End"))


class ErasureForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The request this answers (who asked, when, how). Do not repeat the "
                    "person's details here: the reason is kept."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the name, contacts and account details are removed for "
                "good and cannot be restored."),
    )
