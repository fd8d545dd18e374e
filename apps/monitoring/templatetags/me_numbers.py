"""Reported numbers as people write them: thousands grouped, no trailing zeros (the stored
4 decimals are precision, not what was reported). The core `thousands` filter drops decimals."""
from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def me_number(value):
    """Decimal("1234.5000") -> "1,234.5"; None -> ""."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(value).normalize()
    except (InvalidOperation, TypeError, ValueError):
        return value
    return f"{number:,f}"
