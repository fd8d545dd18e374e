"""The city page's section on its expert evaluations (those the reader may see). Two queries."""
from apps.accounts.scope import scope_of
from apps.evaluations.models import Evaluation, recommendations_for_strategy

CITY_PANEL_TEMPLATE = "evaluations/city_panel.html"


def city_panel(request, city):
    evaluations = list(Evaluation.objects.visible_to(request.user).filter(city=city)
                       .select_related("pilot", "signed_off_by")[:6])
    can_assess = scope_of(request.user).can_assess_city(city)
    if not evaluations and not can_assess:
        return None
    return {"evaluations": evaluations, "can_assess": can_assess,
            "strategy_count": recommendations_for_strategy(city, request.user).count()}
