"""The strategies endpoints of the JSON API.

Visibility is the strategy's: published ones are public, drafts are for the city's readers
(404 to anyone else). Adding an intervention is for the city's editors; another city's risk is
refused with the same message as on the page.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext
from ninja import Router
from ninja import Status as HttpStatus
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.accounts.api import require_login
from apps.accounts.scope import scope_of
from apps.assessments.models import RiskRating
from apps.networks.api import city_or_404
from apps.strategies.models import Intervention, Strategy, check_same_city
from apps.strategies.schemas import InterventionIn, InterventionOut, StrategyDetail, StrategyOut
from workbench.pagination import LimitOffsetPagination

router = Router(tags=["strategies"])


def strategies(user):
    return Strategy.objects.visible_to(user).select_related("city__network").order_by(
        "city__slug", "pk")


@router.get("/strategies", response=list[StrategyOut])
@paginate(LimitOffsetPagination)
def list_strategies(request, city: str | None = None):
    rows = strategies(request.user)
    if city:
        rows = rows.filter(city=city_or_404(city))
    return rows


def _strategy(user, strategy_id):
    strategy = strategies(user).filter(pk=strategy_id).first()
    if strategy is None:
        raise Http404(gettext("Unknown strategy: %(id)s.") % {"id": strategy_id})
    return strategy


@router.get("/strategies/{int:strategy_id}", response=StrategyDetail)
def get_strategy(request, strategy_id: int):
    from apps.strategies.views import interventions_of

    strategy = _strategy(request.user, strategy_id)
    strategy.issue_list = list(strategy.issues.all())
    strategy.intervention_list = strategy.scoring().ranked(interventions_of(strategy))
    strategy.gap_list = strategy.gaps()
    return strategy


@router.post("/strategies/{int:strategy_id}/interventions", response={201: InterventionOut})
def add_intervention(request, strategy_id: int, payload: InterventionIn):
    user = require_login(request)
    strategy = _strategy(user, strategy_id)  # 404 before 403
    if not scope_of(user).can_edit_city(strategy.city):
        raise HttpError(403, gettext("Only the city's coordinators may change its strategy."))
    strategy.check_editable()
    check_same_city(strategy.city_id, payload.risks)
    risks = list(RiskRating.objects.filter(assessment__city_id=strategy.city_id,
                                           pk__in=payload.risks))
    if len(risks) != len(set(payload.risks)):
        raise ValidationError({"risks": gettext("Unknown risk of this city's assessment.")})
    scoring = strategy.scoring()
    known = {c.code for c in scoring.characteristics}
    unknown = sorted(set(payload.characteristics) - known)
    if unknown:
        raise ValidationError({"characteristics": gettext(
            "Unknown resilience characteristic: %(codes)s.") % {"codes": ", ".join(unknown)}})
    values = payload.dict(exclude={"risks", "characteristics"})
    values["funding_source"] = values["funding_source"] or ""
    intervention = Intervention(strategy=strategy, characteristics=payload.characteristics,
                                order=strategy.interventions.count() + 1, **values)
    intervention.full_clean(exclude=["strategy"])
    with transaction.atomic():
        intervention.save()
        intervention.risks.set(risks)
    return HttpStatus(201, scoring.score(intervention))
