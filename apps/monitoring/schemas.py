"""Shapes of the monitoring API (apps/monitoring/api.py). Numbers are decimals as strings or
numbers as ninja writes Decimals; lights are "green", "amber", "red" or "grey"
(apps/monitoring/progress.py)."""
import datetime as dt
from decimal import Decimal

from ninja import Schema


class PeriodOut(Schema):
    id: int
    label_th: str
    label_en: str
    start: dt.date
    end: dt.date
    locked: bool


class PointOut(Schema):
    period: int
    target: Decimal | None
    # The approved total of the period; for a cumulative indicator the running total (the
    # sum of the approved increments so far), its own value in `increment`.
    actual: Decimal | None
    increment: Decimal | None
    text: str  # a qualitative indicator's approved text


class ValueOut(Schema):
    period: int
    category: str  # "" the total, "dimension:category" a disaggregation
    number: Decimal | None
    text: str
    note: str


class IndicatorOut(Schema):
    id: int
    code: str
    name_th: str
    name_en: str
    unit: str
    kind: str
    cumulative: bool
    source: str
    disaggregation: dict
    baseline: Decimal | None
    baseline_text: str
    light: str  # of the latest period with an approved actual
    points: list[PointOut]  # one per period of the city, in order
    values: list[ValueOut]  # approved values only, every category


class PilotIndicatorsOut(Schema):
    pilot: int
    city: str
    periods: list[PeriodOut]
    indicators: list[IndicatorOut]


class CountsOut(Schema):
    green: int
    amber: int
    red: int
    grey: int
    share_on_track: int | None  # percent of the judged indicators (green, amber, red)


class GroupOut(CountsOut):
    id: int | None  # the criterion's or pilot's id; None: the city-wide indicators
    label: str


class CityProgressOut(CountsOut):
    city: str
    criteria: list[GroupOut]
    pilots: list[GroupOut]


class NetworkCityOut(CountsOut):
    city: str
    name: str


class NetworkPilotOut(CountsOut):
    id: int
    city: str
    label: str


class NetworkProgressOut(CountsOut):
    network: str
    cities: list[NetworkCityOut]
    pilots: list[NetworkPilotOut]


class ErrorOut(Schema):
    detail: str
