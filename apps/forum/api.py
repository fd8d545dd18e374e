"""The forum syntheses, read-only: published ones for everyone, the others for the network's
national coordinator (404 to anyone else, like a missing one)."""
from django.http import Http404
from django.utils.translation import gettext
from ninja import Router
from ninja.pagination import paginate

from apps.forum.models import ForumSynthesis
from apps.forum.schemas import SynthesisDetail, SynthesisOut
from workbench.pagination import LimitOffsetPagination

router = Router(tags=["forum"])


@router.get("/forum/syntheses", response=list[SynthesisOut])
@paginate(LimitOffsetPagination)
def list_syntheses(request, network: str | None = None):
    rows = ForumSynthesis.objects.visible_to(request.user).select_related("network") \
        .order_by("pk")
    if network:
        rows = rows.filter(network__slug=network)
    return rows


@router.get("/forum/syntheses/{int:synthesis_id}", response=SynthesisDetail)
def get_synthesis(request, synthesis_id: int):
    synthesis = (ForumSynthesis.objects.visible_to(request.user).select_related("network")
                 .filter(pk=synthesis_id).first())
    if synthesis is None:
        raise Http404(gettext("Unknown synthesis: %(id)s.") % {"id": synthesis_id})
    return synthesis
