"""The evaluation pages: an evaluator's home for a call (declare conflicts of interest, the
proposals to score, submit, then the submitted scores and their corrections), the score sheet
of one proposal, and the managers' view of who has scored what.

An evaluator sees only their own scores here: the other evaluators' are on the ranking page,
which opens to them once they have submitted (access.can_read_ranking). The managers' progress
matrix shows how many criteria are scored, never the values. The rules are the models'
(Evaluator.declare/score/submit, Score.correct); these views show their messages.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.access import access
from apps.proposals.access import (
    call_for, can_read_ranking, proposal_for, require_evaluator, require_manage,
)
from apps.proposals.forms_evaluation import CorrectionForm, DeclarationForm, ScoreForm
from apps.proposals.models import Conflict, Score


# -- the evaluator's home ---------------------------------------------------------------------
def _status(scored, criteria):
    if not scored:
        return "not_started"
    return "complete" if scored >= criteria else "draft"


def _home(request, call, evaluator, declaration=None, correction=None, submit_errors=None):
    """The page for each step: declaration, scoring, submitted. `correction` is a bound
    CorrectionForm that failed, shown in place of that score's blank one."""
    proposals = list(call.proposals.eligible().select_related("organisation"))
    criteria = list(call.criteria.all())
    conflicts = {c.proposal_id: c for c in evaluator.conflicts.all()}
    # Every score of this evaluator, corrected ones too (the history of a correction); no one
    # else's: those are on the ranking page, after submitting.
    scores = list(Score.objects.filter(evaluator=evaluator)
                  .select_related("criterion", "corrected_by"))
    by_pk = {s.pk: s for s in scores}
    corrected = {s.corrects_id for s in scores if s.corrects_id}
    current = {}
    for s in scores:
        if s.pk not in corrected:
            current[s.proposal_id, s.criterion_id] = s
    undeclared = [p for p in proposals if p.pk not in conflicts]
    if declaration is None and undeclared and not evaluator.submitted_at:
        declaration = DeclarationForm(evaluator=evaluator, proposals=proposals,
                                      conflicts=conflicts)
    rows = []
    for proposal in proposals:
        conflict = conflicts.get(proposal.pk)
        entries = []
        for criterion in criteria:
            score = current.get((proposal.pk, criterion.pk))
            history = []
            earlier = by_pk.get(score.corrects_id) if score else None
            while earlier is not None:
                history.append(earlier)
                earlier = by_pk.get(earlier.corrects_id)
            form = None
            if score is not None and evaluator.submitted_at:
                form = (correction if correction is not None and correction.score.pk == score.pk
                        else CorrectionForm(score=score))
            entries.append({"criterion": criterion, "score": score, "history": history,
                            "form": form})
        scored = sum(1 for e in entries if e["score"])
        blocked = conflict is None or conflict.conflicted or evaluator.own_organisation(proposal)
        rows.append({"proposal": proposal, "conflict": conflict, "entries": entries,
                     "own": evaluator.own_organisation(proposal), "scored": scored,
                     "to_score": not blocked,
                     "status": "conflict" if blocked and conflict is not None
                     else ("undeclared" if conflict is None else _status(scored, len(criteria)))})
    missing = sum(len(criteria) - r["scored"] for r in rows if r["to_score"])
    return render(request, "proposals/evaluation/home.html", {
        "call": call, "city": call.city, "evaluator": evaluator, "rows": rows,
        "criteria": criteria, "declaration": declaration, "undeclared": undeclared,
        "missing": missing, "submit_errors": submit_errors or [],
        "closed": timezone.now() >= call.closes_at, "final": call.is_final,
        "can_rank": can_read_ranking(request.user, call),
    })


@access("evaluator")
def home(request, pk):
    call = call_for(request, pk)
    evaluator = require_evaluator(request, call)
    return _home(request, call, evaluator)


@access("evaluator")
@require_POST
def declare(request, pk):
    call = call_for(request, pk)
    evaluator = require_evaluator(request, call)
    proposals = list(call.proposals.eligible().select_related("organisation"))
    conflicts = {c.proposal_id: c for c in evaluator.conflicts.all()}
    form = DeclarationForm(request.POST, evaluator=evaluator, proposals=proposals,
                           conflicts=conflicts)
    if form.is_valid():
        try:
            evaluator.declare(form.answers())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your declaration is recorded. Score the proposals "
                                        "below, then submit your scores."))
            return redirect("proposals:evaluate", call.pk)
    return _home(request, call, evaluator, declaration=form)


@access("evaluator")
@require_POST
def submit(request, pk):
    call = call_for(request, pk)
    evaluator = require_evaluator(request, call)
    try:
        evaluator.submit()
    except ValidationError as error:
        return _home(request, call, evaluator, submit_errors=error.messages)
    messages.success(request, _("Your scores are submitted. You can now read the ranking; a "
                                "change is a correction with a reason."))
    return redirect("proposals:evaluate", call.pk)


@access("evaluator")
@require_POST
def correct(request, pk):
    """Correct one's own submitted score. Only its evaluator may: anyone else, the call's
    coordinator included, gets 404 as for a missing score."""
    score = (Score.objects.filter(pk=pk, evaluator__user=request.user)
             .select_related("criterion", "proposal", "evaluator").first())
    if score is None:
        raise Http404(_("This score does not exist or is not yours."))
    call = call_for(request, score.evaluator.call_id)
    evaluator = score.evaluator
    evaluator.call = call
    form = CorrectionForm(request.POST, score=score)
    if form.is_valid():
        data = form.cleaned_data
        try:
            score.correct(request.user, data["value"], data["comment"], data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The score for “%(criterion)s” of “%(title)s” is "
                                        "corrected; the original stays on record.")
                             % {"criterion": score.criterion.name, "title": score.proposal.title})
            return redirect(reverse("proposals:evaluate", args=[call.pk])
                            + f"#proposal-{score.proposal_id}")
    return _home(request, call, evaluator, correction=form)


# -- the score sheet ----------------------------------------------------------------------------
@access("evaluator")
@require_http_methods(["GET", "POST"])
def score(request, pk):
    proposal = proposal_for(request, pk)
    call = proposal.call
    evaluator = require_evaluator(request, call)
    evaluator.call = call
    criteria = list(call.criteria.all())
    drafts = {s.criterion_id: s for s in
              Score.objects.current().filter(evaluator=evaluator, proposal=proposal)}
    # Scoring nothing runs every rule of Evaluator.score and saves nothing: why the sheet is
    # closed, if it is, in the model's own words.
    try:
        evaluator.score(proposal, {})
        refused = []
    except ValidationError as error:
        refused = error.messages
    form = None
    if not refused:
        form = ScoreForm(request.POST if request.method == "POST" else None,
                         criteria=criteria, drafts=drafts)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            evaluator.score(proposal, form.values())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your scores for “%(title)s” are saved as a draft until "
                                        "you submit them.") % {"title": proposal.title})
            return redirect(reverse("proposals:evaluate", args=[call.pk])
                            + f"#proposal-{proposal.pk}")
    elif request.method == "POST" and refused:
        messages.error(request, " ".join(refused))
    budget = proposal.budget_lines.aggregate(total=Sum("amount"))["total"] or 0
    return render(request, "proposals/evaluation/score.html", {
        "proposal": proposal, "call": call, "city": call.city, "evaluator": evaluator,
        "criteria": criteria, "drafts": drafts, "form": form, "refused": refused,
        "budget_total": budget, "over_ceiling": budget > call.budget_ceiling,
        "risks": list(proposal.risks.all()),
        "saved": [{"criterion": c, "score": drafts.get(c.pk)} for c in criteria],
    })


# -- the managers' view -------------------------------------------------------------------------
@access("city-edit")
def progress(request, pk):
    """Who has declared and submitted, and an evaluator x proposal matrix of how many criteria
    are scored, conflicts marked. Counts only, never values; six queries whatever the size."""
    call = call_for(request, pk)
    require_manage(request, call)
    evaluators = list(call.evaluators.select_related("user__person", "organisation"))
    proposals = list(call.proposals.eligible().select_related("organisation"))
    criteria = call.criteria.count()
    counts = {(e, p): n for e, p, n in
              Score.objects.current().filter(evaluator__call=call).order_by()
              .values("evaluator_id", "proposal_id").annotate(n=Count("pk"))
              .values_list("evaluator_id", "proposal_id", "n")}
    conflicts = {(e, p): c for e, p, c in Conflict.objects.filter(evaluator__call=call)
                 .values_list("evaluator_id", "proposal_id", "conflicted")}
    # The matrix has evaluators x proposals cells (18,000 for 60 x 300): each cell's class,
    # text and tooltip are worked out here, once, so the template only prints them.
    css = {"complete": "st-done", "draft": "st-in_progress", "conflict": "st-skipped",
           "undeclared": "na", "not_started": ""}
    labels = {"complete": _("Complete"), "draft": _("Draft"),
              "conflict": _("Conflict of interest"), "undeclared": _("Not declared"),
              "not_started": _("Not started")}
    titles = [str(p.title) for p in proposals]
    rows = []
    for evaluator in evaluators:
        cells = []
        for proposal, title in zip(proposals, titles):
            conflicted = conflicts.get((evaluator.pk, proposal.pk))
            n = counts.get((evaluator.pk, proposal.pk), 0)
            if conflicted or evaluator.own_organisation(proposal):
                state, text = "conflict", "×"
            elif conflicted is None:
                state, text = "undeclared", "?"
            else:
                state, text = _status(n, criteria), n
            cells.append({"proposal": proposal, "count": n, "state": state, "text": text,
                          "css": css.get(state, ""), "title": f"{title}: {labels.get(state, '')}"})
        to_score = [c for c in cells if c["state"] not in ("conflict", "undeclared")]
        rows.append({"evaluator": evaluator, "cells": cells,
                     "complete": sum(1 for c in to_score if c["state"] == "complete"),
                     "to_score": len(to_score)})
    return render(request, "proposals/evaluation/progress.html", {
        "call": call, "city": call.city, "rows": rows, "proposals": proposals,
        "criteria": criteria,
        "declared": sum(1 for e in evaluators if e.declared_at),
        "submitted": sum(1 for e in evaluators if e.submitted_at),
    })
