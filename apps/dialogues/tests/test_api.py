"""The dialogues API: lists and details scoped like the pages, records added by coordinators,
ballots by members (or organisers, from paper), errors in the caller's language."""
import datetime as dt

import pytest
from django.utils import timezone

from apps.dialogues.models import DialogueItem, FollowUpAction, Risk, RiskArea
from apps.dialogues.tests.conftest import make_dialogue, make_member, member_person
from apps.dialogues.tests.test_rules import BOW_TIE, SQUARE
from apps.dialogues.votes import Ballot, Vote
from apps.people.models import Person

pytestmark = pytest.mark.django_db


def send(client, url, data, lang="en"):
    return client.post(url, data, content_type="application/json", HTTP_ACCEPT_LANGUAGE=lang)


@pytest.fixture
def vote(dialogue, needs):
    return Vote.objects.open(dialogue, None, title_th="จัดลำดับความต้องการ", sources=needs)


# -- reading --------------------------------------------------------------------------------
def test_the_list_is_scoped_and_filtered(client, world, dialogue):
    other = make_dialogue(world, city=world.other_city, published=True)
    assert [d["id"] for d in client.get("/api/dialogues").json()["items"]] == [other.pk]
    client.force_login(world.user("member"))
    body = client.get("/api/dialogues").json()
    assert {d["id"] for d in body["items"]} == {dialogue.pk, other.pk}
    mine = client.get("/api/dialogues?city=a1").json()["items"]
    assert [(d["city"], d["sld"], d["activity_number"], d["date"]) for d in mine] == [
        ("a1", 1, 3, "2010-02-20")]
    assert client.get("/api/dialogues?sld=2").json()["count"] == 0
    assert client.get("/api/dialogues?city=nowhere").status_code == 404


def test_the_detail_has_every_record_and_the_areas_as_geojson(client, world, dialogue, vote):
    Risk.objects.create(dialogue=dialogue, hazard="flood", description_th="น้ำท่วม")
    area = RiskArea.objects.create(dialogue=dialogue, name_th="ริมน้ำ", hazard="flood",
                                   geometry=SQUARE)
    owner = Person.objects.create(full_name_th="สมชาย", city=world.city,
                                  organisation=world.organisation)
    FollowUpAction.objects.create(dialogue=dialogue, text_th="ส่งข้อมูล", owner=owner,
                                  due=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(world.user("member"))
    body = client.get(f"/api/dialogues/{dialogue.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["risk_areas"] == {"type": "FeatureCollection", "features": [{
        "type": "Feature", "id": area.pk, "geometry": SQUARE,
        "properties": {"name": "ริมน้ำ", "name_th": "ริมน้ำ", "name_en": "", "hazard": "flood",
                       "hazard_label": "Flood"}}]}
    assert [r["hazard"] for r in body["risks"]] == ["flood"]
    assert [i["kind"] for i in body["items"]] == ["need"] * 3
    assert body["actions"][0]["owner"] == owner.pk and body["actions"][0]["overdue"] is True
    assert body["overdue_action_count"] == 1
    (out,) = body["votes"]
    assert [o["number"] for o in out["options"]] == [1, 2, 3]
    assert out["results"] is None and out["my_ballot"] is None  # open, no running totals
    # Outsiders of a published dialogue see the owner's organisation, not their name or id.
    dialogue.set_published(None, True)
    client.logout()
    action = client.get(f"/api/dialogues/{dialogue.pk}").json()["actions"][0]
    assert action["owner"] is None and action["owner_label"] == str(world.organisation)


def test_unpublished_dialogues_are_404_to_outsiders(client, world, dialogue):
    assert client.get(f"/api/dialogues/{dialogue.pk}").status_code == 404
    client.force_login(world.user("outsider"))
    response = client.get(f"/api/dialogues/{dialogue.pk}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": f"Unknown dialogue: {dialogue.pk}."}


# -- writing records ------------------------------------------------------------------------------
def test_coordinators_add_items_actions_and_areas(client, world, dialogue):
    client.force_login(world.user("coordinator"))
    response = send(client, f"/api/dialogues/{dialogue.pk}/items",
                    {"kind": "gap", "text_th": "ข้อมูลฝนรายวันไม่ครบ"})
    assert response.status_code == 201 and response.json()["kind_label"] == "Knowledge gap"
    response = send(client, f"/api/dialogues/{dialogue.pk}/actions", {
        "text_th": "ขอข้อมูลฝนจากกรมอุตุนิยมวิทยา", "owner": member_person(world).pk,
        "due": "2010-03-15"})
    assert response.status_code == 201, response.json()
    assert response.json()["owner_label"] == "Member Test"  # English asked, English given
    response = send(client, f"/api/dialogues/{dialogue.pk}/risk-areas",
                    {"name_th": "ชุมชนริมน้ำ", "hazard": "flood", "geometry": SQUARE})
    assert response.status_code == 201 and response.json()["geometry"] == SQUARE
    assert (DialogueItem.objects.count(), FollowUpAction.objects.count(),
            RiskArea.objects.count()) == (1, 1, 1)


@pytest.mark.parametrize("path,body,loc,fragment", [
    ("risk-areas", {"name_th": "โบว์", "hazard": "flood", "geometry": BOW_TIE},
     ["body", "geometry"], "Self-intersection"),
    ("risk-areas", {"name_th": "จุด", "hazard": "flood",
                    "geometry": {"type": "Point", "coordinates": [100, 13]}},
     ["body", "geometry"], "Polygon or MultiPolygon"),
    ("items", {"kind": "issue", "text_th": ""}, ["body", "text_th"], ""),
    ("items", {"kind": "pilot_progress", "text_th": "x"}, ["body", "kind"],
     "SLD 1 does not record this."),
    ("actions", {"text_th": "x", "due": "2553-03-01"}, ["body", "due"], "Buddhist Era"),
    ("actions", {"text_th": "x", "owner": 999999}, ["body", "owner"], "Unknown person"),
])
def test_bad_records_are_refused_at_their_field(client, world, dialogue, path, body, loc,
                                                fragment):
    client.force_login(world.user("coordinator"))
    response = send(client, f"/api/dialogues/{dialogue.pk}/{path}", body)
    assert response.status_code == 422, response.json()
    detail = response.json()["detail"]
    assert detail[0]["loc"] == loc and fragment in detail[0]["msg"]
    assert not (DialogueItem.objects.exists() or RiskArea.objects.exists()
                or FollowUpAction.objects.exists())


def test_an_action_owner_from_another_city_is_unknown(client, world, dialogue):
    stranger = Person.objects.create(full_name_th="คนเมืองอื่น", city=world.other_city)
    client.force_login(world.user("coordinator"))
    response = send(client, f"/api/dialogues/{dialogue.pk}/actions",
                    {"text_th": "x", "owner": stranger.pk})
    assert response.status_code == 422


@pytest.mark.parametrize("persona,status", [
    (None, 401), ("member", 403), ("expert", 403), ("outsider", 404), ("national", 201),
])
def test_who_adds_records(client, world, dialogue, persona, status):
    if persona:
        client.force_login(world.user(persona))
    response = send(client, f"/api/dialogues/{dialogue.pk}/items",
                    {"kind": "issue", "text_th": "ประเด็น"})
    assert response.status_code == status
    assert DialogueItem.objects.count() == (1 if status == 201 else 0)


# -- ballots ---------------------------------------------------------------------------------------
def test_a_member_casts_and_changes_their_ballot(client, world, vote):
    client.force_login(world.user("member"))
    me = member_person(world)
    url = f"/api/votes/{vote.pk}/ballots/{me.pk}"
    response = send(client, url, {"ranking": [3, 1]})
    assert response.status_code == 200, response.json()
    assert response.json()["ranking"] == [3, 1] and response.json()["dots"] is None
    response = send(client, url, {"ranking": [2]})
    assert response.json()["ranking"] == [2]
    assert Ballot.objects.count() == 1
    detail = client.get(f"/api/dialogues/{vote.dialogue_id}").json()
    assert detail["votes"][0]["my_ballot"]["ranking"] == [2]


@pytest.mark.parametrize("body,fragment", [
    ({"ranking": [1, 1]}, "Option 1 is ranked twice."),
    ({"ranking": [5]}, "Unknown option: 5."),
    ({"ranking": []}, "Send the ranking"),
    ({"dots": {"1": 2}}, "Send the ranking"),
])
def test_invalid_ballots_are_422_and_nothing_is_saved(client, world, vote, body, fragment):
    client.force_login(world.user("member"))
    response = send(client, f"/api/votes/{vote.pk}/ballots/{member_person(world).pk}", body)
    assert response.status_code == 422
    assert fragment in response.json()["message"]
    assert not Ballot.objects.exists()


def test_dot_ballots(client, world, dialogue, needs):
    vote = Vote.objects.open(dialogue, None, title_th="จุด", sources=needs, method="dots", dots=3)
    client.force_login(world.user("member"))
    url = f"/api/votes/{vote.pk}/ballots/{member_person(world).pk}"
    response = send(client, url, {"dots": {"1": 2, "3": 1}})
    assert response.status_code == 200 and response.json()["dots"] == {"1": 2, "3": 1}
    response = send(client, url, {"dots": {"1": 4}})
    assert response.status_code == 422
    assert "You gave 4 dots; each voter has at most 3." in response.json()["message"]


def test_non_members_closed_votes_and_other_peoples_ballots(client, world, vote):
    expert = Person.objects.create(full_name_th="ผู้เชี่ยวชาญ", city=world.city,
                                   user=world.user("expert"))
    client.force_login(world.user("expert"))
    response = send(client, f"/api/votes/{vote.pk}/ballots/{expert.pk}", {"ranking": [1]})
    assert response.status_code == 422
    assert "Only members of the core working group" in response.json()["message"]
    response = send(client, f"/api/votes/{vote.pk}/ballots/{member_person(world).pk}",
                    {"ranking": [1]})
    assert response.status_code == 403
    vote.close(None)
    client.force_login(world.user("member"))
    response = send(client, f"/api/votes/{vote.pk}/ballots/{member_person(world).pk}",
                    {"ranking": [1]}, lang="en")
    assert response.status_code == 422
    assert response.json()["message"] == "This vote is closed: ballots are no longer accepted."
    assert not Ballot.objects.exists()


def test_organisers_enter_paper_ballots_and_close_the_vote(client, world, vote):
    paper = make_member(world, "paper", account=False)
    client.force_login(world.user("coordinator"))
    response = send(client, f"/api/votes/{vote.pk}/ballots/{paper.pk}", {"ranking": [2, 3, 1]})
    assert response.status_code == 200
    response = send(client, f"/api/votes/{vote.pk}/close", {})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "closed" and body["ballot_count"] == 1
    assert [(r["option"], r["points"], r["place"]) for r in body["results"]] == [
        (2, 2, 1), (3, 1, 2), (1, 0, 3)]
    assert send(client, f"/api/votes/{vote.pk}/close", {}).status_code == 422
    # Once closed, everyone who can read the dialogue sees the results.
    client.force_login(world.user("member"))
    results = client.get(f"/api/dialogues/{vote.dialogue_id}").json()["votes"][0]["results"]
    assert results[0]["label"] == "ฟื้นฟูพื้นที่ชุ่มน้ำ"


def test_anonymous_ballots_are_401(client, world, vote):
    response = send(client, f"/api/votes/{vote.pk}/ballots/{member_person(world).pk}",
                    {"ranking": [1]})
    assert response.status_code == 401
