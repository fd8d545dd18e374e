"""The good-practice library: search and read.

Published practices are public; drafts and submitted ones are for the city's readers and the
network's national coordinator (404 to anyone else, as for a missing one). `q` is searched in
Thai and English word by word (apps.practices.search): every word must be found.
"""
from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from apps.dialogues.models import Hazard
from apps.networks.api import city_or_404
from apps.networks.models import Country
from apps.practices.models import Practice, Sector
from apps.practices.schemas import PracticeDetail, PracticeOut
from workbench.pagination import LimitOffsetPagination

router = Router(tags=["practices"])


class Filters(Schema):
    q: str | None = None
    hazard: Hazard | None = None
    sector: Sector | None = None
    city: str | None = None  # a city's slug
    country: Country | None = None
    status: Practice.Status | None = None


@router.get("/practices", response=list[PracticeOut])
@paginate(LimitOffsetPagination)
def list_practices(request, filters: Query[Filters]):
    rows = Practice.objects.visible_to(request.user).select_related("city")
    if filters.hazard:
        rows = rows.with_hazard(filters.hazard)
    if filters.sector:
        rows = rows.with_sector(filters.sector)
    if filters.city:
        rows = rows.filter(city=city_or_404(filters.city))
    if filters.country:
        rows = rows.filter(city__country=filters.country)
    if filters.status:
        rows = rows.filter(status=filters.status)
    newest = F("published_at").desc(nulls_last=True)
    return rows.search((filters.q or "")[:200]).order_by("-rank", newest, "-pk")


@router.get("/practices/{int:practice_id}", response=PracticeDetail)
def get_practice(request, practice_id: int):
    practice = (Practice.objects.visible_to(request.user).select_related("city")
                .prefetch_related("photos", "files").filter(pk=practice_id).first())
    if practice is None:
        raise Http404(gettext("Unknown practice: %(id)s.") % {"id": practice_id})
    return practice
