"""Template helpers loaded everywhere: Buddhist Era dates and number grouping."""
from django import template

from apps.core import dates

register = template.Library()


@register.filter
def localdate(value):
    """9 มีนาคม 2553 in Thai, 9 March 2010 in English."""
    return dates.format_date(value)


@register.filter
def monthlabel(value):
    return dates.format_month(value)


@register.filter
def thousands(value):
    """1234567 -> 1,234,567 (Thai uses the same grouping)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value
