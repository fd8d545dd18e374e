from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import CITY_ASSESS_ROLES
from apps.assessments.models import RiskRating
from apps.core.forms import StyledFormMixin
from apps.evaluations.models import Evaluation, Finding, Outcome, Question, Recommendation
from apps.pilots.models import Pilot

TEXT = {"rows": 3}


class EvaluationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["pilot", "title_th", "title_en", "evaluators", "evaluator_names",
                  "scope_th", "scope_en", "method_th", "method_en"]
        widgets = {name: forms.Textarea(attrs=TEXT) for name in
                   ("evaluator_names", "scope_th", "scope_en", "method_th", "method_en")}
        widgets["evaluators"] = forms.CheckboxSelectMultiple

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.city = city
        self.fields["pilot"].queryset = Pilot.objects.filter(city=city).order_by("pk")
        self.fields["pilot"].label_from_instance = lambda pilot: pilot.title
        self.fields["pilot"].empty_label = _("(none: the city's whole programme)")
        # Evaluators with an account: the city's experts and coordinators.
        self.fields["evaluators"].queryset = get_user_model().objects.filter(
            roles__city=city, roles__role__in=CITY_ASSESS_ROLES).distinct().order_by("username")
        self.fields["evaluators"].label_from_instance = (
            lambda u: u.get_full_name() or u.get_username())
        self.fields["evaluators"].widget.attrs["class"] = "checks"


class _PartForm(StyledFormMixin, forms.ModelForm):
    """A row added to an evaluation; the model refuses it once the evaluation is signed."""

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation
        if "evaluation" in {f.name for f in self._meta.model._meta.fields}:
            self.instance.evaluation = evaluation

    def clean(self):
        data = super().clean()
        if self.evaluation.is_signed:
            raise forms.ValidationError(_("This evaluation is signed off and cannot change."))
        return data


class QuestionForm(_PartForm):
    class Meta:
        model = Question
        fields = ["criterion", "question_th", "question_en"]
        widgets = {"question_th": forms.Textarea(attrs=TEXT),
                   "question_en": forms.Textarea(attrs=TEXT)}


class FindingForm(_PartForm):
    class Meta:
        model = Finding
        fields = ["question", "finding_th", "finding_en", "rating"]
        widgets = {"finding_th": forms.Textarea(attrs=TEXT),
                   "finding_en": forms.Textarea(attrs=TEXT)}

    def __init__(self, *args, questions=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["question"]
        field.queryset = Question.objects.filter(evaluation=self.evaluation)
        if questions is not None:  # labels without a query per option
            field.choices = [("", "---------")] + [
                (q.pk, f"{q.order}. {q.question}") for q in questions]

    def clean_question(self):
        question = self.cleaned_data["question"]
        question.evaluation = self.evaluation  # the model's freeze check reads it
        return question


class OutcomeForm(_PartForm):
    class Meta:
        model = Outcome
        fields = ["risk", "description_th", "description_en", "change", "evidence_th",
                  "evidence_en", "indicator"]
        widgets = {name: forms.Textarea(attrs=TEXT) for name in
                   ("description_th", "description_en", "evidence_th", "evidence_en")}

    def __init__(self, *args, risks=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["risk"]
        field.required = True
        field.queryset = RiskRating.objects.filter(assessment__city=self.evaluation.city_id)
        if risks is not None:
            field.choices = [("", "---------")] + [(r.pk, str(r)) for r in risks]


class RecommendationForm(_PartForm):
    class Meta:
        model = Recommendation
        fields = ["target", "priority", "text_th", "text_en"]
        widgets = {"text_th": forms.Textarea(attrs=TEXT), "text_en": forms.Textarea(attrs=TEXT)}


PART_FORMS = {"question": QuestionForm, "finding": FindingForm, "outcome": OutcomeForm,
              "recommendation": RecommendationForm}
PART_MODELS = {"question": Question, "finding": Finding, "outcome": Outcome,
               "recommendation": Recommendation}


class ReopenForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("Why is it reopened?"), widget=forms.Textarea(attrs=TEXT),
                           max_length=2000)
