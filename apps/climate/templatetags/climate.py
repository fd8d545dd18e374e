"""Number formats of the climate pages: a dash for a missing value, p-values to 3 decimals."""
from django import template
from django.utils.formats import number_format

from apps.core.dates import display_year

register = template.Library()
DASH = "—"


@register.filter
def num(value, places=1):
    """`value` rounded to `places` decimals; a dash when missing."""
    if value is None or value == "":
        return DASH
    try:
        return number_format(round(float(value), int(places)), int(places), use_l10n=False)
    except (TypeError, ValueError):
        return DASH


@register.filter
def signed(value, places=2):
    """Like num, with a + on positive values (trend slopes)."""
    text = num(value, places)
    if text != DASH and float(value) > 0:  # num() gave a number, so value converts
        return "+" + text
    return text


@register.filter
def pvalue(value):
    try:
        value = float(value)
    except (TypeError, ValueError):  # missing ("" from an absent key), or not a number
        return DASH
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


@register.filter
def year(value):
    """A year in the page's era (Buddhist Era in Thai)."""
    if value in (None, ""):
        return DASH
    return display_year(int(value))
