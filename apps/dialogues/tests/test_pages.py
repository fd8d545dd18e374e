"""The dialogue, vote and ballot pages as coordinators, members and visitors use them."""
import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.core.testing import PASSWORD
from apps.dialogues.models import (
    Dialogue, DialogueItem, FollowUpAction, Indicator, ItemKind, Nomination, Risk, RiskArea,
    VulnerableGroup,
)
from apps.dialogues.tests.conftest import HELD, add_items, make_dialogue, make_member, member_person
from apps.dialogues.tests.test_rules import BOW_TIE, SQUARE
from apps.dialogues.votes import Ballot, BallotEntry, Vote
from apps.people.models import Person

pytestmark = pytest.mark.django_db
URL = "/c/a1/sld/1/"


def login(client, world, persona):
    assert client.login(username=persona, password=PASSWORD)
    return client


def page(client, url=URL, lang="th"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# -- reading --------------------------------------------------------------------------------
def test_anonymous_visitors_see_published_dialogues_only(client, world, dialogue):
    assert client.get(URL).status_code == 404
    dialogue.set_published(world.user("coordinator"), True)
    text = page(client)
    assert "สรุปการประชุม" in text
    assert "20 กุมภาพันธ์ 2553" in text  # Buddhist Era on Thai pages
    assert "Change history" not in page(client, lang="en")  # the team's history stays theirs


def test_another_citys_coordinator_gets_404_for_an_unpublished_dialogue(client, world, dialogue):
    login(client, world, "outsider")
    assert client.get(URL).status_code == 404
    assert client.get(URL + "edit/").status_code == 404
    login(client, world, "expert")  # the city's own team reads it, but may not edit it
    assert client.get(URL).status_code == 200
    assert client.get(URL + "edit/").status_code == 403


def test_sld_numbers_beyond_the_plan_are_not_found(client, world, dialogue):
    login(client, world, "coordinator")
    assert client.get("/c/a1/sld/2/").status_code == 404
    assert client.get("/c/a1/sld/0/").status_code == 404
    assert client.get("/c/nowhere/sld/1/").status_code == 404


def test_editors_start_a_record_where_none_exists(client, world):
    from apps.dialogues.tests.conftest import make_sld

    make_sld(world)
    assert client.get(URL).status_code == 404
    login(client, world, "expert")
    assert client.get(URL).status_code == 404
    login(client, world, "coordinator")
    response = client.get(URL)
    assert response.status_code == 302 and response.url == URL + "edit/"
    response = client.post(URL + "edit/", {"date": "17/02/2553",
                                           "summary_th": "จัดลำดับความเสี่ยง"})
    assert response.status_code == 302
    dialogue = Dialogue.objects.get()
    assert dialogue.date == dt.date(2010, 2, 17) and not dialogue.published
    assert list(dialogue.changes.values_list("action", flat=True)) == ["create"]


def test_a_christian_era_year_in_thai_is_refused(client, world, dialogue):
    login(client, world, "coordinator")
    response = client.post(URL + "edit/", {"date": "17/02/2010"}, HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 200
    assert Dialogue.objects.get().date == HELD


# -- recording --------------------------------------------------------------------------------
RECORDS = [
    ("item", {"kind": "agreement", "text_th": "เห็นพ้องให้ศึกษาน้ำท่วม"}, DialogueItem),
    ("risk", {"hazard": "flash_flood", "description_th": "น้ำป่าไหลหลาก"}, Risk),
    ("group", {"name_th": "ชุมชนริมแม่น้ำกก", "description_th": "บ้านเรือนริมตลิ่ง"},
     VulnerableGroup),
    ("area", {"name_th": "ริมแม่น้ำกก", "hazard": "flood", "geometry": json.dumps(SQUARE)},
     RiskArea),
    ("nomination", {"name": "ทีมวิจัย", "topic_th": "ความเสี่ยงน้ำท่วม"}, Nomination),
    ("action", {"text_th": "ส่งข้อมูลน้ำท่วมย้อนหลัง", "due": "01/03/2553"}, FollowUpAction),
]


@pytest.mark.parametrize("record,data,model", RECORDS)
def test_coordinators_add_and_remove_records(client, world, dialogue, record, data, model):
    login(client, world, "coordinator")
    response = client.post(f"{URL}{record}/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    row = model.objects.get()
    text = page(client)
    assert (data.get("text_th") or data.get("description_th") or data.get("name_th")
            or data.get("name")) in text
    response = client.post(f"{URL}{record}/{row.pk}/remove/")
    assert response.status_code == 302
    assert not model.objects.exists()
    assert list(dialogue.changes.values_list("action", flat=True)) == ["remove", "add"]


def test_indicators_belong_to_sld_3(client, world):
    from apps.plans.models import ActivityKind, PlanActivity

    PlanActivity.objects.filter(plan=world.plan, number__in=(2, 3)).update(kind=ActivityKind.SLD)
    make_dialogue(world, number=4)
    login(client, world, "coordinator")
    data = {"criterion_th": "การเตือนภัย", "name_th": "ครัวเรือนที่ได้รับการเตือนภัย",
            "unit": "ครัวเรือน"}
    assert client.post("/c/a1/sld/3/indicator/add/", data).status_code == 302
    assert Indicator.objects.get().unit == "ครัวเรือน"
    assert "ครัวเรือนที่ได้รับการเตือนภัย" in page(client, "/c/a1/sld/3/")
    # SLD 1 has no indicators: the form comes back with the reason and nothing is saved.
    make_dialogue(world, number=2)
    response = client.post("/c/a1/sld/1/indicator/add/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "SLD 1 does not record this." in response.content.decode()
    assert Indicator.objects.count() == 1


def test_a_bow_tie_area_is_refused_with_the_reason_and_nothing_saved(client, world, dialogue):
    login(client, world, "coordinator")
    response = client.post(URL + "area/add/", {
        "name_th": "โบว์", "hazard": "flood", "geometry": json.dumps(BOW_TIE)},
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Self-intersection" in text and "<details class=\"edit\" open>" in text
    assert not RiskArea.objects.exists()


def test_an_area_can_be_uploaded_as_a_geojson_file(client, world, dialogue):
    login(client, world, "coordinator")
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "x"}, "geometry": SQUARE}]}
    upload = SimpleUploadedFile("area.geojson", json.dumps(collection).encode(),
                                content_type="application/geo+json")
    response = client.post(URL + "area/add/", {"name_th": "ในเมือง", "hazard": "flood",
                                                "geometry_file": upload})
    assert response.status_code == 302
    assert RiskArea.objects.get().geometry == SQUARE
    two = {"type": "FeatureCollection", "features": collection["features"] * 2}
    upload = SimpleUploadedFile("two.geojson", json.dumps(two).encode())
    response = client.post(URL + "area/add/", {"name_th": "สอง", "hazard": "flood",
                                                "geometry_file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert "holds 2 features" in response.content.decode()
    assert RiskArea.objects.count() == 1


def test_the_dialogue_page_draws_the_risk_areas_over_the_boundary(client, world, dialogue):
    world.city.boundary = {"type": "Polygon", "coordinates": [[[99.9, 12.9], [100.1, 12.9],
                                                               [100.1, 13.1], [99.9, 12.9]]]}
    world.city.save()
    RiskArea.objects.create(dialogue=dialogue, name_th="ริมน้ำ", hazard="flood", geometry=SQUARE)
    RiskArea.objects.create(dialogue=dialogue, name_th="ดอย", hazard="landslide", geometry={
        "type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]})
    login(client, world, "member")
    text = page(client)
    assert text.count('class="area hz-') == 2 and 'class="boundary"' in text
    assert "hz-landslide" in text


def test_members_read_but_do_not_edit(client, world, dialogue):
    login(client, world, "member")
    text = page(client, lang="en")
    assert "Add a risk" not in text and "Publish" not in text
    assert client.post(URL + "item/add/", {"kind": "issue", "text_th": "x"}).status_code == 403
    assert not DialogueItem.objects.exists()


def test_overdue_actions_are_flagged_and_can_be_marked_done(client, world, dialogue):
    late = FollowUpAction.objects.create(dialogue=dialogue, text_th="ส่งแผนที่",
                                         due=timezone.localdate() - dt.timedelta(days=3))
    login(client, world, "coordinator")
    text = page(client, lang="en")
    assert "1 overdue action" in text and 'class="overdue"' in text
    response = client.post(f"{URL}actions/{late.pk}/status/", {"action": "complete"})
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.status == "done" and late.completed_by == world.user("coordinator")
    assert "overdue action" not in page(client, lang="en")
    client.post(f"{URL}actions/{late.pk}/status/", {"action": "complete"})  # twice: a message
    late.refresh_from_db()
    assert late.status == "done"


def test_publishing(client, world, dialogue):
    login(client, world, "coordinator")
    client.post(URL + "publish/", {"published": "1"})
    assert Dialogue.objects.get().published
    client.logout()
    assert client.get(URL).status_code == 200


# -- votes ------------------------------------------------------------------------------------
def test_opening_a_vote_from_the_dialogues_needs(client, world, dialogue, needs):
    login(client, world, "coordinator")
    assert "ระบบเตือนภัยน้ำท่วม" in page(client, URL + "votes/new/")
    response = client.post(URL + "votes/new/", {
        "title_th": "จัดลำดับความต้องการ", "method": "dots", "dots": "5",
        "held_on": "20/02/2553", "options": [f"item-{needs[0].pk}", f"item-{needs[2].pk}"]})
    assert response.status_code == 302
    vote = Vote.objects.get()
    assert (vote.method, vote.dots, vote.held_on) == ("dots", 5, HELD)
    assert list(vote.options.values_list("number", "label_th")) == [
        (1, "ระบบเตือนภัยน้ำท่วม"), (2, "ถังเก็บน้ำฝนในโรงเรียน")]
    assert response.url == f"{URL}votes/{vote.pk}/"


def test_dot_voting_without_dots_or_with_one_option_is_refused(client, world, dialogue, needs):
    login(client, world, "coordinator")
    response = client.post(URL + "votes/new/", {
        "title_th": "x", "method": "dots", "options": [f"item-{needs[0].pk}"]},
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Say how many dots" in response.content.decode()
    response = client.post(URL + "votes/new/", {
        "title_th": "x", "method": "borda", "options": [f"item-{needs[0].pk}"]},
        HTTP_ACCEPT_LANGUAGE="en")
    assert "at least two options" in response.content.decode()
    assert not Vote.objects.exists()


@pytest.fixture
def vote(dialogue, needs):
    return Vote.objects.open(dialogue, None, title_th="จัดลำดับความต้องการ", sources=needs)


def ballot_url(vote, person):
    return f"{URL}votes/{vote.pk}/ballots/{person.pk}/"


def test_the_vote_page_needs_a_login(client, world, vote):
    response = client.get(f"{URL}votes/{vote.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_member_casts_and_changes_a_ballot_until_the_vote_closes(client, world, vote):
    login(client, world, "member")
    me = member_person(world)
    text = page(client, f"{URL}votes/{vote.pk}/", lang="en")
    assert f'action="{ballot_url(vote, me)}"' in text and '<select name="option_1"' in text
    assert "The results are shown when the vote closes." in text
    response = client.post(ballot_url(vote, me), {"option_1": "2", "option_2": "1", "option_3": ""})
    assert response.status_code == 302
    assert sorted(BallotEntry.objects.values_list("option__number", "rank")) == [(1, 2), (2, 1)]
    text = page(client, f"{URL}votes/{vote.pk}/", lang="en")
    assert 'selected>2</option>' in text  # the form shows the ballot back
    client.post(ballot_url(vote, me), {"option_3": "1"})
    assert list(BallotEntry.objects.values_list("option__number", "rank")) == [(3, 1)]
    vote.close(world.user("coordinator"))
    response = client.post(ballot_url(vote, me), {"option_1": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "This vote is closed" in response.content.decode()
    assert list(BallotEntry.objects.values_list("option__number", "rank")) == [(3, 1)]
    text = page(client, f"{URL}votes/{vote.pk}/", lang="en")
    assert "Results" in text and "ถังเก็บน้ำฝนในโรงเรียน" in text


def test_an_invalid_ballot_comes_back_with_the_reason(client, world, vote):
    login(client, world, "member")
    response = client.post(ballot_url(vote, member_person(world)),
                           {"option_1": "1", "option_2": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Two options have rank 1" in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_non_member_is_refused_with_a_message(client, world, vote):
    person = Person.objects.create(full_name_th="ผู้เชี่ยวชาญ", city=world.city,
                                   user=world.user("expert"))
    login(client, world, "expert")
    text = page(client, f"{URL}votes/{vote.pk}/", lang="en")
    assert "Only members of the core working group on 20 February 2010 can vote." in text
    assert "<select" not in text
    response = client.post(ballot_url(vote, person), {"option_1": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Only members of the core working group" in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_member_may_not_write_someone_elses_ballot(client, world, vote):
    other = make_member(world, "other")
    login(client, world, "member")
    assert client.get(ballot_url(vote, other)).status_code == 403
    assert client.post(ballot_url(vote, other), {"option_1": "1"}).status_code == 403
    assert not Ballot.objects.exists()
    login(client, world, "outsider")
    assert client.post(ballot_url(vote, other), {"option_1": "1"}).status_code == 404


def test_organisers_enter_paper_ballots_and_see_every_ballot(client, world, vote):
    paper = make_member(world, "paper", account=False)
    login(client, world, "coordinator")
    text = page(client, f"{URL}votes/{vote.pk}/", lang="en")
    assert "Enter a paper ballot" in text and "สมาชิก paper" in text
    response = client.post(ballot_url(vote, paper), {"option_2": "1"})
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    assert ballot.person == paper and ballot.recorded_by == world.user("coordinator")
    text = page(client, f"{URL}votes/{vote.pk}/", lang="en")
    assert "entered by coordinator" in text and "Running totals" in text
    # Members never see other people's ballots.
    login(client, world, "member")
    text = page(client, f"{URL}votes/{vote.pk}/", lang="en")
    assert "สมาชิก paper" not in text and "For the organisers" not in text


def test_live_results_when_the_organiser_allows_them(client, world, dialogue, needs):
    vote = Vote.objects.open(dialogue, None, title_th="สด", sources=needs, show_live=True)
    vote.cast(make_member(world, "v1"), None, {1: 1})
    login(client, world, "member")
    text = page(client, f"{URL}votes/{vote.pk}/", lang="en")
    assert "Running totals" in text and "1 ballot." in text


def test_closing_a_vote(client, world, vote):
    login(client, world, "member")
    assert client.post(f"{URL}votes/{vote.pk}/close/").status_code == 403
    login(client, world, "coordinator")
    response = client.post(f"{URL}votes/{vote.pk}/close/")
    assert response.status_code == 302
    vote.refresh_from_db()
    assert vote.status == "closed" and vote.closed_by == world.user("coordinator")


def test_the_published_dialogue_shows_closed_results_to_everyone(client, world, dialogue, vote):
    vote.cast(member_person(world), None, {2: 1, 1: 2})
    dialogue.set_published(None, True)
    text = page(client, lang="en")
    assert "The results are shown when the vote closes." in text
    vote.close(None)
    text = page(client, lang="en")
    assert "Ranked first" in text and "ฟื้นฟูพื้นที่ชุ่มน้ำ" in text
    assert "สมาชิก ทดสอบ" not in text  # nobody's ballot on a public page


# -- the city page --------------------------------------------------------------------------------
def test_the_city_page_shows_the_slds_outcomes_and_overdue_actions(client, world, dialogue, vote):
    world.city.boundary = {"type": "Polygon", "coordinates": [[[99.9, 12.9], [100.1, 12.9],
                                                               [100.1, 13.1], [99.9, 12.9]]]}
    world.city.save()
    Risk.objects.create(dialogue=dialogue, hazard="flood", description_th="น้ำท่วม")
    RiskArea.objects.create(dialogue=dialogue, name_th="ริมน้ำ", hazard="flood", geometry=SQUARE)
    FollowUpAction.objects.create(dialogue=dialogue, text_th="ส่งแผนที่ความเสี่ยง",
                                  due=timezone.localdate() - dt.timedelta(days=2))
    vote.cast(member_person(world), None, {2: 1})
    vote.close(None)
    assert 'id="sld"' not in page(client, "/c/a1/")  # nothing published yet
    login(client, world, "member")
    text = page(client, "/c/a1/", lang="en")
    assert 'id="sld"' in text and "1 risk" in text and "1 risk area" in text
    assert "1 follow-up action is overdue" in text and "2 days late" in text
    assert "ฟื้นฟูพื้นที่ชุ่มน้ำ" in text  # the vote's winner
    assert 'class="area hz-flood"' in text
    client.logout()
    dialogue.set_published(None, True)
    assert "ฟื้นฟูพื้นที่ชุ่มน้ำ" in page(client, "/c/a1/")


def test_the_city_page_offers_editors_to_start_a_record(client, world):
    from apps.dialogues.tests.conftest import make_sld

    make_sld(world)
    login(client, world, "coordinator")
    assert "/c/a1/sld/1/edit/" in page(client, "/c/a1/")
    login(client, world, "member")
    assert 'id="sld"' not in page(client, "/c/a1/")


def test_unused_item_kinds_are_listed_after_the_sld_ones(client, world, dialogue):
    add_items(dialogue, ItemKind.PILOT_PROGRESS, "ความก้าวหน้าโครงการนำร่อง")
    login(client, world, "member")
    assert "ความก้าวหน้าโครงการนำร่อง" in page(client)  # recorded data is never hidden
