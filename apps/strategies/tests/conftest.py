import pytest

from apps.assessments.models import Assessment, RiskRating
from apps.strategies.models import Strategy


def risk(assessment, hazard, system, likelihood, consequence):
    return RiskRating.objects.create(assessment=assessment, hazard=hazard, system=system,
                                     likelihood=likelihood, consequence=consequence,
                                     justification_th=f"เหตุผล {hazard} {system}")


@pytest.fixture
def strategy(world):
    """A1's draft strategy; its assessment has an extreme flood risk (20), a high haze risk
    (12) and a low storm risk (4). B1 (another network) has a risk too."""
    assessment = Assessment.objects.create(city=world.city)
    world.flood = risk(assessment, "flood", "drainage", 5, 4)
    world.haze = risk(assessment, "haze", "health", 4, 3)
    world.storm = risk(assessment, "storm", "energy", 2, 2)
    far = Assessment.objects.create(city=world.far_city)
    world.far_risk = risk(far, "flood", "housing", 5, 5)
    sibling = Assessment.objects.create(city=world.other_city)
    world.sibling_risk = risk(sibling, "drought", "water_supply", 4, 4)
    return Strategy.objects.create(city=world.city, vision_th="เชียงรายเมืองที่ปรับตัวได้")
