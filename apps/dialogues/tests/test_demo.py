"""The demo SLDs: realistic, valid, and loaded once however often the seed runs."""
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from apps.dialogues.demo import seed_dialogues
from apps.dialogues.models import Dialogue, DialogueChange, FollowUpAction, RiskArea
from apps.dialogues.votes import Ballot, BallotEntry, Vote
from apps.networks.models import Network


def counts():
    return [m.objects.count() for m in (Dialogue, DialogueChange, FollowUpAction, RiskArea, Vote,
                                        Ballot, BallotEntry)]


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO())
    network = Network.objects.get(slug="acccrn-thailand")
    seed_dialogues(network)
    return network


def test_seeding_twice_changes_nothing(seeded):
    first = counts()
    seed_dialogues(seeded)
    assert counts() == first
    assert first[0] == 3  # Chiang Rai SLD 1 and 2, Hat Yai SLD 1


def test_chiang_rai_sld_1_ranks_its_risks_by_a_closed_borda_vote(seeded):
    dialogue = Dialogue.objects.with_sld_number().get(
        city_activity__city__slug="chiang-rai", sld_number=1)
    assert dialogue.published
    assert set(dialogue.risks.values_list("hazard", flat=True)) >= {
        "flood", "flash_flood", "landslide", "haze"}
    assert dialogue.groups.filter(name_th="ชุมชนริมแม่น้ำกก").exists()
    assert dialogue.nominations.filter(organisation__short_name="MFU").exists()
    vote = dialogue.votes.get()
    assert vote.status == "closed" and vote.method == "borda"
    assert [r.option.hazard for r in vote.results()[:3]] == ["flood", "flash_flood", "haze"]
    assert vote.ballots.count() == 12
    scope = Dialogue.objects.assessment_scope(dialogue.city)
    assert scope.hazards[:2] == ["flood", "flash_flood"] and len(scope.areas) == 3


def test_hat_yai_records_its_flash_floods_and_an_overdue_action(seeded):
    dialogue = Dialogue.objects.get(city_activity__city__slug="hat-yai")
    assert not dialogue.published  # its SLD 1 activity is unpublished in the demo
    assert set(dialogue.risks.values_list("hazard", flat=True)) == {
        "flash_flood", "drought", "water_shortage"}
    assert "2543" in dialogue.risks.get(hazard="flash_flood").description_th
    assert FollowUpAction.objects.overdue().filter(dialogue=dialogue).count() == 1
    assert FollowUpAction.objects.overdue().filter(
        dialogue__city_activity__city__slug="chiang-rai").count() == 1


def test_an_open_vote_waits_for_the_demo_member(seeded):
    vote = Vote.objects.get(status="open")
    assert vote.ballots.count() == 4
    member = authenticate(username="member", password="demo-pass-2553")
    assert vote.is_member(member.person)
    assert not vote.ballots.filter(person=member.person).exists()
    voter = authenticate(username="cr-member-1", password="demo-pass-2553")
    assert voter is not None and vote.ballots.filter(person=voter.person).exists()
