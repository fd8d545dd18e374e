"""The city page's section on its pilot projects (those the reader may see), with their
progress (see tracking.py). Two queries."""
from django.db.models import Prefetch

from apps.pilots.models import Pilot

CITY_PANEL_TEMPLATE = "pilots/city_panel.html"


def city_panel(request, city):
    pilots = list(Pilot.objects.visible_to(request.user).filter(city=city).with_progress()
                  .select_related("proposal__organisation")
                  .prefetch_related(Prefetch("risks")))
    if not pilots:
        return None
    return {"pilots": pilots}
