"""The strategy's rules at model level: another city's risk, gaps, the scoring formula,
versions, adoption and read-only."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from apps.strategies.models import (
    FeasibilityCriterion, Intervention, ResilienceCharacteristic, Scoring, StrategicIssue,
    compare_versions,
)


def test_another_citys_risk_is_refused_at_model_level(world, strategy):
    intervention = Intervention.objects.create(strategy=strategy, title_th="ขุดลอกคลอง")
    # m2m add runs in a transaction: the refusal leaves it to roll back, hence atomic().
    with pytest.raises(ValidationError) as error, transaction.atomic():
        intervention.risks.add(world.flood, world.far_risk)
    assert f"#{world.far_risk.pk}" in str(error.value)
    assert list(intervention.risks.all()) == []  # nothing added, not even the own risk
    with pytest.raises(ValidationError), transaction.atomic():
        intervention.risks.set([world.sibling_risk])
    with pytest.raises(ValidationError), transaction.atomic():  # from the risk's side too
        world.far_risk.interventions.add(intervention)
    issue = StrategicIssue.objects.create(strategy=strategy, title_th="น้ำท่วม")
    with pytest.raises(ValidationError), transaction.atomic():
        issue.risks.add(world.far_risk)
    intervention.risks.add(world.flood)
    assert list(intervention.risks.all()) == [world.flood]


def test_gaps_list_uncovered_high_risks_and_unlinked_interventions(world, strategy):
    gaps = strategy.gaps()
    # Flood (20, extreme) and haze (12, high) are uncovered; storm (4, low) is no gap.
    assert [r.pk for r in gaps.risks] == [world.flood.pk, world.haze.pk]
    assert [r.level_value for r in gaps.risks] == ["extreme", "high"]
    drains = Intervention.objects.create(strategy=strategy, title_th="ขุดลอก")
    drains.risks.add(world.flood)
    masks = Intervention.objects.create(strategy=strategy, title_th="แจกหน้ากาก")
    gaps = strategy.gaps()
    assert [r.pk for r in gaps.risks] == [world.haze.pk]
    assert gaps.interventions == [masks]
    masks.risks.add(world.haze)
    assert not strategy.gaps()


def test_an_intervention_of_another_strategy_does_not_close_a_gap(world, strategy):
    from apps.strategies.models import Strategy

    other = Strategy.objects.create(city=world.far_city)
    Intervention.objects.create(strategy=other, title_th="อื่น").risks.add(world.far_risk)
    assert world.flood in strategy.gaps().risks


def test_scoring_formula_with_defaults(world, strategy):
    scoring = Scoring.for_network(world.network)
    assert [c.code for c in scoring.characteristics] == [
        "flexibility", "redundancy", "responsiveness", "information", "resourcefulness",
        "safe_failure"]
    assert [c.code for c in scoring.criteria] == ["technical", "financial", "political_social"]
    i = Intervention(strategy=strategy, title_th="x",
                     characteristics=["redundancy", "information", "safe_failure"],
                     feasibility={"technical": 5, "financial": 3, "political_social": 4})
    scoring.score(i)
    assert i.resilience_score == 3
    assert i.resilience_share == Decimal("0.5")
    assert i.feasibility_score == Decimal("4.00")
    # 100 x (0.5 x 0.5 + 0.5 x (4 - 1) / 4) = 25 + 37.5
    assert i.priority == Decimal("62.5")
    unscored = scoring.score(Intervention(strategy=strategy, title_th="y",
                                          characteristics=["flexibility"]))
    assert unscored.priority is None and unscored.feasibility_score is None
    assert scoring.ranked([unscored, i]) == [i, unscored]


def test_network_scales_and_weights_replace_the_defaults(world, strategy):
    ResilienceCharacteristic.objects.create(network=world.network, code="redundancy",
                                            name_th="สำรอง", weight=3)
    ResilienceCharacteristic.objects.create(network=world.network, code="learning",
                                            name_th="เรียนรู้", weight=1)
    FeasibilityCriterion.objects.create(network=world.network, code="technical",
                                        name_th="เทคนิค", weight=3)
    FeasibilityCriterion.objects.create(network=world.network, code="financial",
                                        name_th="การเงิน", weight=1)
    scoring = strategy.scoring()
    i = scoring.score(Intervention(strategy=strategy, title_th="x",
                                   characteristics=["redundancy"],
                                   feasibility={"technical": 5, "financial": 1}))
    assert i.resilience_score == 3 and i.resilience_share == Decimal("0.75")
    assert i.feasibility_score == Decimal("4.00")  # (3 x 5 + 1 x 1) / 4
    assert i.priority == Decimal("75.0")  # 100 x (0.375 + 0.375)


def test_years_must_be_in_order(world, strategy):
    i = Intervention(strategy=strategy, title_th="x", start_year=2026, end_year=2024)
    with pytest.raises(ValidationError) as error:
        i.full_clean()
    assert "end_year" in error.value.message_dict


def test_save_version_snapshots_the_whole_strategy(world, strategy):
    issue = StrategicIssue.objects.create(strategy=strategy, title_th="น้ำท่วมเมือง")
    i = Intervention.objects.create(strategy=strategy, issue=issue, title_th="ขุดลอกคลอง",
                                    cost=Decimal("1500000"), start_year=2024, end_year=2026,
                                    characteristics=["redundancy"])
    i.risks.add(world.flood)
    v1 = strategy.save_version(world.user("coordinator"), "ร่างแรก")
    assert v1.number == 1
    snap = v1.snapshot
    assert snap["vision_th"] == "เชียงรายเมืองที่ปรับตัวได้"
    assert snap["issues"][0]["title_th"] == "น้ำท่วมเมือง"
    assert snap["interventions"][0] | {} == snap["interventions"][0]
    assert snap["interventions"][0]["risks"] == [world.flood.pk]
    assert snap["interventions"][0]["cost"] == "1500000.00"
    i.title_th = "ขุดลอกคลองและท่อ"
    i.save()
    Intervention.objects.create(strategy=strategy, title_th="ระบบเตือนภัย")
    v2 = strategy.save_version(None)
    assert v2.number == 2
    v1.refresh_from_db()
    assert v1.snapshot["interventions"][0]["title_th"] == "ขุดลอกคลอง"  # unchanged
    diff = compare_versions(v1.snapshot, v2.snapshot)
    assert ("added", "interventions", "ระบบเตือนภัย") in diff
    assert any(kind == "changed" and "title_th" in detail for kind, _, detail in diff)


def test_adoption_needs_date_and_evidence_then_is_read_only(world, strategy):
    by = world.user("coordinator")
    with pytest.raises(ValidationError):
        strategy.set_status("adopted", by)  # a draft is submitted first
    strategy.set_status("submitted", by)
    assert strategy.versions.count() == 1  # what the council received is kept
    with pytest.raises(ValidationError) as error:
        strategy.set_status("adopted", by, decided_on=dt.date(2024, 3, 1))
    assert "evidence" in error.value.message_dict
    upload = SimpleUploadedFile("resolution.pdf", b"%PDF-1.4 resolution")
    strategy.set_status("adopted", by, decided_on=dt.date(2024, 3, 1),
                        evidence=(upload, "pdf"))
    strategy.refresh_from_db()
    assert strategy.status == "adopted" and strategy.evidence_type == "pdf"
    assert strategy.read_only
    with pytest.raises(ValidationError):
        strategy.check_editable()
    strategy.start_new_version(by)
    assert strategy.status == "draft" and not strategy.read_only
    assert strategy.versions.count() == 2
    assert strategy.versions.first().snapshot["status"] == "adopted"
