import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from apps.baselines.models import LandUse
from apps.dialogues.models import Hazard


class CompletenessOut(Schema):
    percent: int
    missing: list[str]  # names of the checks not passed (see apps.baselines.models.CHECKS)
    missing_labels: list[str]  # the same, in the caller's language


def completeness_of(profile):
    completeness = profile.completeness
    return {"percent": completeness.percent,
            "missing": [check.name for check in completeness.missing],
            "missing_labels": [str(check.label) for check in completeness.missing]}


class BaselineOut(Schema):
    city: str
    city_name: str
    published: bool
    population: int | None
    population_year: int | None
    growth_rate: Decimal | None
    area_km2: Decimal | None
    households: int | None
    density: int | None
    completeness: CompletenessOut
    updated_at: dt.datetime

    @staticmethod
    def resolve_city(obj):
        return obj.city.slug

    @staticmethod
    def resolve_city_name(obj):
        return obj.city.name

    @staticmethod
    def resolve_completeness(obj):
        return completeness_of(obj)


class SectorOut(Schema):
    name_th: str
    name_en: str
    share: Decimal | None


class LandUseOut(Schema):
    category: LandUse.Category
    category_label: str
    detail_th: str
    detail_en: str
    share: Decimal | None

    @staticmethod
    def resolve_category_label(obj):
        return obj.get_category_display()


class DisasterOut(Schema):
    id: int
    date: dt.date  # the first day of the month or year when only those are known
    precision: str  # "day", "month" or "year"
    when: str  # as precise as known, in the caller's language
    hazard: Hazard
    hazard_label: str
    area_th: str
    area_en: str
    people_affected: int | None
    deaths: int | None
    damage_thb: Decimal | None
    source: str

    @staticmethod
    def resolve_when(obj):
        return obj.when()

    @staticmethod
    def resolve_hazard_label(obj):
        return obj.get_hazard_display()


class NormalOut(Schema):
    month: int
    tmax: Decimal
    tmin: Decimal
    rainfall: Decimal
    rain_days: Decimal | None


class BaselineDetail(BaselineOut):
    population_source: str
    economy_th: str
    economy_en: str
    land_use_note_th: str
    land_use_note_en: str
    water_coverage: Decimal | None
    electricity_coverage: Decimal | None
    drainage_km: Decimal | None
    solid_waste_tpd: Decimal | None
    health_facilities: int | None
    schools: int | None
    infrastructure_th: str
    infrastructure_en: str
    climate_period: str
    climate_station: str
    climate_source: str
    sources_th: str
    sources_en: str
    sectors: list[SectorOut]
    land_use: list[LandUseOut]
    disasters: list[DisasterOut]
    normals: list[NormalOut]

    @staticmethod
    def resolve_sectors(obj):
        return list(obj.sectors.all())

    @staticmethod
    def resolve_land_use(obj):
        return list(obj.land_use.all())

    @staticmethod
    def resolve_disasters(obj):
        return list(obj.disasters.all())

    @staticmethod
    def resolve_normals(obj):
        return list(obj.normals.all())


class SectorIn(Schema):
    name_th: str = Field("", max_length=200)
    name_en: str = Field("", max_length=200)
    share: Decimal | None = Field(None, ge=0, le=100)


class LandUseIn(Schema):
    category: LandUse.Category
    detail_th: str = Field("", max_length=200)
    detail_en: str = Field("", max_length=200)
    share: Decimal | None = Field(None, ge=0, le=100)


class BaselinePatch(Schema):
    """Any of the profile's fields; `sectors` and `land_use`, when sent, replace the lists.
    Years are Gregorian (ISO), like every date of the API."""

    population: int | None = Field(None, ge=0)
    population_year: int | None = None
    population_source: str = Field(None, max_length=300)
    growth_rate: Decimal | None = None
    area_km2: Decimal | None = None
    households: int | None = Field(None, ge=0)
    economy_th: str = None
    economy_en: str = None
    land_use_note_th: str = None
    land_use_note_en: str = None
    water_coverage: Decimal | None = None
    electricity_coverage: Decimal | None = None
    drainage_km: Decimal | None = None
    solid_waste_tpd: Decimal | None = None
    health_facilities: int | None = Field(None, ge=0)
    schools: int | None = Field(None, ge=0)
    infrastructure_th: str = None
    infrastructure_en: str = None
    climate_period: str = Field(None, max_length=9)
    climate_station: str = Field(None, max_length=200)
    climate_source: str = Field(None, max_length=300)
    sources_th: str = None
    sources_en: str = None
    sectors: list[SectorIn] = Field(None, max_length=30)
    land_use: list[LandUseIn] = Field(None, max_length=30)
