"""Demo records of the studies app for the demo network of apps.demo: Chiang Rai's impact chains
(floods through drainage, roads and water supply to the riverbank communities, the elderly and
small traders; haze through health care; a landslide hazard not yet traced: a gap) and two
sector studies on SLD 2's strategic issues, one signed off at round 2 (round 1 readable), one
draft. Safe to run twice: nothing is added when Chiang Rai already has nodes or studies."""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from apps.assessments.models import Assessment, RiskRating, ScopeGroup
from apps.dialogues.models import Dialogue, DialogueItem, ItemKind
from apps.people.models import Organisation
from apps.studies.models import ImpactLink, ImpactNode, SectorStudy, StudyVersion

# key -> (kind, text_th, text_en, structured link)
NODES = {
    "flood": ("hazard", "น้ำท่วมริมแม่น้ำกก", "Kok river flood", {"hazard": "flood"}),
    "flash": ("hazard", "น้ำป่าไหลหลาก", "Flash flood", {"hazard": "flash_flood"}),
    "haze": ("hazard", "หมอกควันจากการเผาในที่โล่ง", "Haze from open burning", {"hazard": "haze"}),
    "landslide": ("hazard", "ดินถล่มเชิงดอย", "Hillside landslides", {"hazard": "landslide"}),
    "drainage": ("impact", "ระบบระบายน้ำรับน้ำไม่ไหว น้ำท่วมขังในเขตเมือง",
                 "Drainage overwhelmed, water stands in town", {"system": "drainage"}),
    "roads": ("impact", "ถนนสายหลักถูกน้ำท่วมตัดขาด", "Main roads closed by water",
              {"system": "transport"}),
    "water": ("impact", "น้ำประปาปนเปื้อนเมื่อโรงกรองน้ำถูกน้ำท่วม",
              "Tap water contaminated when the treatment plant floods",
              {"system": "water_supply"}),
    "clinics": ("impact", "ผู้ป่วยโรคทางเดินหายใจล้นโรงพยาบาล",
                "Respiratory patients overwhelm the hospitals", {"system": "health"}),
    "cutoff": ("consequence", "เดินทางไปโรงพยาบาลและที่ทำงานไม่ได้หลายวัน",
               "No way to hospital or work for days", {}),
    "diarrhoea": ("consequence", "โรคท้องร่วงระบาดหลังน้ำลด", "Diarrhoea outbreaks after the flood",
                  {}),
    "income": ("consequence", "ตลาดปิด รายได้ของผู้ค้ารายย่อยหายไป",
               "Markets close, small traders lose income", {}),
    "breathing": ("consequence", "อาการกำเริบของโรคปอดและหัวใจ",
                  "Lung and heart conditions worsen", {}),
    "riverbank": ("affected", "ชุมชนริมแม่น้ำกก", "Kok riverbank communities",
                  {"group": "Kok riverbank"}),
    "elderly": ("affected", "ผู้สูงอายุและเด็กเล็ก", "The elderly and young children",
                {"group": "elderly"}),
    "traders": ("affected", "ผู้ค้ารายย่อยย่านตลาด", "Small traders of the market district", {}),
}
LINKS = [
    ("flood", "drainage"), ("flash", "drainage"), ("flood", "water"),
    ("drainage", "roads"),  # a cascade: the drainage fails, then the roads
    ("roads", "cutoff"), ("roads", "income"), ("water", "diarrhoea"),
    ("haze", "clinics"), ("clinics", "breathing"),
    ("cutoff", "riverbank"), ("cutoff", "elderly"), ("diarrhoea", "riverbank"),
    ("income", "traders"), ("breathing", "elderly"),
]

STUDIES = [
    {
        "issue": "Urban flood management", "sector": "drainage",
        "title_th": "การจัดการน้ำท่วมเขตเมือง: ระบบระบายน้ำและชุมชนริมแม่น้ำกก",
        "title_en": "Urban flood management: drainage and the Kok riverbank communities",
        "experts": "ผศ.ดร. ธนพล ศรีวิชัย\nอรุณี ปัญญาวงศ์",
        "nodes": ["flood", "drainage", "roads", "cutoff", "riverbank"],
        "rounds": [
            {
                "findings_th": "ท่อระบายน้ำในเขตเทศบาลรองรับฝนได้ราว 50 มม. ต่อวัน "
                               "ฝนที่หนักกว่านั้นทำให้น้ำท่วมขังถนนสายหลัก",
                "findings_en": "The municipal drains carry about 50 mm of rain a day; heavier "
                               "rain floods the main roads.",
                "recommendations_th": "ขยายท่อระบายน้ำสายหลัก",
                "recommendations_en": "Enlarge the main drains.",
                "signed_days_ago": 40,
            },
            {
                "findings_th": "ท่อระบายน้ำในเขตเทศบาลรองรับฝนได้ราว 45 มม. ต่อวัน "
                               "ฝนที่หนักกว่านั้นทำให้น้ำท่วมขังถนนสายหลักและตัดขาด 14 ชุมชนริมแม่น้ำกก",
                "findings_en": "The municipal drains carry about 45 mm of rain a day; heavier "
                               "rain floods the main roads and cuts off the 14 Kok riverbank "
                               "communities.",
                "recommendations_th": "ขยายท่อระบายน้ำสายหลัก\nฟื้นฟูพื้นที่ชุ่มน้ำริมแม่น้ำกกเป็นพื้นที่รับน้ำ",
                "recommendations_en": "Enlarge the main drains.\nRestore the Kok riverside "
                                      "wetlands to hold floodwater.",
                "extra_nodes": ["water", "diarrhoea"],
                "signed_days_ago": 10,
            },
        ],
    },
    {
        "issue": "Haze and health", "sector": "health",
        "title_th": "หมอกควันกับสุขภาพของผู้สูงอายุและเด็ก",
        "title_en": "Haze and the health of the elderly and children",
        "experts": "นพ. สมชาย วงศ์คำ",
        "nodes": ["haze", "clinics", "breathing", "elderly"],
        "rounds": [{
            "findings_th": "ผู้ป่วยโรคทางเดินหายใจที่โรงพยาบาลเชียงรายประชานุเคราะห์เพิ่มขึ้นราวร้อยละ 30 "
                           "ในเดือนมีนาคม",
            "findings_en": "Respiratory patients at Chiangrai Prachanukroh Hospital rise by "
                           "about 30% in March.",
            "recommendations_th": "", "recommendations_en": "",
        }],
    },
]


def seed_studies(network):
    """Add the demo records; a second run changes nothing."""
    city = network.cities.filter(slug="chiang-rai").first()
    if city is None:
        return
    with transaction.atomic():
        assessment = (Assessment.objects.filter(city=city).first()
                      or Assessment.objects.start(city, by=None))
        nodes = _graph(assessment)
        if not SectorStudy.objects.filter(assessment=assessment).exists():
            _studies(assessment, city, nodes)


def _group(assessment, hint):
    return (ScopeGroup.objects.filter(assessment=assessment, name_en__icontains=hint).first()
            if hint else None)


def _graph(assessment):
    existing = list(ImpactNode.objects.filter(assessment=assessment))
    if existing:
        by_text = {n.text_en: n for n in existing}
        return {key: by_text.get(spec[2]) for key, spec in NODES.items()}
    nodes = {}
    for key, (kind, text_th, text_en, link) in NODES.items():
        node = ImpactNode(assessment=assessment, kind=kind, text_th=text_th, text_en=text_en,
                          hazard=link.get("hazard", ""), system=link.get("system", ""),
                          group=_group(assessment, link.get("group")))
        node.full_clean()
        node.save()
        nodes[key] = node
    for a, b in LINKS:
        ImpactLink.connect(nodes[a], nodes[b])
    return nodes


def _studies(assessment, city, nodes):
    dialogue = Dialogue.objects.for_sld(city, 2)
    issues = {}
    if dialogue is not None:
        issues = {i.text_en: i for i in DialogueItem.objects.filter(
            dialogue=dialogue, kind=ItemKind.STRATEGIC_ISSUE)}
    lead = Organisation.objects.filter(name_en="Mae Fah Luang University").first()
    signer = get_user_model().objects.filter(username="chiangrai").first()
    now = timezone.now()
    for spec in STUDIES:
        study = SectorStudy(
            assessment=assessment, issue=issues.get(spec["issue"]), sector=spec["sector"],
            title_th=spec["title_th"], title_en=spec["title_en"], lead=lead,
            expert_names=spec["experts"], created_by=signer)
        study.full_clean()
        study.save()
        if signer is not None:
            study.experts.add(signer)
        linked = [nodes[k] for k in spec["nodes"] if nodes.get(k)]
        for number, values in enumerate(spec["rounds"], 1):
            version = (study.start(signer) if number == 1 else study.draft_for_edit(signer))
            for field in ("findings_th", "findings_en", "recommendations_th",
                          "recommendations_en"):
                setattr(version, field, values[field])
            version.save()
            linked += [nodes[k] for k in values.get("extra_nodes", []) if nodes.get(k)]
            version.nodes.set(linked)
            version.risks.set(RiskRating.objects.filter(assessment=assessment,
                                                        system=spec["sector"]))
            if "signed_days_ago" in values:
                version.sign_off(signer)
                StudyVersion.objects.filter(pk=version.pk).update(
                    signed_at=now - timedelta(days=values["signed_days_ago"]))
