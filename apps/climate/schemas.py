import datetime as dt

from ninja import Schema
from pydantic import Field

from apps.climate.models import Analysis


class StationOut(Schema):
    id: int
    city: str
    code: str
    name: str
    name_th: str
    name_en: str
    latitude: float | None
    longitude: float | None
    elevation_m: float | None
    source: str
    published: bool
    day_count: int  # days recorded
    first_date: dt.date | None
    last_date: dt.date | None
    latest_analysis: int | None  # id of the latest finished analysis

    @staticmethod
    def resolve_city(obj):
        return obj.city.slug

    @staticmethod
    def resolve_day_count(obj):
        return obj.day_count or 0

    @staticmethod
    def resolve_latest_analysis(obj):
        return obj.latest_analysis_id


class YearCoverage(Schema):
    year: int
    days: int  # days in the calendar year
    prcp: int  # days with a rainfall value
    tmax: int
    tmin: int
    missing: int  # days the most-missing of the three lacks
    complete: bool  # at most 15 missing days: the year gets annual indices


class UploadOut(Schema):
    id: int
    filename: str
    uploaded_at: dt.datetime
    rows: int
    first_date: dt.date | None
    last_date: dt.date | None
    missing_days: int
    longest_gap: int
    incomplete_years: list[int]


class StationDetail(StationOut):
    coverage: list[YearCoverage]
    uploads: list[UploadOut]  # newest first, at most 100

    @staticmethod
    def resolve_coverage(obj):
        return obj.yearly_coverage()

    @staticmethod
    def resolve_uploads(obj):
        return obj.uploads.all()[:100]


class AnalysisOut(Schema):
    id: int
    station: int
    city: str
    status: Analysis.Status
    progress: int
    stage: str
    stage_label: str
    hot_threshold: float
    base_start: int | None
    base_end: int | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    error: str

    @staticmethod
    def resolve_station(obj):
        return obj.station_id

    @staticmethod
    def resolve_city(obj):
        return obj.station.city.slug

    @staticmethod
    def resolve_stage_label(obj):
        return obj.get_stage_display()

    @staticmethod
    def resolve_error(obj):
        return obj.error_message


class AnalysisDetail(AnalysisOut):
    # The layout is documented in apps/climate/analysis.py; reasons are English message ids.
    results: dict


class AnalysisIn(Schema):
    hot_threshold: float = Field(35.0, ge=20, le=45)
    base_start: int | None = Field(None, ge=1850, le=2100)
    base_end: int | None = Field(None, ge=1850, le=2100)
