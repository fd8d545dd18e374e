"""Votes: Borda and dot-voting results on hand-computed examples, ties, who may vote, ballot
changes until the close, and every invalid ballot refused with nothing saved."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from apps.dialogues.models import ItemKind
from apps.dialogues.tests.conftest import HELD, add_items, make_dialogue, make_member, member_person
from apps.dialogues.votes import Ballot, BallotEntry, Method, Vote, tally

pytestmark = pytest.mark.django_db


def open_vote(dialogue, sources, by=None, **values):
    return Vote.objects.open(dialogue, by, title_th="จัดลำดับ", sources=sources, **values)


def voters(world, count):
    return [make_member(world, f"voter{n}") for n in range(count)]


def summary(vote):
    return [(r.option.label_th, r.points, r.firsts, r.supporters, r.place_label)
            for r in vote.results()]


# -- Borda ------------------------------------------------------------------------------
def test_borda_on_a_hand_computed_example_with_a_tie_broken_and_a_tie_kept(world, dialogue):
    a, b, c = add_items(dialogue, ItemKind.NEED, "A", "B", "C")
    vote = open_vote(dialogue, [a, b, c])
    v1, v2, v3, v4 = voters(world, 4)
    # n = 3: first 2 points, second 1, third 0; unranked 0.
    vote.cast(v1, None, {1: 1, 2: 2, 3: 3})  # A 2, B 1, C 0
    vote.cast(v2, None, {1: 1, 3: 2, 2: 3})  # A 2, C 1, B 0
    vote.cast(v3, None, {2: 1, 3: 2, 1: 3})  # B 2, C 1, A 0
    vote.cast(v4, None, {3: 1, 2: 2})  # partial: C 2, B 1, A unranked 0
    # Points: A 4, B 4, C 4. First places: A 2, B 1, C 1, so A leads and B, C share 2nd.
    assert summary(vote) == [
        ("A", 4, 2, 3, "1"),  # ranked by 3 voters (last by one of them)
        ("B", 4, 1, 4, "2="),
        ("C", 4, 1, 4, "2="),
    ]


def test_borda_without_ties_and_the_place_after_a_tie_is_skipped(world, dialogue):
    options = add_items(dialogue, ItemKind.NEED, "A", "B", "C", "D")
    vote = open_vote(dialogue, options)
    v1, v2 = voters(world, 2)
    # n = 4: 3, 2, 1, 0 points.
    vote.cast(v1, None, {1: 1, 2: 2, 3: 3, 4: 4})  # A 3, B 2, C 1, D 0
    vote.cast(v2, None, {2: 1, 1: 2, 4: 3, 3: 4})  # B 3, A 2, D 1, C 0
    # A 5 (1 first), B 5 (1 first): tied 1=; C 1 and D 1, no firsts: tied 3=.
    assert [(r.option.label_th, r.points, r.place_label) for r in vote.results()] == [
        ("A", 5, "1="), ("B", 5, "1="), ("C", 1, "3="), ("D", 1, "3=")]
    v3 = make_member(world, "voter3")
    vote.cast(v3, None, {3: 1})  # C 3 points
    assert [(r.option.label_th, r.points, r.place_label) for r in vote.results()] == [
        ("A", 5, "1="), ("B", 5, "1="), ("C", 4, "3"), ("D", 1, "4")]


# -- dots ---------------------------------------------------------------------------------
def test_dot_voting_on_a_hand_computed_example(world, dialogue):
    a, b, c = add_items(dialogue, ItemKind.NEED, "A", "B", "C")
    vote = open_vote(dialogue, [a, b, c], method=Method.DOTS, dots=5)
    v1, v2, v3 = voters(world, 3)
    vote.cast(v1, None, {1: 3, 2: 2})
    vote.cast(v2, None, {2: 5})  # all five dots on one option
    vote.cast(v3, None, {1: 2, 3: 1})  # fewer than five is fine
    assert summary(vote) == [
        ("B", 7, 0, 2, "1"),
        ("A", 5, 0, 2, "2"),
        ("C", 1, 0, 1, "3"),
    ]


def test_dot_ties_go_to_the_option_more_voters_supported_else_stay_tied(world, dialogue):
    a, b, c = add_items(dialogue, ItemKind.NEED, "A", "B", "C")
    vote = open_vote(dialogue, [a, b, c], method=Method.DOTS, dots=4)
    v1, v2, v3 = voters(world, 3)
    vote.cast(v1, None, {1: 4})
    vote.cast(v2, None, {2: 2, 3: 2})
    vote.cast(v3, None, {2: 2, 3: 2})
    # A 4 dots from 1 voter; B and C 4 dots from 2 voters each: broader support first.
    assert summary(vote) == [
        ("B", 4, 0, 2, "1="),
        ("C", 4, 0, 2, "1="),
        ("A", 4, 0, 1, "3"),
    ]


def test_results_before_any_ballot_are_all_zero(world, dialogue, needs):
    vote = open_vote(dialogue, needs)
    assert [(r.points, r.place_label) for r in vote.results()] == [(0, "1=")] * 3


def test_results_of_many_votes_take_one_query(world, dialogue, needs, django_assert_num_queries):
    votes = [open_vote(dialogue, needs), open_vote(dialogue, needs, method="dots", dots=3)]
    for n, person in enumerate(voters(world, 6)):
        votes[0].cast(person, None, {1 + n % 3: 1})
        votes[1].cast(person, None, {1: 1, 2: 2})
    with django_assert_num_queries(1):
        results = tally(votes)
    assert results[votes[0].pk][0].points == 4  # 2 ballots x 2 points each for each option
    assert results[votes[1].pk][0].points == 12


# -- who votes, and when ------------------------------------------------------------------------
def test_a_member_changes_their_ballot_until_the_vote_closes(world, dialogue, needs):
    vote = open_vote(dialogue, needs)
    me = member_person(world)
    vote.cast(me, world.user("member"), {1: 1, 2: 2})
    vote.cast(me, world.user("member"), {3: 1})
    assert Ballot.objects.filter(vote=vote).count() == 1
    assert list(BallotEntry.objects.values_list("option__number", "rank", "points")) == [(3, 1, 2)]
    vote.close(world.user("coordinator"))
    with pytest.raises(ValidationError) as error:
        vote.cast(me, world.user("member"), {1: 1})
    assert error.value.code == "closed"
    assert list(BallotEntry.objects.values_list("option__number", "rank")) == [(3, 1)]
    assert vote.results()[0].option.number == 3


def test_a_closed_vote_refuses_a_first_ballot_too_and_cannot_close_twice(world, dialogue, needs):
    vote = open_vote(dialogue, needs)
    vote.close(None)
    with translation.override("en"), pytest.raises(ValidationError, match="closed"):
        vote.cast(member_person(world), None, {1: 1})
    assert not Ballot.objects.exists()
    with translation.override("en"), pytest.raises(ValidationError, match="already closed"):
        vote.close(None)


@pytest.mark.parametrize("start,end", [
    (dt.date(2010, 3, 1), None),  # joined after the vote date
    (dt.date(2009, 12, 1), dt.date(2010, 2, 1)),  # left before it
])
def test_only_members_on_the_vote_date_may_vote(world, dialogue, needs, start, end):
    vote = open_vote(dialogue, needs)
    person = make_member(world, "late", start=start, end=end)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        vote.cast(person, person.user, {1: 1})
    assert error.value.messages == [
        "Only members of the core working group on 20 February 2010 can vote."]
    assert not Ballot.objects.exists()


def test_members_of_another_city_may_not_vote(world, dialogue, needs):
    vote = open_vote(dialogue, needs)
    outsider = make_member(world, "elsewhere", city=world.other_city)
    with translation.override("en"), pytest.raises(ValidationError, match="Only members"):
        vote.cast(outsider, outsider.user, {1: 1})
    with translation.override("en"), pytest.raises(ValidationError, match="Only members"):
        vote.cast(None, world.user("expert"), {1: 1})


def test_the_vote_date_defaults_to_the_dialogue_date(world, dialogue, needs):
    assert open_vote(dialogue, needs).held_on == HELD


# -- invalid ballots -----------------------------------------------------------------------------
BORDA_INVALID = [
    ({9: 1}, "Unknown option: 9."),
    ({"x": 1}, "Unknown option: x."),
    ({1: 1, 2: 1}, "Two options have rank 1; give each option its own rank."),
    ({1: 1, 2: 3}, "Ranks run 1, 2, 3… without gaps: rank 2 is missing."),
    ({1: 4}, "Ranks go from 1 to 3."),
    ({1: 0}, "Ranks go from 1 to 3."),
    ({1: -1}, "Ranks go from 1 to 3."),
    ({1: "first"}, "first is not a whole number."),
    ({1: "1.5"}, "1.5 is not a whole number."),
    ({}, "Rank at least one option."),
    ({1: "", 2: None}, "Rank at least one option."),
]
DOTS_INVALID = [
    ({1: 3, 2: 3}, "You gave 6 dots; each voter has at most 5."),
    ({1: -1, 2: 2}, "Dots cannot be negative."),
    ({1: 0}, "Give at least one dot."),
    ({7: 1}, "Unknown option: 7."),
    ({1: 2.5}, "2.5 is not a whole number."),
]


@pytest.mark.parametrize("values,message", BORDA_INVALID)
def test_invalid_borda_ballots_are_refused_and_the_earlier_ballot_kept(world, dialogue, needs,
                                                                         values, message):
    vote = open_vote(dialogue, needs)
    me = member_person(world)
    vote.cast(me, None, {1: 2, 2: 1})
    before = list(BallotEntry.objects.values_list("pk", "option", "rank", "points"))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        vote.cast(me, None, values)
    assert error.value.messages == [message]
    assert list(BallotEntry.objects.values_list("pk", "option", "rank", "points")) == before


@pytest.mark.parametrize("values,message", DOTS_INVALID)
def test_invalid_dot_ballots_are_refused_and_nothing_saved(world, dialogue, needs, values,
                                                           message):
    vote = open_vote(dialogue, needs, method=Method.DOTS, dots=5)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        vote.cast(member_person(world), None, values)
    assert error.value.messages == [message]
    assert not Ballot.objects.exists() and not BallotEntry.objects.exists()


# -- opening ---------------------------------------------------------------------------------
def test_opening_needs_two_options_of_this_dialogue(world, dialogue, needs):
    # In Thai, the default language (these messages once escaped the catalogue).
    with pytest.raises(ValidationError, match="อย่างน้อยสองตัวเลือก"):
        open_vote(dialogue, needs[:1])
    other = make_dialogue(world, city=world.other_city)
    foreign = add_items(other, ItemKind.NEED, "อื่น")
    with pytest.raises(ValidationError, match="ต้องเป็นบันทึกของเวทีนี้"):
        open_vote(dialogue, [needs[0], foreign[0]])
    assert not Vote.objects.exists()


def test_dot_voting_needs_a_number_of_dots(world, dialogue, needs):
    with pytest.raises(ValidationError) as error:
        open_vote(dialogue, needs, method=Method.DOTS)
    assert "dots" in error.value.message_dict
    vote = open_vote(dialogue, needs, method=Method.BORDA, dots=5)
    assert vote.dots is None  # Borda has no dots


def test_options_keep_their_text_when_the_record_is_removed(world, dialogue, needs):
    vote = open_vote(dialogue, needs)
    needs[0].delete()
    option = vote.options.get(number=1)
    assert option.label_th == "ระบบเตือนภัยน้ำท่วม" and option.item is None


def test_risks_become_options_with_their_hazard(world, dialogue):
    from apps.dialogues.models import Risk

    risks = [Risk.objects.create(dialogue=dialogue, hazard=h, description_th=h)
             for h in ("flood", "haze")]
    vote = open_vote(dialogue, risks)
    assert list(vote.options.values_list("hazard", "risk")) == [
        ("flood", risks[0].pk), ("haze", risks[1].pk)]


def test_the_database_keeps_one_ballot_per_member_and_distinct_ranks(world, dialogue, needs):
    vote = open_vote(dialogue, needs)
    ballot = vote.cast(member_person(world), None, {1: 1})
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(vote=vote, person=member_person(world))
    option = vote.options.get(number=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        BallotEntry.objects.create(ballot=ballot, option=option, rank=1, points=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.filter(pk=vote.pk).update(method="dots")  # dot voting needs its dots
