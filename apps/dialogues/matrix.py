"""The dialogues' pages and endpoints in the central permission matrices (tests/).

prepare() turns plan activity 3 of the test plan into an SLD (so it is SLD 1 of every city)
and gives each target city an unpublished dialogue with records, an open follow-up action and
an open Borda vote on two needs.

Ballots do not fit the matrix's kinds exactly: a ballot belongs to a working-group member, and
the matrix knows only city roles. The ballot URL and endpoint take the voter's person id, and
the matrices write the ballot of the target city's member *who is not the requesting user*:
that is an organiser's act (entering a paper ballot), so "city-edit" is exact for it: the
coordinators may, the city's other readers get 403, outsiders 404. A member writing their own
ballot, a non-member refused, a closed vote refused and invalid ballots are tested in
apps/dialogues/tests/test_votes.py and test_pages.py.

"vote-open" POSTs no options (their values carry record ids the static data cannot know):
editors get the form back with the error (200), the others are refused and nothing changes.
Opening votes is tested in apps/dialogues/tests/test_pages.py.
"""
import datetime as dt

from apps.dialogues.models import (
    Dialogue, DialogueChange, DialogueItem, FollowUpAction, ItemKind, Risk, RiskArea,
)
from apps.dialogues.votes import Ballot, BallotEntry, Vote
from apps.plans.models import ActivityKind, PlanActivity
from apps.progress.models import CityActivity

HELD = dt.date(2010, 2, 20)
SQUARE = {"type": "Polygon", "coordinates": [[[100.0, 13.0], [100.01, 13.0], [100.01, 13.01],
                                              [100.0, 13.01], [100.0, 13.0]]]}

PAGE_SPECS = {
    "dialogues:dialogue": [("get", "private-read", None)],
    "dialogues:edit": [("get", "city-edit", None),
                       ("post", "city-edit", {"date": "21/02/2553", "summary_th": "สรุปใหม่"})],
    "dialogues:publish": [("post", "city-edit", {"published": "1"})],
    "dialogues:add": [("post", "city-edit", {"kind": "issue", "text_th": "ประเด็นใหม่"})],
    "dialogues:remove": [("post", "city-edit", {})],
    "dialogues:action-status": [("post", "city-edit", {"action": "complete"})],
    "dialogues:vote-open": [("get", "city-edit", None),
                            ("post", "city-edit", {"title_th": "จัดลำดับ", "method": "borda"})],
    "dialogues:vote": [("get", "login-private-read", None)],
    "dialogues:ballot": [("get", "city-edit", None),
                         ("post", "city-edit", {"option_1": "2", "option_2": "1"})],
    "dialogues:vote-close": [("post", "city-edit", {})],
}

API_SPECS = {
    ("get", "/api/dialogues"): ("list", "dialogue"),
    ("get", "/api/dialogues/{dialogue_id}"): ("private-read", None),
    ("post", "/api/dialogues/{dialogue_id}/items"): (
        "city-edit", {"kind": "issue", "text_th": "ประเด็นใหม่"}),
    ("post", "/api/dialogues/{dialogue_id}/actions"): (
        "city-edit", {"text_th": "ส่งรายงาน", "due": "2010-03-01"}),
    ("post", "/api/dialogues/{dialogue_id}/risk-areas"): (
        "city-edit", {"name_th": "ชุมชนริมน้ำ", "hazard": "flood", "geometry": SQUARE}),
    ("post", "/api/votes/{vote_id}/ballots/{person_id}"): ("city-edit", {"ranking": [2, 1]}),
    ("post", "/api/votes/{vote_id}/close"): ("city-edit", {}),
}


def prepare(world):
    PlanActivity.objects.filter(plan=world.plan, number=3).update(kind=ActivityKind.SLD)
    for target, city in world.cities.items():
        activity = CityActivity.objects.get(city=city, plan_activity__number=3)
        dialogue = Dialogue.objects.create(city_activity=activity, date=HELD,
                                           summary_th=f"สรุป {target}")
        needs = [DialogueItem.objects.create(dialogue=dialogue, kind=ItemKind.NEED, order=n,
                                             text_th=f"ความต้องการ {n}") for n in (1, 2)]
        removable = DialogueItem.objects.create(dialogue=dialogue, kind=ItemKind.GAP, order=3,
                                                text_th="ช่องว่างความรู้")
        Risk.objects.create(dialogue=dialogue, hazard="flood", description_th="น้ำท่วม")
        action = FollowUpAction.objects.create(dialogue=dialogue, text_th="ติดตาม",
                                               due=dt.date(2010, 3, 1))
        vote = Vote.objects.open(dialogue, None, title_th="จัดลำดับความต้องการ", sources=needs,
                                 held_on=HELD)
        world.objects[target].update(dialogue=dialogue, removable=removable, action=action,
                                     vote=vote)


def page_kwargs(name, world, target):
    if not name.startswith("dialogues:"):
        return None
    city = world.cities[target]
    objects = world.objects[target]
    base = {"slug": city.slug, "n": 1}
    vote = {"pk": objects["vote"].pk}
    return {
        "dialogues:add": {**base, "record": "item"},
        "dialogues:remove": {**base, "record": "item", "pk": objects["removable"].pk},
        "dialogues:action-status": {**base, "pk": objects["action"].pk},
        "dialogues:vote": {**base, **vote},
        # A member's ballot, written by someone else: see the module docstring.
        "dialogues:ballot": {**base, **vote, "person": objects["person"].pk},
        "dialogues:vote-close": {**base, **vote},
    }.get(name, base)


def api_path(path, world, target):
    if "{dialogue_id}" not in path and "{vote_id}" not in path:
        return None
    objects = world.objects[target]
    return (path.replace("{dialogue_id}", str(objects["dialogue"].pk))
            .replace("{vote_id}", str(objects["vote"].pk))
            .replace("{person_id}", str(objects["person"].pk)))


def listed(payload, what, world, target):
    if what != "dialogue":
        return None
    return any(item["id"] == world.objects[target]["dialogue"].pk for item in payload["items"])


def fingerprint():
    return (
        list(Dialogue.objects.order_by("pk").values_list("pk", "published", "date", "summary_th")),
        DialogueItem.objects.count(), RiskArea.objects.count(), DialogueChange.objects.count(),
        list(FollowUpAction.objects.order_by("pk").values_list("pk", "status")),
        list(Vote.objects.order_by("pk").values_list("pk", "status")),
        Ballot.objects.count(),
        list(BallotEntry.objects.order_by("pk").values_list("ballot", "option", "rank", "points")),
    )
