"""Event times in the page's language, in the site's time zone (Bangkok); dates use the
core `localdate` filter, which also shows an aware datetime on the Bangkok day."""
from django import template
from django.utils import timezone

from apps.core import dates

register = template.Library()


def _local(value):
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def eventtime(value):
    """09:30 น. in Thai, 09:30 in English."""
    if not value:
        return ""
    value = _local(value) if hasattr(value, "date") else value
    return f"{value:%H:%M} น." if dates.is_thai() else f"{value:%H:%M}"


@register.filter
def eventspan(event):
    """When an event runs: one day with its hours, or from one day to another."""
    start, end = _local(event.starts_at), _local(event.ends_at)
    if start.date() == end.date():
        hours = f"{start:%H:%M}–{end:%H:%M}" + (" น." if dates.is_thai() else "")
        return f"{dates.format_date(start)}, {hours}"
    return f"{dates.format_date(start)} {start:%H:%M} – {dates.format_date(end)} {end:%H:%M}"
