"""The city page's section on calls for proposals: each call with its phase and how many
proposals came in. Two queries."""
from apps.proposals.access import can_manage
from apps.proposals.models import Call

CITY_PANEL_TEMPLATE = "proposals/city_panel.html"


def city_panel(request, city):
    calls = list(Call.objects.visible_to(request.user).filter(city=city).with_counts()
                 .select_related("shortlist_record")[:5])
    manage = can_manage(request.user, Call(city=city))
    if not calls and not (manage and city.is_programme):
        return None
    return {"calls": calls, "can_manage": manage}
