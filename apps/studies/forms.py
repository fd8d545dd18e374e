from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import CITY_ASSESS_ROLES
from apps.assessments.models import RiskArea, RiskRating, ScopeGroup
from apps.core.forms import StyledFormMixin
from apps.dialogues.models import Dialogue, DialogueItem, ItemKind
from apps.people.models import Organisation
from apps.studies import graph
from apps.studies.models import (
    ImpactLink, ImpactNode, NodeKind, SectorStudy, StudyAttachment, StudyVersion,
)


def strategic_issues(city):
    """The strategic issues of the city's SLD 2, in the dialogue's order (none without one)."""
    dialogue = Dialogue.objects.for_sld(city, 2)
    if dialogue is None:
        return DialogueItem.objects.none()
    return DialogueItem.objects.filter(dialogue=dialogue, kind=ItemKind.STRATEGIC_ISSUE)


class NodeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ImpactNode
        fields = ["kind", "text_th", "text_en", "hazard", "system", "group", "area"]
        help_texts = {"hazard": _("Hazard nodes only."), "system": _("Impact nodes only."),
                      "group": _("Affected nodes only."), "area": _("Affected nodes only.")}

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.assessment = assessment
        saved = assessment.pk is not None  # an assessment not started yet has no scope
        self.fields["group"].queryset = (ScopeGroup.objects.filter(assessment=assessment)
                                         if saved else ScopeGroup.objects.none())
        self.fields["area"].queryset = (RiskArea.objects.filter(assessment=assessment)
                                        if saved else RiskArea.objects.none())
        self.fields["text_th"].help_text = _("Leave empty to use the name of the hazard, "
                                             "system, group or area chosen.")


class LinkForm(StyledFormMixin, forms.Form):
    from_node = forms.ModelChoiceField(queryset=ImpactNode.objects.none(), label=_("From"))
    to_node = forms.ModelChoiceField(queryset=ImpactNode.objects.none(), label=_("To"))

    def __init__(self, *args, assessment, nodes=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = (ImpactNode.objects.filter(assessment=assessment) if assessment.pk
                    else ImpactNode.objects.none())
        for name in ("from_node", "to_node"):
            self.fields[name].queryset = queryset
            if nodes is not None:  # labels grouped by kind, without a query per option
                groups = [(kind.label, [(n.pk, n.text) for n in nodes if n.kind == kind])
                          for kind in NodeKind]
                allowed = {
                    "from_node": {graph.HAZARD, graph.IMPACT, graph.CONSEQUENCE},
                    "to_node": {graph.IMPACT, graph.CONSEQUENCE, graph.AFFECTED},
                }[name]
                self.fields[name].choices = [("", "---------")] + [
                    (label, options) for (label, options), kind in zip(groups, NodeKind)
                    if options and kind in allowed]

    def link(self):
        return ImpactLink(from_node=self.cleaned_data["from_node"],
                          to_node=self.cleaned_data["to_node"])


class StudyForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = SectorStudy
        fields = ["issue", "title_th", "title_en", "sector", "lead", "experts", "expert_names"]
        widgets = {"expert_names": forms.Textarea(attrs={"rows": 3}),
                   "experts": forms.CheckboxSelectMultiple}

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.assessment = assessment
        city = assessment.city
        self.fields["issue"].queryset = strategic_issues(city)
        self.fields["issue"].label_from_instance = lambda item: item.text
        self.fields["issue"].empty_label = _("(none: give a title)")
        self.fields["title_th"].required = False
        self.fields["title_th"].help_text = _("Empty: the strategic issue's text.")
        self.fields["lead"].queryset = Organisation.objects.filter(
            Q(city=city) | Q(city__isnull=True)).order_by("name_th")
        # Experts with an account: the city's experts and coordinators.
        self.fields["experts"].queryset = get_user_model().objects.filter(
            roles__city=city, roles__role__in=CITY_ASSESS_ROLES).distinct().order_by("username")
        self.fields["experts"].label_from_instance = (
            lambda u: u.get_full_name() or u.get_username())
        self.fields["experts"].widget.attrs["class"] = "checks"


class VersionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = StudyVersion
        fields = ["findings_th", "findings_en", "recommendations_th", "recommendations_en",
                  "risks", "nodes"]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in
                   ("findings_th", "findings_en", "recommendations_th", "recommendations_en")}
        widgets.update(risks=forms.CheckboxSelectMultiple, nodes=forms.CheckboxSelectMultiple)

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risks"].queryset = RiskRating.objects.filter(assessment=assessment)
        self.fields["nodes"].queryset = ImpactNode.objects.filter(assessment=assessment)
        self.fields["nodes"].label_from_instance = (
            lambda n: f"{n.get_kind_display()}: {n.text}")
        for name in ("risks", "nodes"):
            self.fields[name].widget.attrs["class"] = "checks"


class AttachmentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = StudyAttachment
        fields = ["title", "file"]

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.version = version
        self.fields["title"].required = False
        self.fields["file"].widget.attrs["accept"] = (
            ".pdf,.docx,.xlsx,.png,.jpg,.jpeg,.gif,.webp")
