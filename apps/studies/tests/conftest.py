import pytest

from apps.assessments.models import Assessment, ScopeGroup
from apps.studies.models import ImpactLink, ImpactNode, SectorStudy


@pytest.fixture
def assessment(world):
    return Assessment.objects.create(city=world.city)


def node(assessment, kind, text, **link):
    made = ImpactNode(assessment=assessment, kind=kind, text_th=text, **link)
    made.full_clean()
    made.save()
    return made


def link(a, b):
    return ImpactLink.connect(a, b)


@pytest.fixture
def chain(assessment):
    """flood -> drainage -> roads (cascade) -> cut off -> riverbank; flood -> water ->
    diarrhoea -> riverbank."""
    group = ScopeGroup.objects.create(assessment=assessment, name_th="ชุมชนริมน้ำ",
                                      name_en="Riverbank communities")
    n = {
        "flood": node(assessment, "hazard", "น้ำท่วม", hazard="flood"),
        "drainage": node(assessment, "impact", "ระบายน้ำไม่ทัน", system="drainage"),
        "roads": node(assessment, "impact", "ถนนถูกตัดขาด", system="transport"),
        "water": node(assessment, "impact", "น้ำประปาปนเปื้อน", system="water_supply"),
        "cutoff": node(assessment, "consequence", "ไปโรงพยาบาลไม่ได้"),
        "diarrhoea": node(assessment, "consequence", "ท้องร่วงระบาด"),
        "riverbank": node(assessment, "affected", "", group=group),
    }
    for a, b in [("flood", "drainage"), ("drainage", "roads"), ("roads", "cutoff"),
                 ("cutoff", "riverbank"), ("flood", "water"), ("water", "diarrhoea"),
                 ("diarrhoea", "riverbank")]:
        link(n[a], n[b])
    return n


@pytest.fixture
def study(assessment):
    made = SectorStudy.objects.create(assessment=assessment, title_th="การจัดการน้ำท่วม",
                                      title_en="Flood management", sector="drainage")
    made.start(None)
    return made
