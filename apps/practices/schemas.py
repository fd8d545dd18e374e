import datetime as dt
from decimal import Decimal

from ninja import Schema

from apps.practices.models import Practice


class PracticeOut(Schema):
    id: int
    city: str  # the city's slug
    country: str
    pilot: int | None
    title_th: str
    title_en: str
    hazards: list[str]  # apps.dialogues Hazard values
    sectors: list[str]  # urban-system values, as in sector studies
    status: Practice.Status
    published_at: dt.datetime | None
    rank: int = 0  # query words found in the title (0 without a query)

    @staticmethod
    def resolve_city(obj):
        return obj.city.slug

    @staticmethod
    def resolve_country(obj):
        return obj.city.country

    @staticmethod
    def resolve_pilot(obj):
        return obj.pilot_id

    @staticmethod
    def resolve_rank(obj):
        return getattr(obj, "rank", 0) or 0


class PracticeDetail(PracticeOut):
    problem_th: str
    problem_en: str
    what_was_done_th: str  # sanitised HTML (p, br, strong, em, ul, ol, li, a, h3, h4, blockquote)
    what_was_done_en: str
    results_th: str
    results_en: str
    cost: Decimal | None  # THB
    cost_note: str
    replication_conditions_th: str
    replication_conditions_en: str
    contact_name: str
    contact_email: str
    contact_phone: str
    photos: list[str]
    files: list[str]

    @staticmethod
    def resolve_photos(obj, context):
        from django.urls import reverse

        request = context["request"]
        return [request.build_absolute_uri(reverse("practices:photo", args=[obj.pk, p.pk]))
                for p in obj.photos.all()]

    @staticmethod
    def resolve_files(obj, context):
        from django.urls import reverse

        request = context["request"]
        return [request.build_absolute_uri(reverse("practices:file", args=[obj.pk, f.pk]))
                for f in obj.files.all()]
