"""The assessment's rules: scales as network data, the risk score and level, the vulnerability
index, the scope copied from SLD 1, and the summary's gaps."""
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from apps.assessments.models import (
    Assessment, AssessmentScale, HazardTrend, Level, Projection, RiskArea, RiskRating,
    ScopeGroup, ScopeHazard, ScopeSystem, VulnerabilityRating,
)
from apps.assessments.tests.conftest import SQUARE
from apps.dialogues.models import Risk, RiskArea as SldArea, VulnerableGroup
from apps.dialogues.tests.conftest import make_dialogue, make_member
from apps.dialogues.votes import Vote

pytestmark = pytest.mark.django_db


def rate(assessment, hazard="flood", system="drainage", likelihood=3, consequence=3):
    return RiskRating.objects.create(assessment=assessment, hazard=hazard, system=system,
                                     likelihood=likelihood, consequence=consequence,
                                     justification_th="เหตุผล")


@pytest.mark.parametrize("score, level", [(1, Level.LOW), (4, Level.LOW), (5, Level.MEDIUM),
                                          (9, Level.MEDIUM), (10, Level.HIGH), (16, Level.HIGH),
                                          (17, Level.EXTREME), (25, Level.EXTREME)])
def test_default_risk_levels(world, score, level):
    assert AssessmentScale.for_network(world.network).risk_level(score) == level


def test_a_networks_own_thresholds_change_every_citys_levels(world, assessment):
    rating = rate(assessment, likelihood=3, consequence=3)  # 9
    assert rating.level == Level.MEDIUM
    AssessmentScale.objects.create(network=world.network, risk_medium_from=4, risk_high_from=8,
                                   risk_extreme_from=15)
    assessment = Assessment.objects.get(pk=assessment.pk)
    rating = assessment.risks.get()
    rating.assessment = assessment
    assert rating.level == Level.HIGH
    # Another network keeps the defaults.
    assert AssessmentScale.for_network(world.other_network).risk_level(9) == Level.MEDIUM


def test_thresholds_must_increase(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentScale.objects.create(network=world.network, risk_medium_from=10,
                                       risk_high_from=8, risk_extreme_from=15)


def test_the_score_is_likelihood_times_consequence_and_one_rating_per_pair(assessment):
    assert rate(assessment, likelihood=4, consequence=5).score == 20
    with pytest.raises(IntegrityError), transaction.atomic():
        rate(assessment)
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskRating.objects.filter(assessment=assessment).update(score=3)


def test_ratings_outside_one_to_five_are_refused_by_the_database(assessment):
    with pytest.raises(IntegrityError), transaction.atomic():
        rate(assessment, likelihood=6, consequence=1)


@pytest.mark.parametrize("e, s, agents, institutions, index, level", [
    (5, 5, 1, 1, Decimal("5.00"), Level.EXTREME),
    (1, 1, 5, 5, Decimal("1.00"), Level.LOW),
    (4, 3, 2, 3, Decimal("3.50"), Level.HIGH),  # (4 + 3 + (6 - 2.5)) / 3
    (2, 2, 4, 3, Decimal("2.17"), Level.MEDIUM),
])
def test_vulnerability_index_and_level(assessment, e, s, agents, institutions, index, level):
    rating = VulnerabilityRating.objects.create(
        assessment=assessment, system="health", exposure=e, sensitivity=s,
        capacity_agents=agents, capacity_institutions=institutions)
    assert rating.index == index
    assert rating.level == level


def test_a_vulnerability_is_of_a_system_or_of_a_group_never_both(assessment):
    group = ScopeGroup.objects.create(assessment=assessment, name_th="ผู้สูงอายุ")
    values = dict(exposure=3, sensitivity=3, capacity_agents=3, capacity_institutions=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        VulnerabilityRating.objects.create(assessment=assessment, system="health", group=group,
                                           **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        VulnerabilityRating.objects.create(assessment=assessment, **values)


def test_start_copies_sld1_scope_in_the_votes_order(world):
    dialogue = make_dialogue(world)
    drought = Risk.objects.create(dialogue=dialogue, hazard="drought", description_th="แล้ง")
    flood = Risk.objects.create(dialogue=dialogue, hazard="flood", description_th="ท่วม")
    VulnerableGroup.objects.create(dialogue=dialogue, name_th="ชุมชนริมน้ำ")
    SldArea.objects.create(dialogue=dialogue, name_th="ริมกก", hazard="flood", geometry=SQUARE)
    # A closed vote ranked flood first, although drought was recorded first.
    vote = Vote.objects.open(dialogue, None, title_th="จัดลำดับ", sources=[drought, flood])
    vote.cast(make_member(world, "voter"), None, {1: 2, 2: 1})
    vote.close(None)
    assessment = Assessment.objects.start(world.city, world.user("expert"))
    assert assessment.scoped_from == dialogue
    assert list(assessment.hazards.values_list("hazard", flat=True)) == ["flood", "drought"]
    assert list(assessment.groups.values_list("name_th", flat=True)) == ["ชุมชนริมน้ำ"]
    area = assessment.areas.get()
    assert (area.name_th, area.source, area.geometry) == ("ริมกก", RiskArea.Source.SLD, SQUARE)
    # Starting again changes nothing.
    assert Assessment.objects.start(world.city, None) == assessment
    assert assessment.hazards.count() == 2 and assessment.areas.count() == 1


def test_start_without_sld1_gives_an_empty_scope(world):
    assessment = Assessment.objects.start(world.city, None)
    assert assessment.scoped_from is None and not assessment.hazards.exists()


def test_summary_ranks_risks_and_lists_gaps(world, assessment):
    ScopeHazard.objects.create(assessment=assessment, hazard="flood")
    ScopeHazard.objects.create(assessment=assessment, hazard="heat")
    ScopeSystem.objects.create(assessment=assessment, system="health")
    group = ScopeGroup.objects.create(assessment=assessment, name_th="ผู้สูงอายุ")
    RiskArea.objects.create(assessment=assessment, name_th="ตลาด", hazard="flood",
                            geometry=SQUARE)
    rate(assessment, "flood", "drainage", 5, 5)
    rate(assessment, "flood", "housing", 2, 2)
    rate(assessment, "flood", "health", 4, 3)
    trend = HazardTrend.objects.create(assessment=assessment, hazard="flood",
                                       current_th="ท่วมทุกปี")
    with translation.override("en"):
        summary = assessment.summary()
    assert [r.score for r in summary.risks] == [25, 12, 4]
    assert summary.level_counts == {"low": 1, "medium": 0, "high": 1, "extreme": 1}
    gaps = " | ".join(str(g) for g in summary.gaps)
    assert "No risk rated for Heat yet." in gaps
    assert "No current situation or projection recorded for Heat." in gaps
    assert "The trend of Flood cites no source and no projection." in gaps
    assert "The vulnerability of Health is not assessed." in gaps
    assert "The vulnerability of ผู้สูงอายุ is not assessed." in gaps
    assert "No vulnerable group is recorded as living in ตลาด." in gaps
    # Filling them closes the gaps.
    Projection.objects.create(trend=trend, horizon=2050, scenario="SSP2-4.5",
                              change_th="ฝนหนักขึ้น", source="TMD")
    VulnerabilityRating.objects.create(assessment=assessment, group=group, exposure=4,
                                       sensitivity=5, capacity_agents=2,
                                       capacity_institutions=2)
    with translation.override("en"):
        gaps = " | ".join(Assessment.objects.get(pk=assessment.pk).summary().gaps)
    assert "Flood cites no source" not in gaps and "ผู้สูงอายุ" not in gaps
