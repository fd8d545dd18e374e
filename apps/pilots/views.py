"""The pilot project page: what the funder approved and what it carries into implementation."""
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.core.access import access
from apps.pilots import tracking
from apps.pilots.models import Pilot
from apps.proposals.models import Proposal


@access("public")
def detail(request, pk):
    pilot = (Pilot.objects.visible_to(request.user).with_progress()
             .select_related("city__network", "proposal__organisation", "proposal__call",
                             "decision__decided_by")
             .prefetch_related("risks", "groups", "areas", "budget_lines", "indicators")
             .filter(pk=pk).first())
    if pilot is None:
        raise Http404(_("This pilot project does not exist or is not published."))
    lines = list(pilot.budget_lines.all())
    return render(request, "pilots/detail.html", {
        "pilot": pilot, "city": pilot.city, "lines": lines, "tab": "detail",
        "slow_spending": tracking.slow_spending(pilot),
        "spent_share": tracking.spent_share(pilot),
        "requested": sum(line.amount for line in lines),
        "cofunding": sum(line.cofunding for line in lines),
        "can_read_proposal": Proposal.objects.visible_to(request.user)
        .filter(pk=pilot.proposal_id).exists(),
    })
