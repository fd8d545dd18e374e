import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import ApiToken
from apps.core.testing import make_city
from apps.progress.models import ActivityChange, CityActivity, Evidence, Status



def activity(city, number):
    return CityActivity.objects.get(city=city, plan_activity__number=number)


def publish(*activities):
    CityActivity.objects.filter(pk__in=[a.pk for a in activities]).update(published=True)


def act(client, target, lang="en", **data):
    return client.patch(f"/api/city-activities/{target.pk}", data,
                        content_type="application/json", HTTP_ACCEPT_LANGUAGE=lang)


def count_queries(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **headers).status_code == 200
    return len(queries)


# -- reading ------------------------------------------------------------------------------
def test_anonymous_sees_only_published_activities(client, world):
    a1_first, b1_second = activity(world.city, 1), activity(world.far_city, 2)
    publish(a1_first, b1_second)
    items = client.get("/api/city-activities").json()["items"]
    assert sorted(i["id"] for i in items) == sorted([a1_first.pk, b1_second.pk])
    assert client.get(f"/api/city-activities/{activity(world.city, 2).pk}").status_code == 404
    detail = client.get(f"/api/city-activities/{a1_first.pk}").json()
    assert detail["evidence"] == [] and detail["history"] is None


def test_city_team_sees_unpublished_work_and_history(client, world):
    target = activity(world.city, 1)
    target.start(world.user("coordinator"))
    client.force_login(world.user("member"))
    assert client.get("/api/city-activities?city=a1").json()["count"] == 4
    history = client.get(f"/api/city-activities/{target.pk}").json()["history"]
    assert [(h["action"], h["by"]) for h in history] == [("start", "coordinator")]


@pytest.mark.parametrize("persona", ["outsider", "stranger"])
def test_other_cities_cannot_see_unpublished_work(client, world, persona):
    hidden, shown = activity(world.city, 1), activity(world.city, 2)
    publish(shown)
    client.force_login(world.user(persona))
    ids = [i["id"] for i in client.get("/api/city-activities?city=a1").json()["items"]]
    assert ids == [shown.pk]
    assert client.get(f"/api/city-activities/{hidden.pk}").status_code == 404
    assert client.get(f"/api/city-activities/{shown.pk}").json()["history"] is None
    # Writes: 404 where they cannot read, 403 where they can only read.
    assert act(client, hidden, action="start").status_code == 404
    assert act(client, shown, action="start").status_code == 403
    evidence = {"kind": "note", "title": "x", "text": "y"}
    for target, status in ((hidden, 404), (shown, 403)):
        response = client.post(f"/api/city-activities/{target.pk}/evidence", evidence,
                               content_type="application/json")
        assert response.status_code == status
    assert not Evidence.objects.exists()
    assert activity(world.city, 2).status == Status.NOT_STARTED


def test_late_and_blocked_flags(client, world):
    first = activity(world.city, 1)
    client.force_login(world.user("coordinator"))
    rows = {i["number"]: i for i in client.get("/api/city-activities?city=a1").json()["items"]}
    assert rows[1]["late"] is True and rows[1]["blocked_by"] == []
    assert rows[2]["blocked_by"] == [1]
    first.complete(world.user("coordinator"), on=first.planned_start)
    rows = {i["number"]: i for i in client.get("/api/city-activities?city=a1").json()["items"]}
    assert rows[1]["late"] is False and rows[2]["blocked_by"] == []
    assert rows[3]["blocked_by"] == [2]
    # An unpublished prerequisite is not revealed to the public through blocked_by.
    publish(activity(world.city, 3))
    client.logout()
    [public] = client.get("/api/city-activities?city=a1").json()["items"]
    assert public["number"] == 3 and public["blocked_by"] == []


def test_filters(client, world):
    client.force_login(world.user("national"))
    activity(world.city, 1).start(world.user("national"))
    items = client.get("/api/city-activities?status=in_progress").json()["items"]
    assert [(i["city"], i["number"]) for i in items] == [("a1", 1)]
    response = client.get("/api/city-activities?city=nowhere", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "Unknown city: nowhere."}


# -- transitions --------------------------------------------------------------------------
def test_transitions(client, world):
    target = activity(world.city, 1)
    client.force_login(world.user("coordinator"))
    body = act(client, target, action="start", on="2009-12-05").json()
    assert body["actual_start"] == "2009-12-05"
    body = act(client, target, action="complete", on="2009-12-20").json()
    assert (body["status"], body["actual_end"]) == ("done", "2009-12-20")
    assert act(client, target, action="reopen").json()["status"] == "in_progress"
    body = act(client, target, action="skip", reason="Done by the province").json()
    assert (body["status"], body["skip_reason"]) == ("skipped", "Done by the province")
    body = act(client, target, action="reschedule", planned_start="2010-02-01",
               planned_end=None).json()
    assert (body["planned_start"], body["planned_end"]) == ("2010-02-01", None)
    assert act(client, target, action="publish").json()["published"] is True
    assert act(client, target, action="unpublish").json()["published"] is False
    assert len(act(client, target, action="publish").json()["history"]) == 8


def test_reschedule_keeps_an_omitted_end(client, world):
    target = activity(world.city, 1)
    client.force_login(world.user("coordinator"))
    body = act(client, target, action="reschedule", planned_start="2009-12-10").json()
    assert (body["planned_start"], body["planned_end"]) == ("2009-12-10", "2009-12-31")


@pytest.mark.parametrize("data,loc,message", [
    ({"action": "skip", "reason": " "}, ["body", "reason"], "Say why the activity is skipped."),
    ({"action": "complete", "started": "2010-03-10", "on": "2010-03-09"}, ["body", "on"],
     "The end date cannot be before the start date."),
    ({"action": "reschedule", "planned_start": "2010-03-10", "planned_end": "2010-03-09"},
     ["body", "planned_end"], "The end date cannot be before the start date."),
    ({"action": "reschedule"}, ["body", "planned_start"], "Give the new planned start."),
    ({"action": "reopen"}, ["body"], "Only a finished activity can be reopened."),
])
def test_refused_transitions_are_422_and_change_nothing(client, world, data, loc, message):
    target = activity(world.city, 1)
    client.force_login(world.user("coordinator"))
    response = act(client, target, **data)
    assert response.status_code == 422
    assert response.json() == {"detail": [{"loc": loc, "msg": message}], "message": message}
    assert not ActivityChange.objects.exists()
    assert CityActivity.objects.get(pk=target.pk).planned_end == target.planned_end


def test_buddhist_era_year_is_refused(client, world):
    target = activity(world.city, 1)
    client.force_login(world.user("coordinator"))
    response = act(client, target, action="complete", on="2553-03-09")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "on"]
    assert error["msg"] == (
        "2553 looks like a Buddhist Era year; enter the Christian Era year (2010)."
    )
    assert activity(world.city, 1).status == Status.NOT_STARTED


def test_readers_and_anonymous_may_not_change(client, world):
    target = activity(world.city, 1)
    assert act(client, target, action="start").status_code == 401
    client.force_login(world.user("member"))
    assert act(client, target, action="start").status_code == 403


def test_token_can_change(client, world):
    _, key = ApiToken.issue(world.user("national"), "script")
    response = client.patch(f"/api/city-activities/{activity(world.city, 1).pk}",
                            {"action": "start"}, content_type="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["history"][0]["by"] == "national"


# -- evidence -----------------------------------------------------------------------------
def test_evidence_note_and_link(client, world):
    target = activity(world.city, 1)
    client.force_login(world.user("coordinator"))
    url = f"/api/city-activities/{target.pk}/evidence"
    note = client.post(url, {"kind": "note", "title": "Minutes", "text": "12 people came"},
                       content_type="application/json")
    assert note.status_code == 201 and note.json()["text"] == "12 people came"
    link = client.post(url, {"kind": "link", "title": "Photos", "url": "https://example.org/p"},
                       content_type="application/json")
    assert link.status_code == 201
    publish(target)
    client.logout()
    detail = client.get(f"/api/city-activities/{target.pk}").json()
    assert [e["title"] for e in detail["evidence"]] == ["Photos", "Minutes"]
    assert ActivityChange.objects.filter(action="evidence").count() == 2


@pytest.mark.parametrize("data,loc,message", [
    ({"kind": "note", "title": "Minutes"}, ["body", "text"], "Write the note."),
    ({"kind": "link", "title": "Photos", "url": "not a link"}, ["body", "url"],
     "Enter a valid URL."),
])
def test_invalid_evidence_is_422(client, world, data, loc, message):
    client.force_login(world.user("coordinator"))
    response = client.post(f"/api/city-activities/{activity(world.city, 1).pk}/evidence", data,
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert {"loc": loc, "msg": message} in response.json()["detail"]
    assert not Evidence.objects.exists() and not ActivityChange.objects.exists()


# -- query counts -------------------------------------------------------------------------
def test_list_queries_stay_flat_as_cities_grow(client, world):
    _, key = ApiToken.issue(world.user("national"), "script")
    token = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def prepare():
        activities = CityActivity.objects.filter(city__network=world.network)
        activities.filter(plan_activity__number__in=[1, 3]).update(published=True)
        activities.filter(plan_activity__number=1).update(status=Status.DONE)

    prepare()  # 2 cities in network A
    url = "/api/city-activities"
    count_queries(client, url, **token)  # the token's first use records last_used once
    few = count_queries(client, url), count_queries(client, url, **token)
    for n in range(8):
        make_city(world.network, f"x{n}")
    CityActivity.objects.adopt(world.network, world.plan)
    prepare()  # 10 cities
    assert CityActivity.objects.filter(city__network=world.network).count() == 40
    many = count_queries(client, url), count_queries(client, url, **token)
    assert many == few
    target = activity(world.city, 2)
    assert count_queries(client, f"/api/city-activities/{target.pk}", **token) <= few[1] + 2


def test_superuser_sees_every_unpublished_activity(client, world):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(admin)
    assert client.get("/api/city-activities").json()["count"] == 12
    far = activity(world.far_city, 1)
    assert client.get(f"/api/city-activities/{far.pk}").json()["history"] == []
