"""The pilot project page: what the funder approved and what it carries into implementation;
the events held under it; publishing it (the network's national coordinator)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.access import access
from apps.events.models import Event
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
    # The pilot's events as far as the reader sees them (unpublished ones: the city's team).
    events = list(Event.objects.visible_to(request.user).filter(pilot=pilot).with_counts()
                  .order_by("-starts_at", "-pk"))
    return render(request, "pilots/detail.html", {
        "pilot": pilot, "city": pilot.city, "lines": lines, "tab": "detail", "events": events,
        "slow_spending": tracking.slow_spending(pilot),
        "spent_share": tracking.spent_share(pilot),
        "requested": sum(line.amount for line in lines),
        "cofunding": sum(line.cofunding for line in lines),
        "can_read_proposal": Proposal.objects.visible_to(request.user)
        .filter(pk=pilot.proposal_id).exists(),
        "can_publish": pilot.can_publish(request.user),
    })


@access("login")
@require_POST
def publish(request, pk):
    pilot = (Pilot.objects.visible_to(request.user).select_related("city__network")
             .filter(pk=pk).first())
    if pilot is None:
        raise Http404(_("This pilot project does not exist or is not published."))
    if not pilot.can_publish(request.user):
        raise PermissionDenied
    published = request.POST.get("published", "1") == "1"
    pilot.set_published(request.user, published)
    messages.success(request, _("The pilot project is published: everyone can see it.")
                     if published else _("The pilot project is no longer public."))
    return redirect("pilots:detail", pilot.pk)
