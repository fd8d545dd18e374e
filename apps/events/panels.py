"""The events section of the city page: what is coming up and what happened lately."""
from django.db.models import Q
from django.utils import timezone

from apps.accounts.scope import scope_of
from apps.events.models import Event

CITY_PANEL_TEMPLATE = "events/city_panel.html"
UPCOMING, RECENT = 4, 3


def city_panel(request, city):
    """Two queries, however many events there are."""
    now = timezone.now()
    events = Event.objects.visible_to(request.user).for_city(city).with_related().with_counts()
    upcoming = Q(status=Event.Status.SCHEDULED, ends_at__gte=now)
    return {
        "city": city,
        "upcoming": list(events.filter(upcoming).order_by("starts_at", "id")[:UPCOMING]),
        "recent": list(events.exclude(upcoming).order_by("-starts_at", "-id")[:RECENT]),
        "can_edit": scope_of(request.user).can_edit_city(city),
    }
