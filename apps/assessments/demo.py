"""Demo vulnerability assessments for the demo network of apps.demo.

Chiang Rai's assessment (published) is well advanced: the scope SLD 1 set, urban systems,
risks rated across hazards and systems, vulnerabilities of systems and groups, trends with
projections, and risk areas from SLD 1 plus one drawn by the experts. Hat Yai's (unpublished)
has just started from its SLD 1: the demo expert (hat-yai) carries it on. The numbers are
illustrative, not findings. An assessment that exists already is left as it is.
"""
from django.contrib.auth import get_user_model

from apps.assessments.models import (
    Assessment, HazardTrend, Projection, RiskArea, RiskRating, ScopeSystem, VulnerabilityRating,
)
from apps.networks.models import City
from apps.people.models import Organisation

# hazard, system, likelihood, consequence, justification (Thai, English)
CHIANG_RAI_RISKS = [
    ("flood", "drainage", 5, 4, "น้ำกกล้นตลิ่งเกือบทุกปี ระบบระบายน้ำในเขตเมืองเก่ารับไม่ไหว",
     "The Kok overflows almost every year; the old town's drains cannot cope."),
    ("flood", "housing", 4, 4, "บ้านเรือนริมน้ำกกและชุมชนที่ลุ่มถูกน้ำท่วมซ้ำซาก",
     "Riverside and low-lying homes flood again and again."),
    ("flash_flood", "transport", 3, 4, "น้ำป่าไหลหลากตัดถนนสายรองไปอำเภอรอบนอก",
     "Flash floods cut secondary roads to the outer districts."),
    ("drought", "water_supply", 4, 3, "ฤดูแล้งน้ำดิบสำหรับประปาลดลง ต้องจำกัดการจ่ายน้ำ",
     "Dry-season raw water falls and supply is rationed."),
    ("haze", "health", 5, 4, "หมอกควันเดือนมีนาคมทำให้ผู้ป่วยทางเดินหายใจเพิ่มขึ้นมาก",
     "March haze sharply raises respiratory cases."),
    ("heat", "health", 3, 3, "วันร้อนจัดเพิ่มขึ้น กระทบผู้สูงอายุและแรงงานกลางแจ้ง",
     "More very hot days affect the elderly and outdoor workers."),
    ("storm", "energy", 2, 3, "พายุฤดูร้อนทำให้ไฟฟ้าดับเป็นระยะ",
     "Summer storms cause intermittent power cuts."),
]
CHIANG_RAI_SYSTEMS = ["drainage", "housing", "water_supply", "health", "transport", "energy"]
# system or group name, exposure, sensitivity, capacity (agents), capacity (institutions), traits
CHIANG_RAI_VULNERABILITY = [
    ("drainage", 5, 4, 2, 3, ["redundancy"]),
    ("health", 4, 4, 3, 3, ["responsiveness", "information"]),
    ("water_supply", 3, 4, 3, 2, ["flexibility"]),
]
TRENDS = {
    "flood": ("เกิดน้ำท่วมใหญ่ในปี 2554 และน้ำท่วมขังในเขตเมืองเกือบทุกปีช่วงสิงหาคม-กันยายน",
              "Major flood in 2011; urban waterlogging most years in August-September.",
              "กรมอุตุนิยมวิทยา; เทศบาลนครเชียงราย",
              [(2050, "SSP2-4.5", "ฝนสูงสุดรายวันเพิ่มขึ้นราว 10-15%", "CMIP6 (ตัวอย่าง)")]),
    "haze": ("ค่า PM2.5 เกินมาตรฐานเฉลี่ย 40-60 วันต่อปีในฤดูแล้ง",
             "PM2.5 exceeds the standard 40-60 days a year in the dry season.",
             "กรมควบคุมมลพิษ", []),
}


def seed_assessments(network):
    User = get_user_model()
    tei = User.objects.filter(username="tei").first()
    expert = User.objects.filter(username="expert").first()
    cities = {c.slug: c for c in City.objects.filter(network=network,
                                                     slug__in=["chiang-rai", "hat-yai"])}
    if "chiang-rai" in cities and not Assessment.objects.filter(city=cities["chiang-rai"]).exists():
        _chiang_rai(cities["chiang-rai"], tei)
    if "hat-yai" in cities and not Assessment.objects.filter(city=cities["hat-yai"]).exists():
        assessment = Assessment.objects.start(cities["hat-yai"], expert)
        for system in ["drainage", "housing", "economy"]:
            ScopeSystem.objects.get_or_create(assessment=assessment, system=system)
        RiskRating.objects.create(
            assessment=assessment, hazard="flood", system="drainage", likelihood=4,
            consequence=5, rated_by=expert,
            justification_th="คลองอู่ตะเภาระบายน้ำไม่ทันเมื่อฝนตกหนัก (บทเรียนปี 2553)",
            justification_en="Khlong U-Tapao cannot drain heavy rain (lessons of 2010).")


def _chiang_rai(city, by):
    assessment = Assessment.objects.start(city, by)
    lead = Organisation.objects.filter(kind="academic").order_by("pk").first()
    assessment.lead = lead
    assessment.status = Assessment.Status.REVIEW
    assessment.published = True
    assessment.notes_th = "ประเมินโดยคณะทำงานร่วมกับนักวิชาการ บนขอบเขตที่ SLD 1 กำหนด"
    assessment.notes_en = "Assessed by the working group with academics, on the scope SLD 1 set."
    assessment.save()
    for order, system in enumerate(CHIANG_RAI_SYSTEMS, 1):
        ScopeSystem.objects.get_or_create(assessment=assessment, system=system,
                                          defaults={"order": order})
    for hazard in {r[0] for r in CHIANG_RAI_RISKS}:
        assessment.hazards.get_or_create(hazard=hazard,
                                         defaults={"order": assessment.hazards.count() + 1})
    for hazard, system, likelihood, consequence, th, en in CHIANG_RAI_RISKS:
        RiskRating.objects.create(assessment=assessment, hazard=hazard, system=system,
                                  likelihood=likelihood, consequence=consequence,
                                  justification_th=th, justification_en=en, rated_by=by,
                                  evidence="บันทึกเหตุการณ์ของเทศบาล 2545-2555")
    for system, e, s, agents, institutions, traits in CHIANG_RAI_VULNERABILITY:
        VulnerabilityRating.objects.create(
            assessment=assessment, system=system, exposure=e, sensitivity=s,
            capacity_agents=agents, capacity_institutions=institutions,
            characteristics=traits, rated_by=by)
    for n, group in enumerate(assessment.groups.all()):
        VulnerabilityRating.objects.create(
            assessment=assessment, group=group, exposure=4 + n % 2, sensitivity=4,
            capacity_agents=2, capacity_institutions=2 + n % 2, characteristics=["learning"],
            rated_by=by)
    for area in assessment.areas.all():
        area.groups.set(assessment.groups.all()[:1])
    RiskArea.objects.get_or_create(
        assessment=assessment, name_th="ตลาดสดเทศบาล 1", defaults={
            "name_en": "Municipal market 1", "hazard": "flood", "source": RiskArea.Source.DRAWN,
            "order": assessment.areas.count() + 1,
            "geometry": {"type": "Polygon", "coordinates": [[
                [99.829, 19.906], [99.836, 19.906], [99.836, 19.911], [99.829, 19.911],
                [99.829, 19.906]]]}})
    for hazard, (th, en, sources, projections) in TRENDS.items():
        trend = HazardTrend.objects.create(assessment=assessment, hazard=hazard, current_th=th,
                                           current_en=en, sources=sources)
        for horizon, scenario, change, source in projections:
            Projection.objects.create(trend=trend, horizon=horizon, scenario=scenario,
                                      change_th=change, source=source)
