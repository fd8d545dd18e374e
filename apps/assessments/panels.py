"""The city page's section on the vulnerability assessment: top risks, the most vulnerable,
the areas with the most people exposed, and how many data gaps remain. Constant queries."""
from apps.accounts.scope import scope_of
from apps.assessments.models import Assessment

CITY_PANEL_TEMPLATE = "assessments/city_panel.html"


def city_panel(request, city):
    assessment = (Assessment.objects.visible_to(request.user).filter(city=city)
                  .select_related("lead").first())
    can_start = (assessment is None and city.is_programme
                 and scope_of(request.user).can_assess_city(city))
    if assessment is None and not can_start:
        return None
    if assessment is None:
        return {"assessment": None, "can_start": True}
    assessment.city = city
    summary = assessment.summary(top=3)
    return {"assessment": assessment, "summary": summary,
            "matrix": _mini_matrix(assessment, summary)}


def _mini_matrix(assessment, summary):
    """The 5 x 5 matrix with the number of rated risks per cell (all ratings, not just top)."""
    counts = {}
    for likelihood, consequence in assessment.risks.values_list("likelihood", "consequence"):
        counts[(likelihood, consequence)] = counts.get((likelihood, consequence), 0) + 1
    scale = assessment.scale
    return [[(scale.risk_level(l * c), counts.get((l, c), 0)) for l in range(1, 6)]
            for c in range(5, 0, -1)]
