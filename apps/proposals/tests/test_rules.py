"""The fairness rules of the path from call to decision, at the model level (the pages and
the API call the same methods)."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.testing import make_world
from apps.pilots.models import Pilot
from apps.proposals.models import (
    CallChange, Conflict, Decision, Proposal, Score, Shortlist, ShortlistEntry, decide,
)
from apps.proposals.testing import (
    make_call, make_evaluator, make_organisation, make_proposal, make_user, score_all,
)


@pytest.fixture(autouse=True)
def english():
    """These tests read the rules' English messages; Thai is the default language."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def _closed_call_with(world, proposals=2, quota=2):
    call = make_call(world.city, open=False, quota=quota)
    org = make_organisation(world.city, "มูลนิธิ")
    made = [make_proposal(call, world.user("proponent"), org, title=f"โครงการ {i}")
            for i in range(proposals)]
    return call, made


# -- submission and the clock ------------------------------------------------------------
def test_submit_until_the_call_closes_then_nothing(world):
    call = make_call(world.city, open=True)
    org = make_organisation(world.city, "มูลนิธิ")
    proposal = make_proposal(call, world.user("proponent"), org, submitted=False)
    proposal.submit(world.user("proponent"))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert CallChange.objects.filter(action="submit", proposal=proposal).exists()
    after = call.closes_at + dt.timedelta(seconds=1)
    with pytest.raises(ValidationError, match="closed"):
        proposal.withdraw(world.user("proponent"), now=after)
    with pytest.raises(ValidationError, match="closed"):
        proposal.submit(world.user("proponent"), now=after)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_submission_refused_over_the_ceiling_and_without_a_targeted_risk(world):
    call = make_call(world.city, open=True, ceiling=100_000)
    org = make_organisation(world.city, "มูลนิธิ")
    proposal = make_proposal(call, world.user("proponent"), org, submitted=False, amount=150_000)
    proposal.risks.clear()
    with pytest.raises(ValidationError) as caught:
        proposal.submit(world.user("proponent"))
    text = " ".join(caught.value.messages)
    assert "ceiling" in text and "risks the call targets" in text
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT


def test_only_the_proponent_submits(world):
    call = make_call(world.city, open=True)
    proposal = make_proposal(call, world.user("proponent"), make_organisation(world.city, "x"),
                             submitted=False)
    with pytest.raises(ValidationError, match="Only the proponent"):
        proposal.submit(world.user("coordinator"))


# -- screening ------------------------------------------------------------------------------
def test_screening_needs_every_rule_and_a_reason_for_each_failure(world, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    call, (proposal, _other) = _closed_call_with(world)
    rule = call.rules.get()
    coordinator = world.user("coordinator")
    with pytest.raises(ValidationError, match="Answer the rule"):
        proposal.screen(coordinator, {})
    with pytest.raises(ValidationError, match="reason"):
        proposal.screen(coordinator, {rule.pk: (False, "  ")})
    with django_capture_on_commit_callbacks(execute=True):
        proposal.screen(coordinator, {rule.pk: (False, "ไม่ได้อยู่ในพื้นที่")})
    proposal.refresh_from_db()
    assert proposal.eligibility == Proposal.Eligibility.INELIGIBLE
    assert len(mailoutbox) == 1 and "ไม่ได้อยู่ในพื้นที่" in mailoutbox[0].body
    assert mailoutbox[0].to == ["proponent@example.org"]


def test_screening_waits_for_the_call_to_close(world):
    call = make_call(world.city, open=True)
    proposal = make_proposal(call, world.user("proponent"), make_organisation(world.city, "x"))
    with pytest.raises(ValidationError, match="still open"):
        proposal.screen(world.user("coordinator"), {call.rules.get().pk: (True, "")})


# -- conflicts and scoring --------------------------------------------------------------------
def test_evaluator_is_kept_off_their_own_organisations_proposal(world):
    call = make_call(world.city, open=False)
    mine = make_organisation(world.city, "มหาวิทยาลัย")
    other = make_organisation(world.city, "มูลนิธิ")
    own_proposal = make_proposal(call, world.user("proponent"), mine, title="ของเรา")
    theirs = make_proposal(call, world.user("proponent"), other, title="ของเขา")
    evaluator = make_evaluator(call, make_user("judge", world.city, organisation=mine), mine)
    with pytest.raises(ValidationError, match="Declare"):
        evaluator.score(theirs, {c.pk: (3, "") for c in call.criteria.all()})
    # Declaring "no conflict" on the own organisation's proposal does not stick.
    evaluator.declare({own_proposal.pk: (False, ""), theirs.pk: (False, "")})
    assert Conflict.objects.get(evaluator=evaluator, proposal=own_proposal).conflicted
    with pytest.raises(ValidationError, match="own organisation"):
        evaluator.score(own_proposal, {c.pk: (3, "") for c in call.criteria.all()})
    assert list(evaluator.to_score()) == [theirs]


def test_scores_outside_the_scale_and_after_submission_are_refused(world):
    call, (first, second) = _closed_call_with(world)
    evaluator = make_evaluator(call, world.user("expert"))
    evaluator.declare({first.pk: (False, ""), second.pk: (True, "ญาติ")})
    criteria = list(call.criteria.all())
    with pytest.raises(ValidationError, match="between 1 and 5"):
        evaluator.score(first, {criteria[0].pk: (6, ""), criteria[1].pk: (3, "")})
    assert not Score.objects.exists()
    with pytest.raises(ValidationError, match="conflict"):
        evaluator.score(second, {c.pk: (3, "") for c in criteria})
    with pytest.raises(ValidationError, match="Score"):
        evaluator.submit()  # nothing scored yet
    evaluator.score(first, {c.pk: (3, "") for c in criteria})
    evaluator.score(first, {c.pk: (4, "") for c in criteria})  # a draft is replaced
    assert sorted(Score.objects.values_list("value", flat=True)) == [4, 4]
    evaluator.submit()
    with pytest.raises(ValidationError, match="already submitted"):
        evaluator.score(first, {c.pk: (5, "") for c in criteria})
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(evaluator=evaluator, proposal=first, criterion=criteria[0], value=2)


def test_a_correction_is_a_new_linked_score(world):
    call, (first,) = _closed_call_with(world, proposals=1)
    evaluator = make_evaluator(call, world.user("expert"))
    score_all(evaluator, {first.pk: 3})
    original = Score.objects.filter(evaluator=evaluator).first()
    with pytest.raises(ValidationError, match="why"):
        original.correct(world.user("expert"), 4, "", "")
    corrected = original.correct(world.user("expert"), 4, "พิมพ์ผิด", "พิมพ์ผิด")
    original.refresh_from_db()
    assert original.value == 3 and corrected.corrects == original
    assert list(Score.objects.current().filter(criterion=original.criterion)
                .values_list("value", flat=True)) == [4]
    with pytest.raises(ValidationError, match="already corrected"):
        original.correct(world.user("expert"), 5, "", "again")
    change = CallChange.objects.get(action="correct_score")
    assert change.before["score"] == 3 and change.after == {"score": 4}


# -- shortlist and decision ---------------------------------------------------------------------
def _shortlisted(world, proposals=3, quota=2):
    from apps.events.models import Event
    from apps.progress.models import CityActivity

    call, made = _closed_call_with(world, proposals=proposals, quota=quota)
    evaluator = make_evaluator(call, world.user("expert"))
    score_all(evaluator, {p.pk: 5 - i for i, p in enumerate(made)})
    activity = CityActivity.objects.get(city=world.city, plan_activity__number=3)
    now = timezone.now()
    event = Event(city_activity=activity, title_th="ประชุมคัดเลือก", starts_at=now,
                  ends_at=now + dt.timedelta(hours=2))
    event.create(None)
    call.record_shortlist(world.user("coordinator"), event, made)
    return call, made


def test_shortlist_freezes_the_ranking_and_the_weights(world):
    call, made = _shortlisted(world)
    shortlist = Shortlist.objects.get(call=call)
    assert [row["proposal"] for row in shortlist.ranking] == [p.pk for p in made]
    assert list(ShortlistEntry.objects.values_list("rank", flat=True)) == [1, 2, 3]
    with pytest.raises(ValidationError, match="no longer change"):
        call.set_weights(world.user("coordinator"), {c.pk: 1 for c in call.criteria.all()})
    with pytest.raises(ValidationError, match="cannot be changed"):
        shortlist.save()
    with pytest.raises(ValidationError, match="already recorded"):
        call.record_shortlist(world.user("coordinator"), shortlist.event, made)


def test_weights_negative_or_all_zero_are_refused(world):
    call, _made = _closed_call_with(world)
    criteria = list(call.criteria.all())
    with pytest.raises(ValidationError, match="negative"):
        call.set_weights(world.user("coordinator"), {criteria[0].pk: -1, criteria[1].pk: 2})
    with pytest.raises(ValidationError, match="above zero"):
        call.set_weights(world.user("coordinator"), {c.pk: 0 for c in criteria})
    assert [c.weight for c in call.criteria.all()] == [1, 2]


def test_funder_approves_up_to_the_quota_and_approval_makes_a_pilot(world):
    call, (first, second, third) = _shortlisted(world, proposals=3, quota=1)
    funder = world.user("funder")
    decision = decide(first, funder, "approved", budget=Decimal("180000"), conditions_th="รายงานทุกไตรมาส")
    pilot = Pilot.objects.get(proposal=first)
    assert pilot.approved_budget == Decimal("180000") and pilot.decision == decision
    assert list(pilot.risks.all()) == list(first.risks.all())
    assert pilot.indicators.count() == 1 and pilot.budget_lines.count() == 1
    with pytest.raises(ValidationError, match="quota"):
        decide(second, funder, "approved", budget=Decimal("100000"))
    with pytest.raises(ValidationError, match="already decided"):
        decide(first, funder, "rejected", reason_th="x")
    with pytest.raises(ValidationError, match="reason"):
        decide(second, funder, "rejected")
    with pytest.raises(ValidationError, match="ceiling"):
        decide(first, funder, "approved", budget=Decimal("600000"), corrects=decision,
               correction_reason="เพิ่มงบ")
    # A correction to a rejection frees the quota and cancels the pilot, keeping both records.
    decide(first, funder, "rejected", reason_th="งบไม่พอ", corrects=decision,
           correction_reason="ผู้ให้ทุนทบทวน")
    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.CANCELLED
    assert Decision.objects.count() == 2 and Decision.objects.current().count() == 1
    decide(second, funder, "approved", budget=Decimal("100000"))
    with pytest.raises(ValidationError, match="cannot be changed"):
        decision.save()


def test_only_shortlisted_proposals_are_decided(world):
    call, (first, _s, _t) = _shortlisted(world)
    stray = make_proposal(call, world.user("proponent"), first.organisation, title="นอกรายชื่อ")
    with pytest.raises(ValidationError, match="shortlist"):
        decide(stray, world.user("funder"), "approved", budget=Decimal("1000"))
    assert not Decision.objects.exists()
