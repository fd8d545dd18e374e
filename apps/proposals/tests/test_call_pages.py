"""The call and the proponent's pages: set-up by the coordinator, a draft saved and submitted
through the form, nothing accepted after closing, screening, and who sees which proposal."""
import datetime as dt

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.utils import timezone

from apps.core.testing import PASSWORD, make_world
from apps.people.models import Person
from apps.proposals.models import Call, CallChange, EligibilityRule, Evaluator, Proposal
from apps.proposals.testing import make_call, make_organisation, make_proposal, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = make_world()
    world.agency = make_organisation(world.city, "มูลนิธิรักษ์น้ำ")
    Person.objects.create(full_name_th="ผู้เสนอ", city=world.city, user=world.user("proponent"),
                          organisation=world.agency)
    return world


def login(client, name):
    assert client.login(username=name, password=PASSWORD)


def _call_post(risk=None, english=False, **extra):
    year = 2026 if english else 2569  # English pages take Gregorian years, Thai pages BE
    data = {
        "title_th": "ประกาศรับข้อเสนอ", "title_en": "Call", "budget_ceiling": "800000",
        "opens_at_0": f"01/11/{year}", "opens_at_1": "09:00",
        "closes_at_0": f"31/12/{year}", "closes_at_1": "16:30", "quota": "2",
        "method": "weighted_sum", "rules_text": "อยู่ในพื้นที่ | Local\nมีแผนติดตามผล",
        "criteria-TOTAL_FORMS": "2", "criteria-INITIAL_FORMS": "0",
        "criteria-0-name_th": "ตอบโจทย์ความเสี่ยง", "criteria-0-weight": "3",
        "criteria-0-scale_min": "1", "criteria-0-scale_max": "5",
        "criteria-1-name_th": "ความคุ้มค่า", "criteria-1-weight": "1",
        "criteria-1-scale_min": "0", "criteria-1-scale_max": "10",
    }
    if risk is not None:
        data["risks"] = [risk.pk]
    data.update(extra)
    return data


def test_coordinator_sets_up_a_call_with_rules_criteria_and_evaluators(client, world):
    login(client, "coordinator")
    make_call(world.city)  # gives the city an assessed risk
    risk = Call.objects.get().risks.get()
    response = client.post(f"/c/{world.city.slug}/calls/new/",
                           _call_post(risk, evaluators=[world.user("expert").pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    call = Call.objects.exclude(pk=Call.objects.order_by("pk").first().pk).get()
    # Thai dates are Buddhist Era: 31/12/2569 is 31 December 2026, Bangkok time.
    closes = timezone.localtime(call.closes_at)
    assert (closes.year, closes.month, closes.day, closes.hour) == (2026, 12, 31, 16)
    assert [(r.text_th, r.text_en) for r in call.rules.all()] == [
        ("อยู่ในพื้นที่", "Local"), ("มีแผนติดตามผล", "")]
    assert [(c.name_th, c.weight, c.scale_max) for c in call.criteria.all()] == [
        ("ตอบโจทย์ความเสี่ยง", 3, 5), ("ความคุ้มค่า", 1, 10)]
    assert list(call.evaluators.values_list("user__username", flat=True)) == ["expert"]
    assert list(call.risks.all()) == [risk]
    assert CallChange.objects.filter(call=call, action="create").exists()


@pytest.mark.parametrize("change, message", [
    ({"criteria-0-weight": "-1"}, "Ensure this value is greater than or equal to 0."),
    ({"criteria-0-weight": "0", "criteria-1-weight": "0"}, "At least one criterion must have a weight above zero."),
    ({"criteria-1-scale_max": "0"}, "The highest score must be above the lowest."),
    ({"closes_at_0": "01/10/2026"}, "The call must close after it opens."),
    ({"closes_at_0": "31/12/2569"}, "Buddhist Era"),
])
def test_bad_call_set_up_is_refused_with_the_field_named(client, world, change, message):
    login(client, "coordinator")
    client.cookies["django_language"] = "en"
    response = client.post(f"/c/{world.city.slug}/calls/new/", _call_post(english=True, **change))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Call.objects.exists() and not EligibilityRule.objects.exists()


def _proposal_post(call, **extra):
    data = {
        "title_th": "เตือนภัยน้ำท่วมชุมชน", "problem_th": "แจ้งเตือนช้า",
        "risks": [call.risks.get().pk], "geometry": "",
        "activities-TOTAL_FORMS": "1", "activities-INITIAL_FORMS": "0",
        "activities-0-name": "สำรวจ", "activities-0-starts": "01/01/2570",
        "activities-0-ends": "31/03/2570",
        "budget-TOTAL_FORMS": "1", "budget-INITIAL_FORMS": "0",
        "budget-0-item": "เครื่องวัดระดับน้ำ", "budget-0-amount": "300000",
        "budget-0-cofunding": "50000", "budget-0-cofunder": "เทศบาล",
        "indicators-TOTAL_FORMS": "1", "indicators-INITIAL_FORMS": "0",
        "indicators-0-name": "ครัวเรือนที่ได้รับการเตือน", "indicators-0-target": "500",
    }
    data.update(extra)
    return data


def test_proponent_drafts_then_submits_through_the_form(client, world):
    call = make_call(world.city, open=True)
    login(client, "proponent")
    response = client.post(f"/calls/{call.pk}/propose/")
    proposal = Proposal.objects.get()
    assert response["Location"] == f"/proposals/{proposal.pk}/edit/"
    assert proposal.organisation == world.agency and proposal.status == "draft"
    # Save the draft without submitting: nothing is checked beyond the fields.
    response = client.post(f"/proposals/{proposal.pk}/edit/", _proposal_post(call, save="1"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "draft" and proposal.budget_lines.get().amount == 300000
    square = ('{"type": "Polygon", "coordinates": [[[99.8, 19.9], [99.81, 19.9], '
              '[99.81, 19.91], [99.8, 19.91], [99.8, 19.9]]]}')
    data = _proposal_post(call, submit="1", geometry=square,
                          **{"budget-INITIAL_FORMS": "1",
                             "budget-0-id": str(proposal.budget_lines.get().pk),
                             "budget-0-proposal": str(proposal.pk)})
    response = client.post(f"/proposals/{proposal.pk}/edit/", data)
    assert response["Location"] == f"/proposals/{proposal.pk}/"
    proposal.refresh_from_db()
    assert proposal.status == "submitted" and proposal.geometry["type"] == "Polygon"
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "เตือนภัยน้ำท่วมชุมชน" in page and "300,000" in page


def test_submitting_over_the_ceiling_keeps_the_draft_and_says_why(client, world):
    call = make_call(world.city, open=True, ceiling=100_000)
    proposal = make_proposal(call, world.user("proponent"), world.agency, submitted=False)
    login(client, "proponent")
    client.cookies["django_language"] = "en"
    response = client.post(f"/proposals/{proposal.pk}/submit/", follow=True)
    assert "above the call&#x27;s ceiling of 100,000.00 THB" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def test_nothing_is_accepted_after_the_call_closes(client, world):
    call = make_call(world.city, open=True)
    proposal = make_proposal(call, world.user("proponent"), world.agency, submitted=False)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    login(client, "proponent")
    client.cookies["django_language"] = "en"
    response = client.post(f"/proposals/{proposal.pk}/edit/", _proposal_post(call, submit="1"))
    assert "proposals can no longer be submitted, changed or withdrawn" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "draft" and proposal.title_th == "โครงการ"
    response = client.post(f"/calls/{call.pk}/propose/", follow=True)
    assert "not open for proposals" in response.content.decode()
    assert Proposal.objects.count() == 1


def test_drafts_are_the_proponents_own_until_submitted(client, world):
    call = make_call(world.city, open=True)
    draft = make_proposal(call, world.user("proponent"), world.agency, submitted=False)
    for name, status in [("proponent", 200), ("coordinator", 404), ("national", 404),
                         ("member", 404), ("funder", 404), ("outsider", 404)]:
        login(client, name)
        assert client.get(f"/proposals/{draft.pk}/").status_code == status, name
    draft.status = "submitted"
    draft.save()
    for name, status in [("coordinator", 200), ("national", 200), ("member", 404),
                         ("funder", 404), ("outsider", 404)]:
        login(client, name)
        assert client.get(f"/proposals/{draft.pk}/").status_code == status, name
    login(client, "coordinator")
    assert client.get(f"/proposals/{draft.pk}/edit/").status_code == 403


def test_screening_through_the_page(client, world, mailoutbox, django_capture_on_commit_callbacks):
    call = make_call(world.city, open=False, rules=("อยู่ในพื้นที่", "มีแผนติดตามผล"))
    proposal = make_proposal(call, world.user("proponent"), world.agency, eligible=False)
    first, second = call.rules.all()
    login(client, "coordinator")
    client.cookies["django_language"] = "en"
    response = client.post(f"/proposals/{proposal.pk}/screen/", {
        f"rule_{first.pk}": "yes", f"rule_{second.pk}": "no", f"reason_{second.pk}": ""})
    assert "Give the reason why the proposal fails" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.eligibility == "pending" and not proposal.checks.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/proposals/{proposal.pk}/screen/", {
            f"rule_{first.pk}": "yes", f"rule_{second.pk}": "no",
            f"reason_{second.pk}": "ไม่มีตัวชี้วัด"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.eligibility == "ineligible"
    assert "ไม่มีตัวชี้วัด" in mailoutbox[0].body
    # The proponent reads the result on the dossier, in Thai by default.
    client.cookies.pop("django_language")
    login(client, "proponent")
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "ไม่มีตัวชี้วัด" in page


def test_call_page_query_count_does_not_grow_with_proposals(client, world):
    call = make_call(world.city, open=False)
    login(client, "coordinator")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/calls/{call.pk}/").status_code == 200
        return len(queries)

    make_proposal(call, world.user("proponent"), world.agency)
    few = count()
    for n in range(12):
        make_proposal(call, world.user("proponent"), make_organisation(world.city, f"org {n}"),
                      title=f"โครงการ {n}")
    Evaluator.objects.create(call=call, user=make_user("judge", world.city))
    assert count() == few


def test_city_page_lists_the_calls(client, world):
    call = make_call(world.city, open=True)
    page = client.get(f"/c/{world.city.slug}/").content.decode()
    assert call.title_th in page
    unpublished = make_call(world.city, open=True, published=False)
    unpublished.title_th = "ร่างประกาศ"
    unpublished.save()
    assert "ร่างประกาศ" not in client.get(f"/c/{world.city.slug}/calls/").content.decode()
    login(client, "coordinator")
    assert "ร่างประกาศ" in client.get(f"/c/{world.city.slug}/calls/").content.decode()


def test_revising_a_submitted_proposal_is_on_the_record(client, world):
    call = make_call(world.city, open=True)
    proposal = make_proposal(call, world.user("proponent"), world.agency)
    login(client, "proponent")
    line = proposal.budget_lines.get()
    indicator = proposal.indicators.get()
    data = _proposal_post(call, save="1", title_th="ชื่อใหม่", **{
        "budget-INITIAL_FORMS": "1", "budget-0-id": str(line.pk),
        "budget-0-proposal": str(proposal.pk),
        "indicators-INITIAL_FORMS": "1", "indicators-0-id": str(indicator.pk),
        "indicators-0-proposal": str(proposal.pk)})
    assert client.post(f"/proposals/{proposal.pk}/edit/", data).status_code == 302
    change = CallChange.objects.get(action="revise", proposal=proposal)
    assert "title_th" in change.after["changed"] and "budget" in change.after["changed"]
    proposal.refresh_from_db()
    assert proposal.title_th == "ชื่อใหม่" and proposal.status == "submitted"
