"""Years of the strategy pages: CE in the database, BE on Thai pages."""
from django import template

from apps.core import dates

register = template.Library()


@register.filter
def era_year(value):
    return dates.display_year(value) if value else ""
