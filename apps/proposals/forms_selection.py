"""Forms of the selection steps: weights (directly or by AHP), the method, the shortlist and
the funder's decision. They only collect input; the rules are the models' (Call.set_weights,
Call.record_shortlist, decide)."""
from decimal import Decimal
from fractions import Fraction

from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from apps.events.models import Event
from apps.proposals.models import Call, Decision

# Saaty's scale, strongest preference for the first criterion first.
SAATY = [9, 8, 7, 6, 5, 4, 3, 2, 1] + [Fraction(1, n) for n in range(2, 10)]


def saaty_label(value):
    return str(value) if value >= 1 else f"1/{value.denominator}"


def nearest_saaty(value):
    """The scale step closest to a stored judgement (stored as a float)."""
    return min(SAATY, key=lambda s: abs(float(s) - float(value)))


class MethodForm(forms.Form):
    method = forms.ChoiceField(label=_("Ranking method"), choices=Call.Method.choices)


class WeightsForm(forms.Form):
    """One weight per criterion, named w<criterion pk>."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"w{c.pk}"] = forms.DecimalField(
                label=c.name, initial=c.weight.normalize(), max_digits=8, decimal_places=4,
                widget=forms.NumberInput(attrs={"step": "any", "class": "input"}))

    def weights(self):
        return {c.pk: self.cleaned_data[f"w{c.pk}"] for c in self.criteria}


class AHPForm(forms.Form):
    """A Saaty judgement for every pair of criteria i < j: how much more important i is."""

    def __init__(self, *args, criteria, judgements=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.pairs = []
        judgements = judgements or {}
        for i, a in enumerate(criteria):
            for j, b in enumerate(criteria[i + 1:], i + 1):
                choices = [(saaty_label(s), self._choice(s, a, b)) for s in SAATY]
                stored = judgements.get(f"{i},{j}")
                initial = saaty_label(nearest_saaty(stored)) if stored is not None else "1"
                name = f"p{i}_{j}"
                self.fields[name] = forms.ChoiceField(
                    label=_("“%(first)s” compared with “%(second)s”") % {"first": a.name,
                                                                          "second": b.name},
                    choices=choices, initial=initial)
                self.pairs.append((i, j, name))

    @staticmethod
    def _choice(s, a, b):
        if s == 1:
            return _("equally important")
        if s > 1:
            return _("%(n)s: “%(first)s” more important") % {"n": saaty_label(s), "first": a.name}
        return _("%(n)s: “%(second)s” more important") % {"n": saaty_label(s),
                                                            "second": b.name}

    def judgements(self):
        """{(i, j): value} for apps.proposals.ranking.ahp_matrix_from_judgements."""
        return {(i, j): float(Fraction(self.cleaned_data[name])) for i, j, name in self.pairs}

    def bound_pairs(self):
        return [self[name] for _i, _j, name in self.pairs]


class ShortlistForm(forms.Form):
    proposals = forms.ModelMultipleChoiceField(
        label=_("Shortlisted proposals"), queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one proposal.")})
    event = forms.ModelChoiceField(label=_("Selection meeting"), queryset=None,
                                   help_text=_("The meeting of activity 10 that chose the shortlist."))
    note_th = forms.CharField(label=_("Minutes of the decision (Thai)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    note_en = forms.CharField(label=_("Minutes of the decision (English)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, call, choices, **kwargs):
        """choices: (proposal pk, label) in ranking order."""
        super().__init__(*args, **kwargs)
        field = self.fields["proposals"]
        field.queryset = call.proposals.eligible()
        field.choices = choices
        # The selection meeting belongs to activity 10: list those events first.
        self.fields["event"].queryset = (
            Event.objects.for_city(call.city)
            .annotate(first=Case(When(city_activity__plan_activity__number=10, then=Value(0)),
                                 default=Value(1), output_field=IntegerField()))
            .order_by("first", "-starts_at"))
        self.fields["event"].label_from_instance = _event_label

    def clean_proposals(self):
        return list(self.cleaned_data["proposals"])


def _event_label(event):
    from apps.core.dates import format_date

    return f"{event.title} · {format_date(event.starts_at)}"


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Decision.Outcome.choices,
                                widget=forms.RadioSelect)
    approved_budget = forms.DecimalField(label=_("Approved budget (THB)"), required=False,
                                         max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    conditions_th = forms.CharField(label=_("Conditions (Thai)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    conditions_en = forms.CharField(label=_("Conditions (English)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    reason_th = forms.CharField(label=_("Reason (Thai)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    reason_en = forms.CharField(label=_("Reason (English)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))

    def arguments(self):
        data = self.cleaned_data
        return {"outcome": data["outcome"], "budget": data.get("approved_budget"),
                "conditions_th": data["conditions_th"], "conditions_en": data["conditions_en"],
                "reason_th": data["reason_th"], "reason_en": data["reason_en"]}


class CorrectionForm(DecisionForm):
    correction_reason = forms.CharField(label=_("Why the decision is corrected"),
                                        widget=forms.Textarea(attrs={"rows": 2}))
