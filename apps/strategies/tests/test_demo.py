"""The demo: Chiang Rai's strategy with one visible gap, a development plan with two mapped
interventions and a submitted funder proposal; running seed_demo twice adds nothing."""
from io import StringIO

import pytest
from django.core.management import call_command

from apps.strategies.models import (
    DevPlan, FunderProposal, FunderSubmission, Intervention, PlanItem, Strategy,
    StrategyVersion,
)


def counts():
    return [m.objects.count() for m in (Strategy, Intervention, StrategyVersion, DevPlan,
                                        PlanItem, FunderProposal, FunderSubmission)]


@pytest.mark.django_db
def test_demo_strategy_and_running_twice(monkeypatch):
    # The forum synthesis is seeded after the strategies and only reads them: left out here.
    monkeypatch.setattr("apps.demo.management.commands.seed_demo.seed_forum", lambda n: None)
    call_command("seed_demo", stdout=StringIO())
    strategy = Strategy.objects.get(city__slug="chiang-rai")
    assert strategy.issues.count() == 3 and strategy.interventions.count() == 6
    gaps = strategy.gaps()
    assert [(r.hazard, r.system) for r in gaps.risks] == [("drought", "water_supply")]
    assert gaps.interventions == []
    ranked = strategy.scoring().ranked(strategy.interventions.all())
    assert all(i.priority is not None for i in ranked)
    summary = DevPlan.objects.get(city=strategy.city).integration()
    assert summary["mapped"] == 2 and 0 < summary["share"] < 100
    submission = FunderSubmission.objects.get()
    assert submission.status == "submitted"
    assert submission.proposal.intervention.strategy == strategy
    before = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == before
