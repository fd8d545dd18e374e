"""Years and month names in the page's language (Buddhist Era years in Thai)."""
from django import template

from apps.baselines.models import month_names
from apps.core import dates

register = template.Library()


@register.filter
def year(value):
    """2010 -> 2553 in Thai, 2010 in English."""
    if value in (None, ""):
        return ""
    return dates.display_year(int(value))


@register.filter
def month_name(value):
    """1 -> ม.ค. in Thai, Jan in English."""
    try:
        return month_names()[int(value) - 1]
    except (TypeError, ValueError, IndexError):
        return value


def has_thai(text):
    return any("\u0e00" <= ch <= "\u0e7f" for ch in str(text or ""))


@register.filter
def english_only(value, fallback="—"):
    """For the English data sheet: a single-language text typed in Thai is not printed there
    (the reader could not use it); `fallback` says so instead."""
    return fallback if has_thai(value) else value


@register.filter
def when_en(disaster):
    return disaster.when(lang="en")


@register.filter
def month_en(value):
    return month_names("en")[int(value) - 1]
