"""Calls for proposals, their ranking, proposals and evaluators' draft scores.

Published calls are public. Everything else needs a signed-in caller (401 otherwise): the
ranking follows the ranking page (403 to readers of the call without the selection role), and
proposals follow Proposal.objects.visible_to (404 to anyone else, as for a missing one).
"""
import math

from django.core.exceptions import ValidationError
from django.db.models import DecimalField, OuterRef, Subquery, Sum
from django.utils.translation import gettext
from ninja import Router
from ninja import Status as HttpStatus
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.accounts.api import require_login
from apps.proposals import exports
from apps.proposals.access import call_for, can_read_ranking, proposal_for
from apps.proposals.models import BudgetLine, Call, Proposal, Score
from apps.proposals.schemas import (
    CallDetail, CallOut, ProposalDetail, ProposalOut, RankingOut, ScoreErrors, ScoresIn,
    ScoresOut,
)
from workbench.pagination import LimitOffsetPagination

router = Router(tags=["proposals"])


def _login(request):
    """Proposals and rankings are never public: 401 before anything is looked up."""
    if not request.user.is_authenticated:
        raise HttpError(401, gettext("Log in or send an API token."))
    return request.user


@router.get("/calls", response=list[CallOut])
@paginate(LimitOffsetPagination)
def list_calls(request, city: str | None = None):
    rows = (Call.objects.visible_to(request.user).select_related("city", "shortlist_record")
            .order_by("-opens_at", "pk"))
    if city:
        rows = rows.filter(city__slug=city)
    return rows


@router.get("/calls/{int:call_id}", response=CallDetail)
def get_call(request, call_id: int):
    call = call_for(request, call_id)
    call.phase()  # looks up the shortlist once
    return call


def _float(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


@router.get("/calls/{int:call_id}/ranking", response=RankingOut)
def ranking(request, call_id: int, method: str | None = None):
    """The ranking as the ranking page shows it: recorded once the shortlist is, with the
    ranking computed now beside it (`live_rank`, `live_total`). `method` (weighted_sum or
    topsis) ranks by another method than the call's."""
    user = _login(request)
    call = call_for(request, call_id)
    if not can_read_ranking(user, call):
        raise HttpError(403, gettext("Only the call's coordinators, evaluators who have "
                                     "submitted their scores and, once the shortlist is "
                                     "recorded, the funder may read the ranking."))
    export = exports.ranking_export(call, method)
    result = export.result
    ids = [p.pk for p in result.proposals]
    criteria_ids = [c.pk for c in export.criteria]
    return {
        "call": call.pk, "method": export.method, "frozen": export.frozen,
        "frozen_method": export.frozen_method, "differs": export.differs,
        "criteria": export.criteria,
        "rows": [{
            "rank": row.rank, "proposal": row.proposal.pk, "title": row.proposal.title,
            "organisation": row.proposal.organisation.name, "total": _float(row.total),
            "scores": row.scores, "spread": _float(row.spread), "evaluators": row.evaluators,
            "outliers": row.outliers, "shortlisted": row.shortlisted,
            "decision": row.decision.outcome if row.decision else None,
            "live_rank": row.live_rank, "live_total": _float(row.live_total),
        } for row in export.rows],
        "ties": [{"proposals": [ids[i] for i in tie.proposals], "total": tie.total,
                  "resolved": tie.resolved, "message": tie.message} for tie in result.ties],
        "margins": [{"above": ids[m.above], "below": ids[m.below],
                     "criterion": None if m.criterion is None else criteria_ids[m.criterion],
                     "delta": _float(float(m.delta)),
                     "percent_of_weight": _float(float(m.percent_of_weight)),
                     "message": m.message} for m in result.margins],
        "incomplete": export.incomplete,
    }


def _proposals(user):
    requested = (BudgetLine.objects.filter(proposal=OuterRef("pk")).values("proposal")
                 .annotate(total=Sum("amount")).values("total"))
    return (Proposal.objects.visible_to(user)
            .select_related("call__city", "organisation")
            .annotate(requested=Subquery(requested, output_field=DecimalField()))
            .order_by("pk"))


@router.get("/proposals", response=list[ProposalOut])
@paginate(LimitOffsetPagination)
def list_proposals(request, call: int | None = None):
    """The proposals the caller may read: their own, and those their role lets them read."""
    rows = _proposals(_login(request))
    if call:
        rows = rows.filter(call_id=call)
    return rows


@router.get("/proposals/{int:proposal_id}", response=ProposalDetail)
def get_proposal(request, proposal_id: int):
    _login(request)
    proposal = proposal_for(request, proposal_id)
    proposal.requested = proposal.budget_total
    return proposal


@router.post("/proposals/{int:proposal_id}/scores", response={200: ScoresOut, 400: ScoreErrors})
def save_scores(request, proposal_id: int, payload: ScoresIn):
    """An evaluator's draft scores on one proposal (saving again replaces the draft; scores
    become final when the evaluator submits them on the evaluation page)."""
    user = require_login(request)
    proposal = proposal_for(request, proposal_id)
    evaluator = proposal.call.evaluator_for(user)
    if evaluator is None:
        raise HttpError(403, gettext("Only the call's evaluators score its proposals."))
    criteria = {c.pk: c for c in proposal.call.criteria.all()}
    errors, values = [], {}
    for i, item in enumerate(payload.scores):
        criterion = criteria.get(item.criterion)
        if criterion is None:
            errors.append({"loc": ["body", "scores", i, "criterion"],
                           "msg": gettext("Unknown criterion of this call: %(id)s.")
                           % {"id": item.criterion}})
            continue
        if item.criterion in values:
            errors.append({"loc": ["body", "scores", i, "criterion"],
                           "msg": gettext("“%(name)s” is scored twice.") % {"name": criterion.name}})
            continue
        try:
            criterion.check_value(item.value)
        except ValidationError as error:
            errors.extend({"loc": ["body", "scores", i, "value"], "msg": m} for m in error.messages)
        values[item.criterion] = (item.value, item.comment)
    if not errors:
        try:
            evaluator.score(proposal, values)
        except ValidationError as error:
            errors = [{"loc": ["body"], "msg": m} for m in error.messages]
    if errors:
        return HttpStatus(400, {"detail": errors, "message": " ".join(e["msg"] for e in errors)})
    scores = (Score.objects.current().filter(evaluator=evaluator, proposal=proposal)
              .order_by("criterion__order", "criterion_id"))
    return {"proposal": proposal.pk, "submitted": evaluator.submitted_at is not None,
            "scores": [{"criterion": s.criterion_id, "value": s.value, "comment": s.comment}
                       for s in scores]}
