import datetime as dt

from ninja import Schema

from apps.forum.models import ForumSynthesis


class SynthesisOut(Schema):
    id: int
    network: str
    title: str
    title_th: str
    title_en: str
    status: ForumSynthesis.Status
    progress: int
    published: bool
    built_at: dt.datetime | None

    @staticmethod
    def resolve_network(obj):
        return obj.network.slug


class RecommendationOut(Schema):
    order: int
    text_th: str
    text_en: str
    city: str | None
    pilot: int | None

    @staticmethod
    def resolve_city(obj):
        return obj.city.slug if obj.city else None

    @staticmethod
    def resolve_pilot(obj):
        return obj.pilot_id


class SynthesisDetail(SynthesisOut):
    stale: bool
    files: dict[str, str]
    recommendations: list[RecommendationOut]

    @staticmethod
    def resolve_stale(obj):
        return obj.is_stale()

    @staticmethod
    def resolve_files(obj):
        from django.urls import reverse

        return {kind: reverse("forum:file", args=[obj.pk, kind])
                for kind in ("pdf", "docx", "xlsx") if getattr(obj, kind)}

    @staticmethod
    def resolve_recommendations(obj):
        return list(obj.recommendations.select_related("city"))
