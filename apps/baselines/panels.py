"""The city page's section on the baseline profile: completeness, key numbers, the number of
past disasters, and the link. Two queries (the profile with its checks, the disaster count),
however much is recorded."""
from apps.accounts.scope import scope_of
from apps.baselines.models import BaselineProfile

CITY_PANEL_TEMPLATE = "baselines/city_panel.html"


def city_panel(request, city):
    can_assess = scope_of(request.user).can_assess_city(city)
    profile = (BaselineProfile.objects.visible_to(request.user).filter(city=city)
               .with_checks().first())
    if profile is None:
        # Visitors see the section once the baseline is published; the city's team sees the
        # invitation to start it (programme cities bring one to the workshop).
        if not (can_assess and city.is_programme):
            return None
        return {"profile": None, "can_assess": True}
    return {
        "profile": profile, "completeness": profile.completeness,
        "disaster_count": profile.disasters.count(), "can_assess": can_assess,
    }
