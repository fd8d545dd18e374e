"""Demo data for monitoring, safe to run twice: Chiang Rai's M&E framework started from the
indicators agreed at its SLD 3 (from the SLD 3 record when there is one),
two indicators picked from the network's library, four quarterly periods from the quarter the
demo pilots started in (the demo's dates follow the day it is seeded) with targets, an approved
report for the first quarter and a submitted one for the second. The early-warning pilot's
participants and vulnerable-group participants are filled from its training's attendance
(apps/events/demo.py) into its draft reports."""
import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

AGREED = [  # criterion (th, en), indicator (th, en), unit
    (("การเตือนภัยล่วงหน้า", "Early warning"),
     ("เวลาเตือนภัยล่วงหน้าก่อนน้ำท่วม", "Warning time before a flood"), "ชั่วโมง"),
    (("การเตือนภัยล่วงหน้า", "Early warning"),
     ("จำนวนชุมชนที่มีระบบเตือนภัย", "Communities with a warning system"), "ชุมชน"),
    (("การมีส่วนร่วมของชุมชน", "Community participation"),
     ("สัดส่วนผู้หญิงในคณะกรรมการภัยพิบัติชุมชน", "Share of women on community disaster "
      "committees"), "%"),
    (("การมีส่วนร่วมของชุมชน", "Community participation"),
     ("บทเรียนจากโครงการนำร่อง", "Lessons from the pilot projects"), ""),
]
LIBRARY = [
    {"code": "NET-TRAINED", "name_th": "ผู้ได้รับการอบรมการเตรียมพร้อมรับภัยพิบัติ",
     "name_en": "People trained in disaster preparedness", "unit": "คน",
     "definition_th": "จำนวนผู้ผ่านการอบรมในงวด นับคนละครั้ง",
     "definition_en": "People who completed a training in the period, each counted once.",
     "min_value": Decimal(0), "max_value": Decimal(100000), "cumulative": True,
     "disaggregation": {"gender": ["women", "men"]}},
    {"code": "NET-FLOOD-DAYS", "name_th": "จำนวนวันที่น้ำท่วมขังในพื้นที่เสี่ยง",
     "name_en": "Days of standing floodwater in the risk areas", "unit": "วัน",
     "min_value": Decimal(0), "max_value": Decimal(92)},
]
TH_MONTHS = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.",
             "พ.ย.", "ธ.ค."]
EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def quarters(today, count=4):
    """`count` calendar quarters from the one four months before `today`: the demo pilots
    started about then, so the first quarter is over and the second is being reported."""
    from apps.core.dates import add_months

    first = add_months(today.replace(day=1), -4)
    start = first.replace(month=(first.month - 1) // 3 * 3 + 1)
    out = []
    for _ in range(count):
        following = add_months(start, 3)
        end = following - dt.timedelta(days=1)
        m1, m3 = start.month - 1, end.month - 1
        out.append((start, end, f"{TH_MONTHS[m1]}-{TH_MONTHS[m3]} {start.year + 543}",
                    f"{EN_MONTHS[m1]}-{EN_MONTHS[m3]} {start.year}"))
        start = following
    return out


TARGETS = {"SLD3-1": [6, 8, 10, 12], "SLD3-2": [4, 8, 12, 16], "SLD3-3": [30, 35, 40, 40],
           "NET-TRAINED": [100, 250, 400, 500], "NET-FLOOD-DAYS": [10, 8, 6, 5]}
VALUES = [  # (code, category, first quarter, second quarter, note)
    ("SLD3-1", "", "5", "7", ""), ("SLD3-2", "", "3", "6", ""),
    ("SLD3-3", "", "28", "33", ""),
    ("SLD3-4", "", "ชุมชนริมน้ำกกเริ่มใช้ธงสีเตือนระดับน้ำ",
     "อาสาสมัครส่งต่อข่าวทางวิทยุชุมชนได้เร็วขึ้น", ""),
    ("NET-TRAINED", "", "120", "140", ""), ("NET-TRAINED", "gender:women", "70", "80", ""),
    ("NET-TRAINED", "gender:men", "50", "60", ""),
    ("NET-FLOOD-DAYS", "", "12", "7", ""),
]


def _framework_from_sld3(city):
    """The criteria and indicators agreed at SLD 3: copied from the city's SLD 3 record when
    it has indicators (Criterion.objects.start_from_sld3), else made from AGREED with the same
    codes (the dialogues demo records Chiang Rai's SLD 1 and 2 only, and its counts are
    checked, so no SLD 3 record is added here)."""
    from apps.dialogues.models import Dialogue
    from apps.monitoring.models import Criterion, Indicator

    dialogue = Dialogue.objects.for_sld(city, 3)
    if dialogue is not None and dialogue.indicators.exists():
        Criterion.objects.start_from_sld3(city)
        return
    for number, ((c_th, c_en), (i_th, i_en), unit) in enumerate(AGREED, start=1):
        criterion, _ = Criterion.objects.get_or_create(
            city=city, name_th=c_th, defaults={"name_en": c_en, "order": number})
        Indicator.objects.get_or_create(
            city=city, code=f"SLD3-{number}",
            defaults={"criterion": criterion, "name_th": i_th, "name_en": i_en, "unit": unit,
                      "order": number})


# The pilot's participation indicators, filled from its events' attendance (participation.py):
# code -> (source, Thai name, English name, disaggregation).
PARTICIPATION = {
    "PILOT-2": ("participants", "ผู้เข้าร่วมกิจกรรมของโครงการนำร่อง",
                "Participants at the pilot's events", {"gender": ["women", "men"]}),
    "PILOT-3": ("vulnerable", "ผู้เข้าร่วมจากกลุ่มเปราะบาง",
                "Participants from vulnerable groups",
                {"กลุ่มเปราะบาง": ["ผู้สูงอายุ", "คนพิการ", "กลุ่มชาติพันธุ์", "ผู้มีรายได้น้อย",
                                   "แรงงานข้ามชาติ"]}),
}


def _participation_indicators(city, criterion, pilot):
    from apps.monitoring.models import Indicator

    for order, (code, (source, name_th, name_en, groups)) in enumerate(
            PARTICIPATION.items(), start=2):
        Indicator.objects.get_or_create(
            city=city, code=code,
            defaults={"criterion": criterion, "pilot": pilot, "source": source,
                      "name_th": name_th, "name_en": name_en, "unit": "คน",
                      "min_value": 0, "disaggregation": groups, "order": order})


def seed_monitoring(network):
    """Called by seed_demo after the pilots are seeded."""
    from apps.monitoring.models import (
        Criterion, Indicator, Kind, LibraryIndicator, Period, Report, Target, Value,
    )
    from apps.monitoring.participation import fill_city
    from apps.pilots.models import Pilot

    city = network.cities.filter(slug="chiang-rai").first()
    if city is None:
        return
    coordinator = get_user_model().objects.filter(username="chiangrai").first()
    with transaction.atomic():
        library = []
        for spec in LIBRARY:
            item, _ = LibraryIndicator.objects.get_or_create(
                network=network, code=spec["code"],
                defaults={k: v for k, v in spec.items() if k != "code"})
            library.append(item)
        _framework_from_sld3(city)
        Indicator.objects.filter(city=city, code="SLD3-3").update(min_value=0, max_value=100)
        Indicator.objects.filter(city=city, code="SLD3-1").update(min_value=0, max_value=72)
        Indicator.objects.filter(city=city, code="SLD3-4").update(kind=Kind.QUALITATIVE)
        shared, _ = Criterion.objects.get_or_create(
            city=city, name_th="ตัวชี้วัดร่วมของเครือข่าย",
            defaults={"name_en": "Network-wide indicators", "order": 9})
        Indicator.objects.pick_from_library(shared, library)
        pilot = Pilot.objects.filter(city=city).first()
        if pilot is not None and not Indicator.objects.filter(city=city, code="PILOT-1").exists():
            Indicator.objects.create(
                city=city, criterion=shared, pilot=pilot, code="PILOT-1",
                name_th="ครัวเรือนที่ได้รับข้อความเตือนภัย", name_en="Households warned",
                unit="ครัวเรือน", min_value=0, cumulative=True)
        trained = Pilot.objects.filter(city=city, events__isnull=False).distinct().first()
        if trained is not None:
            _participation_indicators(city, shared, trained)
        periods = []
        for start, end, label_th, label_en in quarters(timezone.localdate()):
            period, _ = Period.objects.get_or_create(
                city=city, start=start,
                defaults={"end": end, "label_th": label_th, "label_en": label_en})
            periods.append(period)
        indicators = {i.code: i for i in Indicator.objects.filter(city=city)}
        for code, values in TARGETS.items():
            if code in indicators:
                for period, value in zip(periods, values):
                    Target.objects.update_or_create(indicator=indicators[code], period=period,
                                                    defaults={"value": Decimal(value)})
        if trained is not None and not Value.objects.filter(
                indicator__city=city, indicator__source=Indicator.Source.VULNERABLE).exists():
            fill_city(city)  # the pilot's training attendance, into its draft reports
            if coordinator is not None:
                # Reported and approved, so the pilot's progress page has attendance to show.
                for report in Report.objects.filter(
                        city=city, pilot=trained, status=Report.Status.DRAFT,
                        values__isnull=False).distinct():
                    report.submit(coordinator)
                    report.approve(coordinator)
        if Report.objects.filter(city=city, pilot=None, period__in=periods[:2]).exists():
            return
        for column, period in ((2, periods[0]), (3, periods[1])):
            report = Report.objects.create(city=city, period=period)
            cells = {(indicators[row[0]].pk, row[1]): (row[column], row[4])
                     for row in VALUES if row[0] in indicators}
            errors = report.save_values(cells)
            if errors:  # the demo's own numbers obey the rules; say so loudly if not
                raise ValueError(f"demo values refused: {errors}")
            report.submit(coordinator)
            if column == 2:
                report.approve(coordinator)
