"""The dialogue's own rules: its anchor, SLD numbering, what each SLD records, follow-up
actions, risk areas, nominations, visibility and the assessment scope."""
import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from apps.dialogues.forms import AreaForm, RiskForm
from apps.dialogues.models import (
    Dialogue, DialogueItem, FollowUpAction, ItemKind, Nomination, Risk, RiskArea, VulnerableGroup,
)
from apps.dialogues.tests.conftest import make_dialogue, make_member
from apps.dialogues.votes import Vote
from apps.people.models import Organisation, Person
from apps.plans.models import ActivityKind, PlanActivity
from apps.progress.models import CityActivity

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[100.0, 13.0], [100.01, 13.0], [100.01, 13.01],
                                              [100.0, 13.01], [100.0, 13.0]]]}
BOW_TIE = {"type": "Polygon", "coordinates": [[[100.0, 13.0], [100.01, 13.01], [100.01, 13.0],
                                               [100.0, 13.01], [100.0, 13.0]]]}


# -- anchor and numbering -------------------------------------------------------------------
def test_a_dialogue_must_sit_on_an_sld_activity(world):
    launch = CityActivity.objects.get(city=world.city, plan_activity__number=1)
    with translation.override("en"):  # messages are lazy: read them inside the override
        with pytest.raises(ValidationError) as error:
            Dialogue(city_activity=launch).full_clean()
        assert error.value.message_dict["city_activity"] == [
            "A dialogue can only be recorded on a Shared Learning Dialogue activity."]
    PlanActivity.objects.filter(plan=world.plan, number=1).update(kind=ActivityKind.SLD)
    Dialogue(city_activity=CityActivity.objects.get(pk=launch.pk)).full_clean()


def test_one_dialogue_per_activity(world, dialogue):
    with pytest.raises(IntegrityError), transaction.atomic():
        Dialogue.objects.create(city_activity=dialogue.city_activity)


def test_the_sld_number_is_the_order_among_the_plans_sld_activities(world):
    for number in (2, 4):
        PlanActivity.objects.filter(plan=world.plan, number=number).update(kind=ActivityKind.SLD)
    second = make_dialogue(world, number=4)
    first = make_dialogue(world, number=2)
    assert (first.number, second.number) == (1, 2)
    annotated = dict(Dialogue.objects.with_sld_number().values_list("pk", "sld_number"))
    assert annotated == {first.pk: 1, second.pk: 2}
    assert Dialogue.objects.for_sld(world.city, 2) == second
    assert Dialogue.objects.for_sld(world.city, 3) is None


def test_each_sld_records_its_own_outputs(world):
    for number in (2, 3, 4):
        PlanActivity.objects.filter(plan=world.plan, number=number).update(kind=ActivityKind.SLD)
    sld1, sld2, sld3 = (make_dialogue(world, number=n) for n in (2, 3, 4))
    assert sld1.collects("risks") and sld1.collects("nominations") and sld1.collects("areas")
    assert sld2.collects("areas") and sld2.collects(ItemKind.STRATEGIC_ISSUE)
    assert not sld2.collects("risks") and not sld3.collects("areas")
    assert sld3.collects("indicators") and sld3.collects(ItemKind.PILOT_PROGRESS)
    assert all(d.collects(ItemKind.AGREEMENT) for d in (sld1, sld2, sld3))
    form = RiskForm({"hazard": "flood", "description_th": "น้ำท่วม"}, dialogue=sld3)
    assert not form.is_valid()
    assert not Risk.objects.exists()


def test_thai_text_is_required_by_the_database(world, dialogue):
    for model, values in ((DialogueItem, {"kind": "issue", "text_th": ""}),
                          (Risk, {"hazard": "flood", "description_th": ""}),
                          (VulnerableGroup, {"name_th": ""}),
                          (FollowUpAction, {"text_th": ""})):
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.create(dialogue=dialogue, **values)


# -- follow-up actions ------------------------------------------------------------------------
def test_overdue_actions_are_open_and_past_their_due_date(world, dialogue):
    today = timezone.localdate()
    late = FollowUpAction.objects.create(dialogue=dialogue, text_th="ช้า",
                                         due=today - dt.timedelta(days=1))
    due_today = FollowUpAction.objects.create(dialogue=dialogue, text_th="วันนี้", due=today)
    undated = FollowUpAction.objects.create(dialogue=dialogue, text_th="ไม่มีกำหนด")
    done = FollowUpAction.objects.create(dialogue=dialogue, text_th="เสร็จ",
                                         due=today - dt.timedelta(days=9))
    done.complete(world.user("coordinator"))
    assert list(FollowUpAction.objects.overdue()) == [late]
    assert [a.is_overdue() for a in (late, due_today, undated, done)] == [True, False, False, False]
    assert Dialogue.objects.with_counts().get().overdue_action_count == 1


def test_completing_and_reopening_an_action(world, dialogue):
    action = FollowUpAction.objects.create(dialogue=dialogue, text_th="ส่งรายงาน")
    action.complete(world.user("coordinator"), on=dt.date(2010, 3, 1))
    action.refresh_from_db()
    assert (action.status, action.completed_on, action.completed_by) == (
        "done", dt.date(2010, 3, 1), world.user("coordinator"))
    with translation.override("en"), pytest.raises(ValidationError, match="already done"):
        action.complete(world.user("coordinator"))
    action.reopen(world.user("coordinator"))
    action.refresh_from_db()
    assert (action.status, action.completed_on) == ("open", None)
    assert list(dialogue.changes.values_list("action", flat=True)) == [
        "action_reopened", "action_done"]
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpAction.objects.filter(pk=action.pk).update(status="done")  # done needs a date


def test_an_action_owner_is_a_person_of_the_city(world, dialogue):
    stranger = Person.objects.create(full_name_th="คนเมืองอื่น", city=world.other_city)
    with pytest.raises(ValidationError) as error:
        FollowUpAction(dialogue=dialogue, text_th="ทำ", owner=stranger).full_clean()
    assert "owner" in error.value.message_dict


def test_outsiders_see_an_owner_by_organisation_not_by_name(world, dialogue):
    person = Person.objects.create(full_name_th="สมชาย ใจดี", city=world.city,
                                   organisation=world.organisation)
    action = FollowUpAction.objects.create(dialogue=dialogue, text_th="ทำ", owner=person)
    assert action.owner_label(personal=True) == "สมชาย ใจดี"
    assert action.owner_label(personal=False) == str(world.organisation)


# -- risk areas --------------------------------------------------------------------------------
def test_a_self_intersecting_risk_area_is_refused_with_the_reason(world, dialogue):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        RiskArea(dialogue=dialogue, name_th="โบว์", hazard="flood", geometry=BOW_TIE).full_clean()
    message = error.value.message_dict["geometry"][0]
    assert "not a valid polygon" in message and "Self-intersection" in message
    form = AreaForm({"name_th": "โบว์", "hazard": "flood", "geometry": str(BOW_TIE).replace(
        "'", '"')}, dialogue=dialogue)
    with translation.override("en"):
        assert not form.is_valid()
        assert "Self-intersection" in form.errors["geometry"][0]
    assert not RiskArea.objects.exists()


@pytest.mark.parametrize("geometry,fragment", [
    ({"type": "Point", "coordinates": [100, 13]}, "Polygon or MultiPolygon"),
    ({"type": "Polygon", "coordinates": [[[500, 13], [501, 13], [501, 14], [500, 13]]]},
     "longitude and latitude"),
    (None, "Draw or upload the area."),
])
def test_risk_areas_must_be_polygons_in_wgs84(world, dialogue, geometry, fragment):
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            RiskArea(dialogue=dialogue, name_th="x", hazard="flood",
                     geometry=geometry).full_clean()
        assert fragment in " ".join(error.value.message_dict["geometry"])


def test_a_feature_is_kept_as_its_geometry(world, dialogue):
    area = RiskArea(dialogue=dialogue, name_th="ริมน้ำ", hazard="flood",
                    geometry={"type": "Feature", "properties": {}, "geometry": SQUARE})
    area.full_clean()
    assert area.geometry == SQUARE


# -- nominations ---------------------------------------------------------------------------------
def test_a_nomination_names_an_organisation_or_an_expert(world, dialogue):
    with pytest.raises(ValidationError):
        Nomination(dialogue=dialogue).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(dialogue=dialogue)
    Nomination(dialogue=dialogue, name="ผศ.ดร. ผู้เชี่ยวชาญ").full_clean()
    Nomination(dialogue=dialogue, organisation=world.organisation).full_clean()


def test_another_citys_organisation_cannot_be_nominated(world, dialogue):
    theirs = Organisation.objects.create(name_th="มหาวิทยาลัยอื่น", kind="academia",
                                         city=world.other_city)
    national = Organisation.objects.create(name_th="สถาบันสิ่งแวดล้อมไทย", kind="ngo")
    with pytest.raises(ValidationError) as error:
        Nomination(dialogue=dialogue, organisation=theirs).full_clean()
    assert "organisation" in error.value.message_dict
    Nomination(dialogue=dialogue, organisation=national).full_clean()


# -- visibility ---------------------------------------------------------------------------------
def test_visibility_follows_publication_and_the_city_team(world, dialogue):
    anonymous = AnonymousUser()
    assert not Dialogue.objects.visible_to(anonymous).exists()
    for persona in ("coordinator", "member", "expert", "national"):
        assert Dialogue.objects.visible_to(world.user(persona)).exists(), persona
    for persona in ("outsider", "stranger", "funder", "proponent"):
        assert not Dialogue.objects.visible_to(world.user(persona)).exists(), persona
    assert list(Dialogue.objects.editable_by(world.user("coordinator"))) == [dialogue]
    assert not Dialogue.objects.editable_by(world.user("member")).exists()
    dialogue.set_published(world.user("coordinator"), True)
    assert Dialogue.objects.visible_to(anonymous).exists()
    assert Dialogue.objects.visible_to(world.user("outsider")).exists()
    assert not Dialogue.objects.editable_by(world.user("outsider")).exists()
    assert list(dialogue.changes.values_list("action", flat=True)) == ["publish"]


# -- the assessment scope ------------------------------------------------------------------------
def test_the_assessment_scope_gathers_sld_1_ranked_by_its_closed_vote(world, dialogue):
    flood = Risk.objects.create(dialogue=dialogue, hazard="flood", description_th="น้ำท่วม",
                                order=1)
    haze = Risk.objects.create(dialogue=dialogue, hazard="haze", description_th="หมอกควัน", order=2)
    slide = Risk.objects.create(dialogue=dialogue, hazard="landslide", description_th="ดินถล่ม",
                                order=3)
    group = VulnerableGroup.objects.create(dialogue=dialogue, name_th="ชุมชนริมแม่น้ำกก")
    area = RiskArea.objects.create(dialogue=dialogue, name_th="ริมน้ำ", hazard="flood",
                                   geometry=SQUARE)
    nomination = Nomination.objects.create(dialogue=dialogue, organisation=world.organisation,
                                           topic_th="ความเสี่ยงน้ำท่วม")
    scope = Dialogue.objects.assessment_scope(world.city)
    assert scope.risks == [flood, haze, slide]  # no vote yet: as recorded
    vote = Vote.objects.open(dialogue, None, title_th="จัดลำดับความเสี่ยง",
                             sources=[flood, haze, slide])
    voter = make_member(world, "v1")
    vote.cast(voter, None, {2: 1, 3: 2})  # haze first, landslide second, flood unranked
    assert Dialogue.objects.assessment_scope(world.city).risks == [flood, haze, slide]
    vote.close(None)  # only a closed vote decides
    scope = Dialogue.objects.assessment_scope(world.city)
    assert scope.risks == [haze, slide, flood]
    assert scope.ranked_by == vote
    assert scope.hazards == ["haze", "landslide", "flood"]
    assert scope.groups == [group] and scope.areas == [area] and scope.nominations == [nomination]
    assert scope.areas_geojson()["features"][0]["geometry"] == SQUARE
    assert scope


def test_the_assessment_scope_respects_publication(world, dialogue):
    Risk.objects.create(dialogue=dialogue, hazard="flood", description_th="น้ำท่วม")
    hidden = Dialogue.objects.visible_to(AnonymousUser()).assessment_scope(world.city)
    assert hidden.dialogue is None and not hidden
    team = Dialogue.objects.visible_to(world.user("expert")).assessment_scope(world.city)
    assert team.dialogue == dialogue and len(team.risks) == 1
