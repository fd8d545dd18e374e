"""Practices other cities published that fit a city's own risks and sectors.

A city's hazards come from its assessed risks (RiskRating), its sectors from its sector studies
(SectorStudy.sector), as far as the reader may see them. Each published practice of another
city scores one point per shared hazard and per shared sector, ranked in the database (one
CASE per vocabulary word, so the query stays the same size whatever the library holds).
"""
from django.db.models import Case, IntegerField, Value, When

from apps.practices.models import Practice


def city_profile(city, user):
    """(hazards, sectors) of the city that the user may see: two queries."""
    from apps.assessments.models import RiskRating
    from apps.studies.models import SectorStudy

    hazards = set(RiskRating.objects.visible_to(user).filter(assessment__city=city)
                  .values_list("hazard", flat=True))
    sectors = set(SectorStudy.objects.visible_to(user).filter(assessment__city=city)
                  .values_list("sector", flat=True))
    return hazards, sectors


def similar_for_city(city, user, limit=5):
    """Up to `limit` published practices of other cities, most overlap first (three queries)."""
    hazards, sectors = city_profile(city, user)
    tags = sorted(f"hz:{h}" for h in hazards) + sorted(f"sc:{s}" for s in sectors)
    if not tags:
        return []
    terms = [Case(When(facets__contains=f" {tag} ", then=Value(1)), default=Value(0),
                  output_field=IntegerField()) for tag in tags]
    score = terms[0]
    for term in terms[1:]:
        score = score + term
    rows = (Practice.objects.published().exclude(city=city).annotate(overlap=score)
            .filter(overlap__gt=0).select_related("city")
            .order_by("-overlap", "-published_at", "-pk")[:limit])
    return list(rows)
