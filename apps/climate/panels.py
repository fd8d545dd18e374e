"""The city page's section on climate evidence: the city's weather stations with their data
span and the headline trends of each one's latest finished analysis. Two queries."""
from apps.accounts.scope import scope_of
from apps.climate.models import Analysis, Station

CITY_PANEL_TEMPLATE = "climate/city_panel.html"


def city_panel(request, city):
    user = request.user
    can_assess = scope_of(user).can_assess_city(city)
    stations = list(Station.objects.visible_to(user).filter(city=city)
                    .with_coverage().with_latest_analysis())
    if not stations and not can_assess:
        return None
    ids = [s.latest_analysis_id for s in stations if s.latest_analysis_id]
    latest = {a.pk: a for a in Analysis.objects.filter(pk__in=ids)} if ids else {}
    for station in stations:
        station.city = city
        analysis = latest.get(station.latest_analysis_id)
        station.latest = analysis
        station.headlines = []
        if analysis is not None:
            for code in analysis.index_codes:
                summary = analysis.result_for(code)
                if summary and summary["direction"] in ("increasing", "decreasing"):
                    station.headlines.append(summary)
    return {"stations": stations, "can_assess": can_assess}
