import datetime as dt
from decimal import Decimal

from ninja import Schema

from apps.networks.models import City, Country


class CityOut(Schema):
    slug: str
    name: str
    name_th: str
    name_en: str
    network: str
    country: Country
    province: str
    population: int | None
    latitude: float | None
    longitude: float | None
    participation: City.Participation

    @staticmethod
    def resolve_network(obj):
        return obj.network.slug


class CityDetail(CityOut):
    boundary: dict | None  # GeoJSON Polygon or MultiPolygon, WGS 84


class CityPatch(Schema):
    # Ranges and the polygon are checked by the model (City.full_clean), so forms and API
    # refuse the same values with the same translated messages.
    population: int | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    boundary: dict | None = None


class NetworkOut(Schema):
    slug: str
    name: str
    name_th: str
    name_en: str
    description: str
    coordinator: str | None  # the national coordinator organisation's name
    plan: int | None  # id of the adopted plan, see /plans/{id}
    plan_start: dt.date | None
    city_count: int

    @staticmethod
    def resolve_coordinator(obj):
        return obj.coordinator and obj.coordinator.name

    @staticmethod
    def resolve_plan(obj):
        return obj.plan_id


class NetworkDetail(NetworkOut):
    cities: list[CityOut]

    @staticmethod
    def resolve_cities(obj):
        return obj.cities.all()
