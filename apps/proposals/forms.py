"""Forms of the call and of a proposal. Rules stay in the models; these forms only turn
posted text into values and say, in the user's language, which field is wrong."""
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.core.concurrency import VersionedFormMixin
from apps.core.forms import LocalDateField, StyledFormMixin
from apps.events.forms import LocalDateTimeField
from apps.proposals.models import (
    BudgetLine, Call, Criterion, ProposalActivity, Proposal, ProposalIndicator,
)


class ChoicesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return str(obj)


class CallForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    opens_at = LocalDateTimeField(label=_("Opens"))
    closes_at = LocalDateTimeField(label=_("Closes"))
    risks = ChoicesField(queryset=None, required=False, label=_("Targeted risks"))
    groups = ChoicesField(queryset=None, required=False, label=_("Targeted vulnerable groups"))
    areas = ChoicesField(queryset=None, required=False, label=_("Targeted risk areas"))
    rules_text = forms.CharField(
        label=_("Eligibility rules"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text=_("One rule a line; add the English after a vertical bar: ไทย | English."))
    evaluators = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Evaluators"))

    class Meta:
        model = Call
        fields = ["title_th", "title_en", "description_th", "description_en", "risks", "groups",
                  "areas", "budget_ceiling", "opens_at", "closes_at", "quota", "method"]

    def __init__(self, *args, city, **kwargs):
        from apps.assessments.models import RiskArea, RiskRating, ScopeGroup

        super().__init__(*args, **kwargs)
        self.city = city
        self.fields["risks"].queryset = RiskRating.objects.filter(assessment__city=city)
        self.fields["groups"].queryset = ScopeGroup.objects.filter(assessment__city=city)
        self.fields["areas"].queryset = RiskArea.objects.filter(assessment__city=city)
        User = get_user_model()
        # Evaluators come from the city's people with a role, or the network's coordinators.
        self.fields["evaluators"].queryset = User.objects.filter(
            Q(roles__city=city, roles__role__in=[Role.EXPERT, Role.CITY_COORDINATOR,
                                                 Role.WORKING_GROUP_MEMBER])
            | Q(roles__network=city.network_id, roles__role=Role.NATIONAL_COORDINATOR)
        ).distinct().order_by("username")
        self.fields["evaluators"].label_from_instance = _user_label
        for name in ("risks", "groups", "areas", "evaluators"):
            self.fields[name].widget.attrs["class"] = "check"
        if self.instance.pk:
            self.initial["rules_text"] = "\n".join(
                f"{r.text_th} | {r.text_en}" if r.text_en else r.text_th
                for r in self.instance.rules.all())
            self.initial["evaluators"] = list(self.instance.evaluators.values_list("user", flat=True))

    def clean_rules_text(self):
        rules = []
        for number, line in enumerate(self.cleaned_data["rules_text"].splitlines(), 1):
            if not line.strip():
                continue
            th, _bar, en = line.partition("|")
            if not th.strip():
                raise forms.ValidationError(_("Line %(n)s has no Thai text.") % {"n": number})
            if len(th.strip()) > 500 or len(en.strip()) > 500:
                raise forms.ValidationError(_("Line %(n)s is longer than 500 characters.")
                                            % {"n": number})
            rules.append((th.strip(), en.strip()))
        return rules


def _user_label(user):
    person = getattr(user, "person", None)
    name = (person.full_name if person else "") or user.get_full_name() or user.username
    organisation = person.organisation if person and person.organisation_id else None
    return f"{name} ({organisation})" if organisation else name


class CriterionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name_th", "name_en", "description_th", "weight", "scale_min", "scale_max"]
        widgets = {"description_th": forms.TextInput()}

    def clean(self):
        data = super().clean()
        low, high = data.get("scale_min"), data.get("scale_max")
        if low is not None and high is not None and high <= low:
            self.add_error("scale_max", _("The highest score must be above the lowest."))
        return data


class BaseCriterionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError(_("Give the call at least one criterion."))
        weights = [f.cleaned_data.get("weight") or 0 for f in kept]
        if any(w < 0 for w in weights):
            raise forms.ValidationError(_("Weights cannot be negative."))
        if not any(weights):
            raise forms.ValidationError(_("At least one criterion must have a weight above zero."))


CriterionFormSet = forms.inlineformset_factory(
    Call, Criterion, form=CriterionForm, formset=BaseCriterionFormSet, extra=2, can_delete=True)


class PublishForm(forms.Form):
    published = forms.BooleanField(required=False)


# -- the proposal ----------------------------------------------------------------------------
class ProposalForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    risks = ChoicesField(queryset=None, required=False, label=_("Risks addressed"))
    groups = ChoicesField(queryset=None, required=False, label=_("Target groups"))
    areas = ChoicesField(queryset=None, required=False, label=_("Target areas"))
    geometry = forms.CharField(widget=forms.HiddenInput, required=False, label=_("Project area"))

    class Meta:
        model = Proposal
        fields = ["title_th", "title_en", "problem_th", "problem_en", "objectives_th",
                  "objectives_en", "results_th", "results_en", "risks", "groups", "areas"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in (
            "problem_th", "problem_en", "objectives_th", "objectives_en", "results_th",
            "results_en")}

    def __init__(self, *args, call, **kwargs):
        from apps.assessments.models import RiskArea, RiskRating, ScopeGroup

        super().__init__(*args, **kwargs)
        city = call.city
        self.fields["risks"].queryset = RiskRating.objects.filter(assessment__city=city)
        self.fields["groups"].queryset = ScopeGroup.objects.filter(assessment__city=city)
        self.fields["areas"].queryset = RiskArea.objects.filter(assessment__city=city)
        for name in ("risks", "groups", "areas"):
            self.fields[name].widget.attrs["class"] = "check"
        if self.instance.geometry:
            import json

            self.initial["geometry"] = json.dumps(self.instance.geometry)

    def clean_geometry(self):
        from apps.core.layers import read_geojson_geometry, to_geojson

        text = self.cleaned_data.get("geometry") or ""
        if not text.strip():
            return None
        return to_geojson(read_geojson_geometry(text))

    def save(self, commit=True):
        self.instance.geometry = self.cleaned_data.get("geometry")
        return super().save(commit)


class ActivityForm(StyledFormMixin, forms.ModelForm):
    starts = LocalDateField(label=_("From"))
    ends = LocalDateField(label=_("To"))

    class Meta:
        model = ProposalActivity
        fields = ["name", "starts", "ends"]

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] < data["starts"]:
            self.add_error("ends", _("An activity cannot end before it starts."))
        return data


class BudgetLineForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["item", "amount", "cofunding", "cofunder"]


class IndicatorForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ProposalIndicator
        fields = ["name", "unit", "baseline", "target"]


def _inline(model, form, extra=1):
    return forms.inlineformset_factory(Proposal, model, form=form, extra=extra, can_delete=True)


ActivityFormSet = _inline(ProposalActivity, ActivityForm)
BudgetFormSet = _inline(BudgetLine, BudgetLineForm)
IndicatorFormSet = _inline(ProposalIndicator, IndicatorForm)


class AttachmentForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(label=_("File"))


class ScreeningForm(forms.Form):
    """One yes/no and reason per eligibility rule of the call."""

    def __init__(self, *args, rules, checks, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rules
        for rule in rules:
            check = checks.get(rule.pk)
            self.fields[f"rule_{rule.pk}"] = forms.TypedChoiceField(
                label=rule.text, widget=forms.RadioSelect, coerce=lambda v: v == "yes",
                choices=[("yes", _("Meets the rule")), ("no", _("Does not meet the rule"))],
                initial=None if check is None else ("yes" if check.eligible else "no"),
                error_messages={"required": _("Answer this rule.")})
            self.fields[f"reason_{rule.pk}"] = forms.CharField(
                label=_("Reason (sent to the proponent)"), required=False,
                initial=check.reason if check else "",
                widget=forms.Textarea(attrs={"rows": 2, "class": "input"}))

    def answers(self):
        return {rule.pk: (self.cleaned_data[f"rule_{rule.pk}"],
                          self.cleaned_data[f"reason_{rule.pk}"]) for rule in self.rules}

    def pairs(self):
        return [(rule, self[f"rule_{rule.pk}"], self[f"reason_{rule.pk}"]) for rule in self.rules]
