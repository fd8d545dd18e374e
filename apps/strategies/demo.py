"""Demo data for strategies, safe to run twice: Chiang Rai's resilience strategy with a vision,
three strategic issues and six scored interventions linked to its assessed flood and haze
risks. The drought risk to water supply (high) is left without an intervention, so the page
shows one gap."""
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

VISION = ("เชียงรายเป็นเมืองน่าอยู่ที่รับมือน้ำท่วมและหมอกควันได้ ชุมชนเข้าถึงข้อมูลและร่วมตัดสินใจ",
          "Chiang Rai, a liveable city that copes with floods and haze, where communities have "
          "the information and a say.")
ISSUES = [
    ("น้ำท่วมเมืองและชุมชนริมน้ำกก", "Urban flooding and the Kok riverside communities",
     [("flood", "drainage"), ("flood", "housing"), ("flash_flood", "transport")]),
    ("หมอกควันและสุขภาพ", "Haze and health", [("haze", "health")]),
    ("ข้อมูลและการเตือนภัยล่วงหน้า", "Information and early warning", []),
]
# title th, title en, issue index, risks, characteristics, feasibility, cost, years, funding
INTERVENTIONS = [
    ("ขุดลอกและขยายท่อระบายน้ำเขตเมืองเก่า", "Dredge and widen the old town's drains", 0,
     [("flood", "drainage")], ["redundancy", "safe_failure"],
     {"technical": 4, "financial": 2, "political_social": 4}, "18500000", (2024, 2026),
     "municipal", "งบประมาณเทศบาลและเงินอุดหนุนกรมโยธาธิการ"),
    ("ยกระดับบ้านริมน้ำกกและพื้นที่ปลอดภัยชุมชน", "Raise riverside homes and community safe areas",
     0, [("flood", "housing")], ["safe_failure", "flexibility", "resourcefulness"],
     {"technical": 3, "financial": 2, "political_social": 3}, "9200000", (2025, 2027),
     "international", "เสนอขอทุนมูลนิธิร็อกกี้เฟลเลอร์"),
    ("เส้นทางสำรองไปอำเภอรอบนอกช่วงน้ำป่า", "Alternative routes to outer districts in flash floods",
     0, [("flash_flood", "transport")], ["redundancy", "flexibility"],
     {"technical": 4, "financial": 3, "political_social": 4}, "6000000", (2025, 2026),
     "national", "กรมทางหลวงชนบท"),
    ("ระบบเตือนภัยน้ำท่วมผ่านไลน์ชุมชน", "Flood early warning through community LINE groups", 2,
     [("flood", "housing"), ("flood", "drainage")], ["information", "responsiveness"],
     {"technical": 5, "financial": 5, "political_social": 5}, "850000", (2024, 2025),
     "municipal", ""),
    ("ห้องปลอดฝุ่นในโรงเรียนและศูนย์ผู้สูงอายุ", "Clean-air rooms in schools and elderly centres", 1,
     [("haze", "health")], ["safe_failure", "responsiveness"],
     {"technical": 4, "financial": 3, "political_social": 5}, "3400000", (2024, 2025),
     "private", "บริษัทในพื้นที่ร่วมสนับสนุน"),
    ("เครือข่ายเซ็นเซอร์ PM2.5 และประกาศเตือนสุขภาพ", "PM2.5 sensor network and health alerts", 2,
     [("haze", "health")], ["information", "responsiveness", "flexibility"],
     {"technical": 4, "financial": 4, "political_social": 4}, "1200000", (2024, 2024),
     "international", ""),
]


def seed_strategies(network):
    """Called by seed_demo after the good-practice library is seeded."""
    from apps.assessments.models import Assessment
    from apps.dialogues.models import DialogueItem, ItemKind
    from apps.networks.models import City
    from apps.people.models import Organisation
    from apps.strategies.models import Intervention, StrategicIssue, Strategy

    city = City.objects.filter(network=network, slug="chiang-rai").first()
    assessment = Assessment.objects.filter(city=city).first() if city else None
    if assessment is None or Strategy.objects.filter(city=city).exists():
        return
    by = get_user_model().objects.filter(username="tei").first()
    risks = {(r.hazard, r.system): r for r in assessment.risks.all()}
    sld_items = list(DialogueItem.objects.filter(dialogue__city_activity__city=city,
                                                 kind=ItemKind.STRATEGIC_ISSUE))
    agencies = list(Organisation.objects.filter(city=city).order_by("pk")[:3])
    groups = list(assessment.groups.all())
    areas = list(assessment.areas.all())
    with transaction.atomic():
        strategy = Strategy.objects.create(city=city, vision_th=VISION[0], vision_en=VISION[1],
                                           published=True, created_by=by)
        issues = []
        for order, (th, en, keys) in enumerate(ISSUES, 1):
            issue = StrategicIssue.objects.create(
                strategy=strategy, order=order, title_th=th, title_en=en,
                sld_item=sld_items[order - 1] if order <= len(sld_items) else None)
            issue.risks.set([risks[k] for k in keys if k in risks])
            issues.append(issue)
        for order, (th, en, issue, keys, chars, feas, cost, years, source, note) in enumerate(
                INTERVENTIONS, 1):
            intervention = Intervention.objects.create(
                strategy=strategy, order=order, issue=issues[issue], title_th=th, title_en=en,
                description_th=th, description_en=en, characteristics=chars, feasibility=feas,
                cost=Decimal(cost), start_year=years[0], end_year=years[1],
                funding_source=source, funding_note=note)
            intervention.risks.set([risks[k] for k in keys if k in risks])
            intervention.agencies.set(agencies[(order - 1) % len(agencies):][:1] if agencies
                                      else [])
            intervention.groups.set(groups[:1] if order % 2 else groups[1:2])
            intervention.areas.set(areas[:1] if keys and keys[0][0] == "flood" else [])
        strategy.save_version(by, "ร่างแรกจากคณะทำงาน")
    from apps.strategies.demo_plan import seed_plan_and_proposal

    seed_plan_and_proposal(strategy, by)
