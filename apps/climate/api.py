"""Weather stations, their yearly data coverage and their analyses. Reading follows the
station's publish flag (404 to those who may not read it); starting an analysis is assessment
work (the city's coordinators and experts, the national coordinator)."""
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext
from ninja import Router
from ninja import Status as HttpStatus
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.accounts.api import require_login
from apps.accounts.scope import scope_of
from apps.climate.models import Analysis, Station
from apps.climate.schemas import AnalysisDetail, AnalysisIn, AnalysisOut, StationDetail, StationOut
from apps.climate.tasks import start_analysis
from apps.networks.api import city_or_404
from workbench.pagination import LimitOffsetPagination

router = Router(tags=["climate"])


def stations(user):
    return (Station.objects.visible_to(user).select_related("city")
            .with_coverage().with_latest_analysis().order_by("city__slug", "code"))


def _station(user, station_id):
    station = stations(user).filter(pk=station_id).first()
    if station is None:
        raise Http404(gettext("Unknown station: %(id)s.") % {"id": station_id})
    return station


@router.get("/climate/stations", response=list[StationOut])
@paginate(LimitOffsetPagination)
def list_stations(request, city: str | None = None):
    rows = stations(request.user)
    if city:
        rows = rows.filter(city=city_or_404(city))
    return rows


@router.get("/climate/stations/{int:station_id}", response=StationDetail)
def get_station(request, station_id: int):
    return _station(request.user, station_id)


def analyses(user):
    return (Analysis.objects.visible_to(user).select_related("station__city")
            .order_by("-created_at", "-pk"))


@router.get("/climate/analyses", response=list[AnalysisOut])
@paginate(LimitOffsetPagination)
def list_analyses(request, city: str | None = None, station: int | None = None,
                  status: Analysis.Status | None = None):
    rows = analyses(request.user).defer("results")
    if city:
        rows = rows.filter(station__city=city_or_404(city))
    if station is not None:
        rows = rows.filter(station=station)
    if status:
        rows = rows.filter(status=status)
    return rows


@router.get("/climate/analyses/{int:analysis_id}", response=AnalysisDetail)
def get_analysis(request, analysis_id: int):
    analysis = analyses(request.user).filter(pk=analysis_id).first()
    if analysis is None:
        raise Http404(gettext("Unknown analysis: %(id)s.") % {"id": analysis_id})
    return analysis


@router.post("/climate/stations/{int:station_id}/analyses", response={202: AnalysisOut})
def post_analysis(request, station_id: int, payload: AnalysisIn):
    user = require_login(request)
    station = _station(user, station_id)  # 404 before 403: never confirm a hidden station
    if not scope_of(user).can_assess_city(station.city):
        raise HttpError(403, gettext("Only the city's coordinators and experts may analyse "
                                     "its stations."))
    if (payload.base_start is None) != (payload.base_end is None):
        raise ValidationError({"base_end": gettext(
            "Give both years of the base period, or neither.")})
    if payload.base_start is not None and payload.base_end - payload.base_start < 9:
        raise ValidationError({"base_end": gettext("The base period needs at least 10 years.")})
    if not station.day_count:
        raise ValidationError(gettext("Upload the station's daily series first."))
    analysis = start_analysis(station, user, **payload.dict())
    analysis.station = station
    return HttpStatus(202, analysis)
