"""The city page's section on impact chains and sector studies: each study with its latest
round and sign-off, the number of complete chains and gaps, and a small drawing of the graph.
Five queries, however much is recorded (the assessment, the studies and their rounds, the
graph's nodes and links)."""
from apps.accounts.scope import scope_of
from apps.assessments.models import Assessment
from apps.studies import svg
from apps.studies.models import ImpactNode, SectorStudy

CITY_PANEL_TEMPLATE = "studies/city_panel.html"


def city_panel(request, city):
    user = request.user
    can_assess = scope_of(user).can_assess_city(city)
    assessment = Assessment.objects.visible_to(user).filter(city=city).first()
    if assessment is None:
        # Nothing readable: visitors see nothing; the city's assessors get the way in.
        return {"empty": True, "can_assess": True} if can_assess and city.is_programme else None
    assessment.city = city
    studies = list(SectorStudy.objects.filter(assessment=assessment).with_latest()
                   .select_related("lead"))
    impact_graph = ImpactNode.objects.graph(assessment)
    if not studies and not impact_graph and not can_assess:
        return None
    return {
        "studies": studies,
        "graph": impact_graph,
        "svg": svg.render(impact_graph, compact=True) if impact_graph else "",
        "can_assess": can_assess,
    }
