"""The evaluators' forms: the conflict-of-interest declaration, the score sheet of a proposal
and the correction of a submitted score.

They only gather the answers; the rules (own organisation, scale, declared first, submitted
once) are the models' (Evaluator.declare, Evaluator.score, Score.correct), whose messages the
views add to these forms.
"""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy as _

YES, NO = "yes", "no"
CONFLICT_CHOICES = [(NO, _("No conflict")), (YES, _("Conflict of interest"))]
# Scales this short are radio buttons; longer ones a number input with its bounds.
RADIO_SPAN = 10


def value_field(criterion, label=None, initial=None):
    """An integer on the criterion's scale. The bounds are left to Criterion.check_value, so a
    value off the scale gets the message that names the criterion."""
    low, high = criterion.scale_min, criterion.scale_max
    if high - low <= RADIO_SPAN:
        widget = forms.RadioSelect(choices=[(str(v), str(v)) for v in range(low, high + 1)])
    else:
        widget = forms.NumberInput(attrs={"min": low, "max": high, "step": 1, "class": "input"})
    off_scale = gettext("The score for “%(name)s” must be between %(low)s and %(high)s.") % {
        "name": criterion.name, "low": low, "high": high}
    return forms.IntegerField(label=label or criterion.name, required=False, widget=widget,
                              initial=initial, error_messages={"invalid": off_scale})


class DeclarationForm(forms.Form):
    """A conflict yes/no and a note per eligible proposal. Proposals of the evaluator's own
    organisation are conflicts whatever is answered, and answers already recorded stay as
    they were (a late-screened proposal is declared without revisiting the others)."""

    def __init__(self, *args, evaluator, proposals, conflicts, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for proposal in proposals:
            own = evaluator.own_organisation(proposal)
            recorded = conflicts.get(proposal.pk)
            fixed = own or recorded is not None
            initial = YES if own or (recorded and recorded.conflicted) else (
                NO if recorded else None)
            choice = forms.ChoiceField(
                label=proposal.title, choices=CONFLICT_CHOICES, widget=forms.RadioSelect,
                required=False, initial=initial, disabled=fixed)
            note = forms.CharField(label=_("Note"), required=False, max_length=500,
                                   disabled=fixed, initial=recorded.note if recorded else "",
                                   widget=forms.TextInput(attrs={"class": "input"}))
            self.fields[f"conflict_{proposal.pk}"] = choice
            self.fields[f"note_{proposal.pk}"] = note
            self.rows.append({"proposal": proposal, "own": own, "recorded": recorded,
                              "choice": self[f"conflict_{proposal.pk}"],
                              "note": self[f"note_{proposal.pk}"]})

    def answers(self):
        """{proposal pk: (conflicted, note)} for the proposals answered; the unanswered are left
        out so that Evaluator.declare names them."""
        found = {}
        for row in self.rows:
            pk = row["proposal"].pk
            choice = self.cleaned_data.get(f"conflict_{pk}")
            if row["own"]:
                choice = YES
            if choice in (YES, NO):
                found[pk] = (choice == YES, self.cleaned_data.get(f"note_{pk}", ""))
        return found


class ScoreForm(forms.Form):
    """One value and one comment per criterion of the call. A criterion left empty is not
    scored yet (a draft), unless it already had a draft value, which can change but not go."""

    def __init__(self, *args, criteria, drafts, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria, self.drafts, self.rows = criteria, drafts, []
        for criterion in criteria:
            draft = drafts.get(criterion.pk)
            self.fields[f"value_{criterion.pk}"] = value_field(
                criterion, initial=draft.value if draft else None)
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"), required=False, initial=draft.comment if draft else "",
                widget=forms.Textarea(attrs={"rows": 2}))
            self.rows.append({"criterion": criterion, "draft": draft,
                              "value": self[f"value_{criterion.pk}"],
                              "comment": self[f"comment_{criterion.pk}"]})

    def clean(self):
        data = super().clean()
        given = 0
        for criterion in self.criteria:
            name = f"value_{criterion.pk}"
            if name in self.errors:
                continue
            value = data.get(name)
            if value is None:
                if criterion.pk in self.drafts:
                    self.add_error(name, gettext("Keep a score for “%(name)s”: a draft score can "
                                                 "be changed, not removed.")
                                   % {"name": criterion.name})
                elif (data.get(f"comment_{criterion.pk}") or "").strip():
                    self.add_error(name, gettext("Give a score for “%(name)s” with its comment.")
                                   % {"name": criterion.name})
                continue
            given += 1
            try:
                criterion.check_value(value)
            except ValidationError as error:
                self.add_error(name, error)
        if not given and not self.errors:
            raise ValidationError(gettext("Give at least one score."))
        return data

    def values(self):
        """{criterion pk: (value, comment)} for Evaluator.score."""
        return {c.pk: (self.cleaned_data[f"value_{c.pk}"],
                       self.cleaned_data.get(f"comment_{c.pk}", ""))
                for c in self.criteria if self.cleaned_data.get(f"value_{c.pk}") is not None}


class CorrectionForm(forms.Form):
    """A new value for a submitted score, with the reason (Score.correct checks both)."""

    def __init__(self, *args, score, **kwargs):
        kwargs.setdefault("auto_id", f"id_s{score.pk}_%s")
        super().__init__(*args, **kwargs)
        self.score = score
        self.fields["value"] = value_field(score.criterion, label=_("New score"),
                                           initial=score.value)
        self.fields["comment"] = forms.CharField(label=_("Comment"), required=False,
                                                 initial=score.comment,
                                                 widget=forms.Textarea(attrs={"rows": 2}))
        self.fields["reason"] = forms.CharField(label=_("Reason for the correction"),
                                                required=False,
                                                widget=forms.Textarea(attrs={"rows": 2}))
