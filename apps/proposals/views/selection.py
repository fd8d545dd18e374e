"""The ranking, the weights (directly or by AHP), the selection meeting's shortlist and the
funder's decisions. The rules are the models' (Call.set_weights, Call.set_method,
Call.record_shortlist, decide); these views collect input and show the models' messages."""
import math

import numpy as np
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.access import access
from apps.pilots.models import Pilot
from apps.proposals import ranking as mcda
from apps.proposals.access import (
    call_for, can_manage, proposal_for, require_funder, require_manage, require_ranking,
)
from apps.proposals.forms_selection import (
    AHPForm, CorrectionForm, DecisionForm, MethodForm, ShortlistForm, WeightsForm,
)
from apps.proposals.models import Call, Decision, Shortlist, decide as record_decision

# A proposal x criterion is highlighted when the evaluators' scores span at least half the
# criterion's scale: they do not agree on what the proposal is worth there.
LARGE_RANGE = 0.5
# Saaty: revisit the judgements when the consistency ratio is above 0.10.
MAX_CONSISTENCY = 0.10


def _num(value):
    return None if value is None or math.isnan(value) else float(value)


def _raw(normalised, criterion):
    """A normalised [0, 1] value back on the criterion's own scale."""
    if normalised is None or math.isnan(normalised):
        return None
    return criterion.scale_min + normalised * (criterion.scale_max - criterion.scale_min)


def _table(result):
    """The ranking as rows, best first, with disagreement per criterion."""
    dis, criteria = result.disagreement, result.criteria
    tied = {}
    for number, tie in enumerate(result.ties, 1):
        for i in tie.proposals:
            tied[i] = number
    rank_counts = {}
    for r in result.ranks:
        rank_counts[int(r)] = rank_counts.get(int(r), 0) + 1
    incomplete = {item.proposal: item.message for item in result.incomplete}
    rows = []
    for i in result.order:
        i = int(i)
        cells = []
        for c, criterion in enumerate(criteria):
            span = criterion.scale_max - criterion.scale_min
            rng, std = dis.range[i, c], dis.std[i, c]
            cells.append({
                "score": _raw(result.matrix[i, c], criterion),
                "std": None if math.isnan(std) else std * span,
                "range": None if math.isnan(rng) else rng * span,
                "large": bool(dis.count[i, c] >= 2 and rng >= LARGE_RANGE - 1e-9),
                "count": int(dis.count[i, c]),
            })
        proposal = result.proposals[i]
        rows.append({
            "index": i, "proposal": proposal, "rank": int(result.ranks[i]),
            "shared": rank_counts[int(result.ranks[i])] > 1, "tie": tied.get(i),
            "total": _num(result.totals[i]), "cells": cells,
            "evaluators": int(dis.count[i].max()) if len(criteria) else 0,
            "outliers": int(dis.outliers[i]), "incomplete": incomplete.get(i),
        })
    return rows


def _outliers(result):
    """Individual outlying scores: who, on which proposal and criterion, against the others."""
    found = []
    for e, p, c in np.argwhere(result.disagreement.outlier):
        criterion = result.criteria[c]
        found.append({
            "evaluator": result.evaluators[e], "proposal": result.proposals[p],
            "criterion": criterion, "score": _num(result.scores[e, p, c]),
            "others": _raw(result.disagreement.others_median[e, p, c], criterion),
        })
    found.sort(key=lambda o: (o["proposal"].pk, o["criterion"].order, o["evaluator"].pk))
    return found


def _frozen(shortlist, current):
    """The shortlist's frozen ranking rows, each with the current total when it differs."""
    by_pk = {p.pk: i for i, p in enumerate(current.proposals)}
    rows, changed = [], False
    for row in shortlist.ranking:
        i = by_pk.get(row["proposal"])
        now = _num(current.totals[i]) if i is not None else None
        rank_now = int(current.ranks[i]) if i is not None else None
        differs = (now is None) != (row["total"] is None) or (
            now is not None and (abs(now - row["total"]) > 1e-9 or rank_now != row["rank"]))
        changed = changed or differs
        rows.append(dict(row, current=now, current_rank=rank_now, differs=differs))
    return rows, changed


def _method(request, call, shortlist):
    method = request.GET.get("method")
    if method in Call.Method.values:
        return method
    return shortlist.method if shortlist else call.method


def _ranking_context(request, call, method=None, forms=None):
    shortlist = (Shortlist.objects.filter(call=call).select_related("event", "recorded_by")
                 .first())
    method = method or _method(request, call, shortlist)
    result = call.ranking(method=method)
    manage = can_manage(request.user, call)
    context = {
        "call": call, "city": call.city, "result": result, "method": method,
        "method_label": Call.Method(method).label, "methods": Call.Method.choices,
        "rows": _table(result), "outliers": _outliers(result), "shortlist": shortlist,
        "weights": list(zip(result.criteria, (float(w) * 100 for w in result.weights))),
        "can_manage": manage, "large_range": LARGE_RANGE,
        "chart": {"labels": [p.title for p in (result.proposals[i] for i in result.order)],
                  "totals": [_num(result.totals[i]) for i in result.order],
                  "label": str(Call.Method(method).label)},
    }
    if shortlist is not None:
        current = result if method == shortlist.method else call.ranking(method=shortlist.method)
        context["frozen"], context["frozen_changed"] = _frozen(shortlist, current)
        context["frozen_method"] = Call.Method(shortlist.method).label
    elif manage:
        forms = forms or {}
        context["method_form"] = forms.get("method") or MethodForm(initial={"method": call.method})
        context["weights_form"] = forms.get("weights") or WeightsForm(criteria=result.criteria)
        if len(result.criteria) >= 2:
            context["ahp_form"] = forms.get("ahp") or AHPForm(
                criteria=result.criteria, judgements=call.ahp_judgements)
        context["ahp_result"] = forms.get("ahp_result")
    return context


@access("selection")
def ranking(request, pk):
    call = call_for(request, pk)
    require_ranking(request, call)
    return render(request, "proposals/selection/ranking.html", _ranking_context(request, call))


@access("city-edit")
@require_POST
def weights(request, pk):
    """Set the weights directly, derive them by AHP, or choose the method (one button each)."""
    call = call_for(request, pk)
    require_manage(request, call)
    if call.is_final:
        messages.error(request, _("The shortlist is recorded: the weights and the method can "
                                  "no longer change."))
        return redirect("proposals:ranking", pk=call.pk)
    criteria = list(call.criteria.all())
    forms = {}
    try:
        if "method" in request.POST:
            form = forms["method"] = MethodForm(request.POST)
            if form.is_valid():
                call.set_method(request.user, form.cleaned_data["method"])
                messages.success(request, _("The ranking method is now: %(method)s.")
                                 % {"method": call.get_method_display()})
                return redirect("proposals:ranking", pk=call.pk)
        elif "ahp" in request.POST:
            form = forms["ahp"] = AHPForm(request.POST, criteria=criteria)
            if form.is_valid():
                derived, ratio = _ahp(form, criteria)
                forms["ahp_result"] = {"weights": list(zip(criteria, derived * 100)),
                                       "ratio": ratio}
                if ratio > MAX_CONSISTENCY:
                    raise ValidationError(_(
                        "These judgements are not consistent enough: the consistency ratio is "
                        "%(ratio).2f, above %(max).2f. Revisit the comparisons that contradict "
                        "each other; the weights were not changed.")
                        % {"ratio": ratio, "max": MAX_CONSISTENCY})
                call.set_weights(
                    request.user, {c.pk: round(float(w) * 100, 2) for c, w in zip(criteria, derived)},
                    judgements={f"{i},{j}": v for (i, j), v in form.judgements().items()},
                    consistency=ratio)
                messages.success(request, _("Weights derived by AHP and applied (consistency "
                                            "ratio %(ratio).2f).") % {"ratio": ratio})
                return redirect("proposals:ranking", pk=call.pk)
        else:
            form = forms["weights"] = WeightsForm(request.POST, criteria=criteria)
            if form.is_valid():
                call.set_weights(request.user, form.weights())
                messages.success(request, _("The weights are saved."))
                return redirect("proposals:ranking", pk=call.pk)
    except ValidationError as error:
        form.add_error(None, error)
    return render(request, "proposals/selection/ranking.html",
                  _ranking_context(request, call, forms=forms))


def _ahp(form, criteria):
    try:
        matrix = mcda.ahp_matrix_from_judgements(len(criteria), form.judgements())
        derived, ratio = mcda.ahp_weights(matrix)
    except mcda.ComparisonError as error:
        raise ValidationError(str(error)) from None
    return derived, float(ratio)


def _labelled(result):
    """(pk, label) choices in ranking order and the pks of the top quota + 1."""
    choices = []
    for i in result.order:
        total = result.totals[i]
        total = "—" if math.isnan(total) else f"{total:.3f}"
        choices.append((result.proposals[i].pk, _("%(rank)s. %(title)s (%(organisation)s) · "
                                                  "total %(total)s") % {
            "rank": int(result.ranks[i]), "title": result.proposals[i].title,
            "organisation": result.proposals[i].organisation.name, "total": total}))
    return choices


@access("city-edit")
def shortlist(request, pk):
    call = call_for(request, pk)
    require_manage(request, call)
    recorded = (Shortlist.objects.filter(call=call).select_related("event", "recorded_by")
                .prefetch_related("entries__proposal__organisation").first())
    if recorded is not None:
        return render(request, "proposals/selection/shortlist.html",
                      {"call": call, "city": call.city, "recorded": recorded})
    result = call.ranking()
    choices = _labelled(result)
    top = [pk for pk, _label in choices[:call.quota + 1]]
    form = ShortlistForm(request.POST or None, call=call, choices=choices,
                         initial={"proposals": top})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call.record_shortlist(request.user, data["event"], data["proposals"],
                                  note_th=data["note_th"], note_en=data["note_en"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The shortlist is recorded with the selection meeting. "
                                        "The ranking is frozen as it stood."))
            return redirect("proposals:ranking", pk=call.pk)
    return render(request, "proposals/selection/shortlist.html", {
        "call": call, "city": call.city, "form": form, "result": result,
        "pending": [e for e in result.evaluators if not e.submitted_at],
    })


# -- the funder --------------------------------------------------------------------------
def _review_context(request, call, bound=None):
    """bound: ("decide", proposal pk, form) or ("correct", decision pk, form) to show again
    with its errors."""
    shortlist = (Shortlist.objects.filter(call=call).select_related("event").first())
    context = {"call": call, "city": call.city, "shortlist": shortlist}
    if shortlist is None:
        context["unplaced"] = _errors(bound[2]) if bound else []
        return context
    entries = list(shortlist.entries.select_related("proposal__organisation")
                   .prefetch_related("proposal__budget_lines"))
    proposals = [e.proposal for e in entries]
    decisions = {}
    for d in (Decision.objects.filter(proposal__in=proposals)
              .select_related("decided_by").order_by("pk")):
        decisions.setdefault(d.proposal_id, []).append(d)
    corrected = {d.corrects_id for ds in decisions.values() for d in ds if d.corrects_id}
    visible_pilots = dict(Pilot.objects.visible_to(request.user)
                          .filter(proposal__in=proposals).values_list("proposal_id", "pk"))
    result = call.ranking(method=shortlist.method)
    index = {p.pk: i for i, p in enumerate(result.proposals)}
    rows, approved, placed = [], 0, False
    for entry in entries:
        proposal = entry.proposal
        history = decisions.get(proposal.pk, [])
        current = next((d for d in reversed(history) if d.pk not in corrected), None)
        if current is not None and current.outcome == Decision.Outcome.APPROVED:
            approved += 1
        i = index.get(proposal.pk)
        scores = ([(c, _raw(result.matrix[i, k], c)) for k, c in enumerate(result.criteria)]
                  if i is not None else [])
        decide_form = correct_form = None
        if current is None:
            decide_form = DecisionForm(prefix=f"p{proposal.pk}")
            if bound and bound[0] == "decide" and bound[1] == proposal.pk:
                decide_form, placed = bound[2], True
        else:
            correct_form = CorrectionForm(prefix=f"d{current.pk}")
            if bound and bound[0] == "correct" and bound[1] == current.pk:
                correct_form, placed = bound[2], True
        rows.append({"entry": entry, "proposal": proposal, "scores": scores,
                     "history": history, "current": current, "decide_form": decide_form,
                     "correct_form": correct_form, "pilot": visible_pilots.get(proposal.pk)})
    # A form for a proposal or decision that has no form on the page (off the shortlist,
    # already corrected): its errors go on top.
    unplaced = [] if bound is None or placed else _errors(bound[2])
    context.update(rows=rows, approved=approved, criteria=result.criteria, unplaced=unplaced,
                   method_label=Call.Method(shortlist.method).label)
    return context


def _errors(form):
    return [e for errors in form.errors.values() for e in errors]


@access("funder")
def review(request, pk):
    call = call_for(request, pk)
    require_funder(request, call)
    return render(request, "proposals/selection/review.html", _review_context(request, call))


def _decided(request, proposal, decision):
    if decision.outcome == Decision.Outcome.APPROVED:
        messages.success(request, _("“%(title)s” is approved: it is now a pilot project.")
                         % {"title": proposal.title})
    else:
        messages.success(request, _("“%(title)s” is rejected; the proponent can read the reason.")
                         % {"title": proposal.title})
    return redirect(reverse("proposals:review", kwargs={"pk": proposal.call_id})
                    + f"#p{proposal.pk}")


@access("funder")
@require_POST
def decide(request, pk):
    proposal = proposal_for(request, pk)
    call = proposal.call
    require_funder(request, call)
    form = DecisionForm(request.POST, prefix=f"p{proposal.pk}")
    if form.is_valid():
        try:
            decision = record_decision(proposal, request.user, **form.arguments())
        except ValidationError as error:
            _add_error(form, error)
        else:
            return _decided(request, proposal, decision)
    return render(request, "proposals/selection/review.html",
                  _review_context(request, call, ("decide", proposal.pk, form)), status=200)


@access("funder")
@require_POST
def correct(request, pk):
    decision = get_object_or_404(Decision, pk=pk)
    proposal = proposal_for(request, decision.proposal_id)
    call = proposal.call
    require_funder(request, call)
    form = CorrectionForm(request.POST, prefix=f"d{decision.pk}")
    if form.is_valid():
        try:
            new = record_decision(proposal, request.user, corrects=decision,
                                  correction_reason=form.cleaned_data["correction_reason"],
                                  **form.arguments())
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.info(request, _("The correction is recorded; the earlier decision stays in "
                                     "the history."))
            return _decided(request, proposal, new)
    return render(request, "proposals/selection/review.html",
                  _review_context(request, call, ("correct", decision.pk, form)))


def _add_error(form, error):
    """The model's message on its field when the form has it, else on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
