"""Pilot projects with their progress and spending: read-only. Visibility is the pages':
published pilots are public; unpublished ones are the city's, its network's funder reviewers'
and the pilot team's (404 to anyone else)."""
from django.http import Http404
from django.utils.translation import gettext
from ninja import Router
from ninja.pagination import paginate

from apps.networks.api import city_or_404
from apps.pilots import tracking
from apps.pilots.models import Pilot
from apps.pilots.schemas import PilotDetail, PilotOut
from workbench.pagination import LimitOffsetPagination

router = Router(tags=["pilots"])


def pilots(user):
    return (Pilot.objects.visible_to(user).with_progress().select_related("city")
            .order_by("city__slug", "pk"))


@router.get("/pilots", response=list[PilotOut])
@paginate(LimitOffsetPagination)
def list_pilots(request, city: str | None = None):
    rows = pilots(request.user)
    if city:
        rows = rows.filter(city=city_or_404(city))
    return rows


@router.get("/pilots/{int:pilot_id}", response=PilotDetail)
def get_pilot(request, pilot_id: int):
    pilot = pilots(request.user).filter(pk=pilot_id).first()
    if pilot is None:
        raise Http404(gettext("Unknown pilot project: %(id)s.") % {"id": pilot_id})
    pilot.component_list = list(tracking.annotate_components(pilot.components.all())
                                .prefetch_related("milestones"))
    pilot.line_list = tracking.line_rows(pilot)
    return pilot
