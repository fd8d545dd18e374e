"""The monitoring endpoints of the JSON API: read-only, scoped as the pages are.

- A pilot's indicators with their targets and approved values per period: the city's readers
  and the pilot team (apps.monitoring.models: reports are the city's own). Only approved
  values are given, so a draft, submitted or returned report is never read here; anyone else
  gets 404, as for a missing pilot.
- A city's progress roll-up (indicators by light, per criterion and per pilot): the city's
  readers, 404 to others.
- A network's roll-up per city and per pilot: its national coordinator, 403 to others.
Each answers in a fixed number of queries however many indicators, periods and values there are
(apps.monitoring.progress reads each kind of row once).
"""
from collections import defaultdict

from django.http import Http404
from django.utils.translation import gettext
from ninja import Router
from ninja.errors import HttpError

from apps.accounts.api import require_login
from apps.accounts.scope import scope_of
from apps.monitoring import progress
from apps.monitoring.models import Indicator, Value
from apps.monitoring.schemas import (
    CityProgressOut, ErrorOut, NetworkProgressOut, PilotIndicatorsOut,
)
from apps.networks.api import city_or_404, network_or_404

router = Router(tags=["monitoring"])


def _counts(counts):
    judged = sum(counts[light] for light in progress.JUDGED)
    return {**{light: counts[light] for light in progress.LIGHTS},
            "share_on_track": round(counts[progress.GREEN] * 100 / judged) if judged else None}


def _group(group, key=None):
    return {"id": key, "label": str(group.label), **_counts(group.counts)}


@router.get("/monitoring/pilots/{int:pilot_id}/indicators", response=PilotIndicatorsOut)
def pilot_indicators(request, pilot_id: int):
    from apps.pilots.models import Pilot

    pilot = Pilot.objects.select_related("city", "proposal").filter(pk=pilot_id).first()
    user = request.user
    if pilot is None or not (scope_of(user).can_read_city(pilot.city) or pilot.is_team(user)):
        raise Http404(gettext("Unknown pilot project: %(id)s.") % {"id": pilot_id})
    indicators = list(Indicator.objects.filter(city=pilot.city, pilot=pilot)
                      .order_by("criterion__order", "criterion_id", "order", "pk"))
    periods = progress.periods_of(city=pilot.city)
    rows = progress.build(indicators, periods, {"pilot": pilot},
                          {"report__city": pilot.city, "report__pilot": pilot})
    values = defaultdict(list)
    for value in (Value.objects.approved()
                  .filter(report__city=pilot.city, report__pilot=pilot)
                  .order_by("report__period__start", "indicator_id", "category")
                  .values("indicator_id", "report__period_id", "category", "number", "text",
                          "note")):
        values[value["indicator_id"]].append({
            "period": value["report__period_id"], "category": value["category"],
            "number": value["number"], "text": value["text"], "note": value["note"]})
    return {
        "pilot": pilot.pk, "city": pilot.city.slug, "periods": periods.get(pilot.city_id, []),
        "indicators": [{
            **{name: getattr(row.indicator, name) for name in (
                "id", "code", "name_th", "name_en", "unit", "kind", "cumulative", "source",
                "disaggregation", "baseline", "baseline_text")},
            "light": row.light,
            "points": [{"period": p.period.pk, "target": p.target, "actual": p.actual,
                        "increment": p.increment, "text": p.text} for p in row.points],
            "values": values.get(row.indicator.pk, []),
        } for row in rows],
    }


@router.get("/monitoring/cities/{slug}/progress", response=CityProgressOut)
def city_progress(request, slug: str):
    city = city_or_404(slug)
    if not scope_of(request.user).can_read_city(city):
        raise Http404(gettext("Unknown city: %(slug)s.") % {"slug": slug})
    data = progress.city_progress(city)
    return {"city": city.slug, **_counts(data.counts),
            "criteria": [_group(g, g.key) for g in data.criteria],
            "pilots": [_group(g, g.key) for g in data.pilots]}


@router.get("/monitoring/networks/{slug}/progress",
            response={200: NetworkProgressOut, 403: ErrorOut})
def network_progress(request, slug: str):
    user = require_login(request)
    network = network_or_404(slug)
    if not scope_of(user).can_admin_network(network):
        raise HttpError(403, gettext("Only the network's national coordinator may do this."))
    data = progress.network_progress(network)
    return {
        "network": network.slug, **_counts(data.counts),
        "cities": [{"city": g.key.slug, "name": str(g.label), **_counts(g.counts)}
                   for g in data.cities],
        "pilots": [{"id": g.key.pk, "city": g.city.slug, "label": str(g.label),
                    **_counts(g.counts)} for g in data.pilots],
    }
