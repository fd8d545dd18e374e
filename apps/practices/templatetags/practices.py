"""`{% similar_practices city %}`: the library's similar practices on another app's page (the
city's assessment), without that page's view knowing the library."""
from django import template

from apps.practices.similar import similar_for_city

register = template.Library()


@register.inclusion_tag("practices/similar.html", takes_context=True)
def similar_practices(context, city, limit=5):
    return {"similar": similar_for_city(city, context["request"].user, limit=limit)}
