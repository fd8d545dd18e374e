"""A small M&E framework for tests: a criterion, indicators of each kind, two periods."""
import datetime as dt
from decimal import Decimal

from apps.monitoring.models import Criterion, Indicator, Kind, Period, Report


def make_framework(city):
    criterion = Criterion.objects.create(city=city, name_th="ความยืดหยุ่น", name_en="Resilience")
    people = Indicator.objects.create(
        city=city, criterion=criterion, code="HH", name_th="ครัวเรือนที่ได้ประโยชน์",
        name_en="Households benefiting", unit="ครัวเรือน", min_value=Decimal(0),
        max_value=Decimal(100000), cumulative=True,
        disaggregation={"gender": ["women", "men"]})
    rain = Indicator.objects.create(
        city=city, criterion=criterion, code="RAIN", name_th="ปริมาณน้ำฝน", name_en="Rain",
        unit="mm")
    story = Indicator.objects.create(
        city=city, criterion=criterion, code="STORY", name_th="เรื่องเล่า", name_en="Story",
        kind=Kind.QUALITATIVE)
    q1 = Period.objects.create(city=city, label_th="ไตรมาส 1", label_en="Q1",
                               start=dt.date(2010, 1, 1), end=dt.date(2010, 3, 31))
    q2 = Period.objects.create(city=city, label_th="ไตรมาส 2", label_en="Q2",
                               start=dt.date(2010, 4, 1), end=dt.date(2010, 6, 30))
    return {"criterion": criterion, "people": people, "rain": rain, "story": story,
            "q1": q1, "q2": q2}


def make_report(city, period, pilot=None):
    return Report.objects.create(city=city, period=period, pilot=pilot)
