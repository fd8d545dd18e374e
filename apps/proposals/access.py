"""Who reaches which call, proposal and step: the lookups every proposals view starts with.

Reading a call follows its city (published calls are public). Reading a proposal follows
ProposalQuerySet.visible_to: anyone else gets 404, exactly as for a missing one. The steps
then ask for the role they need and answer 403 to a reader without it.
"""
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from apps.accounts.scope import scope_of
from apps.core.access import require
from apps.proposals.models import Call, Proposal


def call_for(request, pk):
    call = (Call.objects.visible_to(request.user).select_related("city__network")
            .filter(pk=pk).first())
    if call is None:
        raise Http404(_("This call does not exist or is not published."))
    return call


def proposal_for(request, pk):
    proposal = (Proposal.objects.visible_to(request.user)
                .select_related("call__city__network", "organisation", "proponent")
                .filter(pk=pk).first())
    if proposal is None:
        raise Http404(_("This proposal does not exist or is not yours to read."))
    return proposal


def can_manage(user, call):
    """The city's coordinators and the national coordinator run the call."""
    return scope_of(user).can_edit_city(call.city)


def is_funder(user, call):
    scope = scope_of(user)
    return scope.superuser or call.city.network_id in scope.funder_networks


def can_read_ranking(user, call):
    if can_manage(user, call):
        return True
    if is_funder(user, call) and call.is_final:
        return True
    evaluator = call.evaluator_for(user)
    return evaluator is not None and evaluator.submitted_at is not None


def require_manage(request, call):
    require(can_manage(request.user, call))


def require_proponent(request, proposal):
    require(request.user.pk == proposal.proponent_id)


def require_evaluator(request, call):
    evaluator = call.evaluator_for(request.user)
    require(evaluator is not None)
    return evaluator


def require_funder(request, call):
    require(is_funder(request.user, call))


def require_ranking(request, call):
    require(can_read_ranking(request.user, call))
