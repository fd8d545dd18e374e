"""Shared Learning Dialogues: their records, risk areas, follow-up actions and votes.

Visibility is the dialogue's: published ones are public, unpublished ones are for the city's
team and its national coordinator (404 to everyone else, exactly like a missing one). The
city's coordinators add records. A member's ballot is written by the member themself or, from
a paper ballot, by the organisers; individual ballots are never listed here, only the caller's
own and the aggregate results (once the vote closes, or live when the organiser allows).
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext
from ninja import Router
from ninja import Status as HttpStatus
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.accounts.api import require_login
from apps.accounts.scope import scope_of
from apps.dialogues.models import (
    Dialogue, DialogueChange, DialogueItem, FollowUpAction, RiskArea, feature_collection,
    item_kinds_for,
)
from apps.dialogues.schemas import (
    ActionIn, ActionOut, AreaFeature, BallotIn, BallotOut, DialogueDetail, DialogueOut, ItemIn,
    ItemOut, RiskAreaIn, VoteOut,
)
from apps.dialogues.votes import Ballot, Vote, tally
from apps.networks.api import city_or_404
from apps.people.models import Person
from workbench.pagination import LimitOffsetPagination

router = Router(tags=["dialogues"])


def _forbidden():
    return HttpError(403, gettext("Only the city's coordinators may change its dialogues."))


def dialogues(user):
    return (Dialogue.objects.visible_to(user)
            .select_related("city_activity__city", "city_activity__plan_activity", "event")
            .with_sld_number().with_counts())


def _visible(user, dialogue_id):
    dialogue = dialogues(user).filter(pk=dialogue_id).first()
    if dialogue is None:
        raise Http404(gettext("Unknown dialogue: %(id)s.") % {"id": dialogue_id})
    return dialogue


def _editable(user, dialogue_id):
    # 404 before 403: never confirm that another city's unpublished dialogue exists.
    dialogue = _visible(user, dialogue_id)
    if not scope_of(user).can_edit_city(dialogue.city):
        raise _forbidden()
    return dialogue


@router.get("/dialogues", response=list[DialogueOut])
@paginate(LimitOffsetPagination)
def list_dialogues(request, city: str | None = None, sld: int | None = None):
    rows = dialogues(request.user)
    if city:
        rows = rows.filter(city_activity__city=city_or_404(city))
    if sld is not None:
        rows = rows.filter(sld_number=sld)
    return rows


def _with_votes(user, dialogue, votes):
    """Attach to each vote what the caller may see of it: results, their own ballot."""
    city = dialogue.city
    results = tally([vote for vote in votes if vote.results_visible(user, city)])
    mine = {}
    if user.is_authenticated:
        for ballot in Ballot.objects.filter(vote__in=votes, person__user=user) \
                .prefetch_related("entries"):
            mine[ballot.vote_id] = ballot
    for vote in votes:
        vote.result_rows = results.get(vote.pk)
        ballot = mine.get(vote.pk)
        if ballot is not None:
            _describe(ballot, vote)
        vote.my_ballot = ballot
    return votes


def _describe(ballot, vote):
    ballot.vote = vote
    ballot.numbers = {option.pk: option.number for option in vote.options.all()}
    return ballot


@router.get("/dialogues/{int:dialogue_id}", response=DialogueDetail)
def get_dialogue(request, dialogue_id: int):
    user = request.user
    dialogue = _visible(user, dialogue_id)
    prefetch_related_objects(
        [dialogue], "items", "risks", "groups", "areas", "nominations__organisation",
        "indicators",
        Prefetch("actions", FollowUpAction.objects.select_related("owner__organisation")),
    )
    personal = scope_of(user).can_read_city(dialogue.city)
    for action in dialogue.actions.all():
        action.personal = personal  # a Person's name only for those who may read the city's people
    dialogue.area_collection = feature_collection(dialogue.areas.all())
    votes = list(dialogue.votes.with_turnout().prefetch_related("options"))
    dialogue.vote_list = _with_votes(user, dialogue, votes)
    return dialogue


@router.post("/dialogues/{int:dialogue_id}/items", response={201: ItemOut})
def add_item(request, dialogue_id: int, payload: ItemIn):
    user = require_login(request)
    dialogue = _editable(user, dialogue_id)
    if payload.kind not in item_kinds_for(dialogue.number):
        raise ValidationError({"kind": gettext("SLD %(number)s does not record this.")
                               % {"number": dialogue.number}})
    item = DialogueItem(dialogue=dialogue, order=dialogue.next_order(dialogue.items),
                        **payload.dict())
    item.full_clean()
    with transaction.atomic():
        item.save()
        dialogue.log(user, DialogueChange.Action.ADD, f"{item._meta.verbose_name}: {item}")
    return HttpStatus(201, item)


@router.post("/dialogues/{int:dialogue_id}/actions", response={201: ActionOut})
def add_action(request, dialogue_id: int, payload: ActionIn):
    user = require_login(request)
    dialogue = _editable(user, dialogue_id)
    owner = None
    if payload.owner is not None:
        owner = Person.objects.filter(city=dialogue.city, pk=payload.owner).first()
        if owner is None:
            raise ValidationError({"owner": gettext("Unknown person: %(id)s.")
                                   % {"id": payload.owner}})
    action = FollowUpAction(dialogue=dialogue, owner=owner,
                            **payload.dict(exclude={"owner"}))
    action.full_clean()
    with transaction.atomic():
        action.save()
        dialogue.log(user, DialogueChange.Action.ADD, f"{action._meta.verbose_name}: {action}")
    return HttpStatus(201, action)


@router.post("/dialogues/{int:dialogue_id}/risk-areas", response={201: AreaFeature})
def add_risk_area(request, dialogue_id: int, payload: RiskAreaIn):
    user = require_login(request)
    dialogue = _editable(user, dialogue_id)
    dialogue.require_collects("areas")
    area = RiskArea(dialogue=dialogue, order=dialogue.next_order(dialogue.areas),
                    **payload.dict())
    area.full_clean()  # clean_polygon: the reason a shape is refused, at "geometry"
    with transaction.atomic():
        area.save()
        dialogue.log(user, DialogueChange.Action.ADD, f"{area._meta.verbose_name}: {area}")
    return HttpStatus(201, area.as_feature())


# -- votes -----------------------------------------------------------------------------------
def _vote(user, vote_id):
    vote = (Vote.objects.visible_to(user).with_turnout()
            .select_related("dialogue__city_activity__city").filter(pk=vote_id).first())
    if vote is None:
        raise Http404(gettext("Unknown vote: %(id)s.") % {"id": vote_id})
    return vote


def _ballot_values(vote, payload):
    """The API's ballot (a ranking list, or dots per option) as the vote reads ballots."""
    if vote.is_borda:
        if not payload.ranking:
            raise ValidationError({"ranking": gettext(
                "Send the ranking: option numbers, first choice first.")})
        repeated = sorted({n for n in payload.ranking if payload.ranking.count(n) > 1})
        if repeated:
            raise ValidationError({"ranking": gettext("Option %(option)s is ranked twice.")
                                   % {"option": repeated[0]}})
        return {number: rank for rank, number in enumerate(payload.ranking, 1)}
    if payload.dots is None:
        raise ValidationError({"dots": gettext("Send the dots given to each option.")})
    return dict(payload.dots)


@router.post("/votes/{int:vote_id}/ballots/{int:person_id}", response=BallotOut)
def cast_ballot(request, vote_id: int, person_id: int, payload: BallotIn):
    """Cast or change the ballot of `person_id`: your own (your account's linked person), or,
    for the city's coordinators, a member's paper ballot."""
    user = require_login(request)
    vote = _vote(user, vote_id)
    city = vote.dialogue.city_activity.city
    voter = Person.objects.filter(city=city, pk=person_id).first()
    if voter is None:
        raise Http404(gettext("Unknown person: %(id)s.") % {"id": person_id})
    if voter.user_id != user.pk and not scope_of(user).can_edit_city(city):
        raise HttpError(403, gettext(
            "You may cast only your own ballot; the organisers may enter paper ballots."))
    ballot = vote.cast(voter, user, _ballot_values(vote, payload))
    return _describe(ballot, vote)


@router.post("/votes/{int:vote_id}/close", response=VoteOut)
def close_vote(request, vote_id: int):
    user = require_login(request)
    vote = _vote(user, vote_id)
    dialogue = vote.dialogue
    if not scope_of(user).can_edit_city(dialogue.city_activity.city):
        raise _forbidden()
    vote.close(user)
    vote = _vote(user, vote_id)
    return _with_votes(user, vote.dialogue, [vote])[0]
