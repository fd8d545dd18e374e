"""Template helpers loaded everywhere: Buddhist Era dates and bilingual fields."""
from django import template

from apps.core import dates
from apps.core.i18n import localized

register = template.Library()


@register.filter
def localdate(value):
    """9 มีนาคม 2553 in Thai, 9 March 2010 in English."""
    return dates.format_date(value)


@register.filter
def shortdate(value):
    return dates.format_date(value, short=True)


@register.filter
def monthlabel(value):
    return dates.format_month(value)


@register.filter
def tr(obj, field):
    """{{ city|tr:"province" }}: the field in the page's language."""
    return localized(obj, field)


@register.simple_tag(takes_context=True)
def url_with(context, **changes):
    """The current URL with some query parameters replaced (for filters)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else context["request"].path


@register.filter
def thousands(value):
    """1234567 -> 1,234,567 (Thai uses the same grouping)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value
