"""The city page's section: the city's own practices (those the reader may see) and published
ones from other cities that share its hazards and sectors. Five queries, whatever the size."""
from apps.accounts.scope import scope_of
from apps.practices.models import Practice
from apps.practices.similar import similar_for_city

CITY_PANEL_TEMPLATE = "practices/city_panel.html"


def city_panel(request, city):
    own = list(Practice.objects.visible_to(request.user).filter(city=city)
               .order_by("-published_at", "-pk")[:10])
    similar = similar_for_city(city, request.user)
    can_add = scope_of(request.user).can_edit_city(city)
    if not (own or similar or can_add):
        return None
    return {"own": own, "similar": similar, "can_add": can_add, "city": city}
