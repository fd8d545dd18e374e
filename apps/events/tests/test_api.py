"""The events API: lists and details by visibility, registration rules as 422s, personal data
in scope only."""
import datetime as dt

import pytest
from django.utils import timezone

from apps.accounts.models import ApiToken
from apps.events.models import Registration
from apps.events.tests.conftest import at, make_event, make_people

pytestmark = pytest.mark.django_db


def auth(world, name):
    _token, key = ApiToken.issue(world.user(name), "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, url, headers, body=None, lang="en"):
    return client.post(url, body or {}, content_type="application/json",
                       HTTP_ACCEPT_LANGUAGE=lang, **headers)


def test_list_filters_by_city_network_status_and_dates(client, world, launch_activity):
    soon = make_event(launch_activity, title_th="เร็วๆ นี้", published=True)
    later = make_event(launch_activity, title_th="ปลายปี", starts_at=at(90), ends_at=at(90, 12),
                       published=True)
    network_event = make_event(network=world.network, title_th="เครือข่าย", published=True)
    make_event(launch_activity, title_th="ภายใน")  # unpublished
    items = client.get("/api/events").json()["items"]
    assert [e["id"] for e in items] == [soon.pk, network_event.pk, later.pk]
    assert items[1]["city"] is None and items[1]["network"] == "net-a"
    assert items[0]["city"] == "a1" and items[0]["activity_number"] == 2
    assert {e["id"] for e in client.get("/api/events?city=a2").json()["items"]} == {
        network_event.pk}
    day = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    assert [e["id"] for e in client.get(f"/api/events?starts_from={day}").json()["items"]] == [
        later.pk]
    later.cancel(world.user("coordinator"), "ฝนตกหนัก")
    assert [e["id"] for e in client.get("/api/events?status=cancelled").json()["items"]] == [
        later.pk]
    bad = client.get("/api/events?starts_from=2569-01-01", HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 422 and "Buddhist Era" in bad.json()["detail"][0]["msg"]


def test_detail_has_agenda_counts_and_attendance_for_the_team(client, world, launch_activity):
    event = make_event(launch_activity, capacity=1, published=True,
                       starts_at=timezone.now() - dt.timedelta(hours=1),
                       ends_at=timezone.now() + dt.timedelta(hours=4))
    event.agenda.create(time=dt.time(9), title_th="เปิดงาน", title_en="Opening",
                        speaker_name="นายก")
    seated, waiting = (event.register(p) for p in make_people(world.city, 2, gender="female"))
    seated.check_in()
    public = client.get(f"/api/events/{event.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (public["confirmed"], public["waitlisted"]) == (1, 1)
    assert public["agenda"][0]["title"] == "Opening" and public["attendance"] is None
    team = client.get(f"/api/events/{event.pk}", **auth(world, "member")).json()
    assert team["attendance"]["checked_in"] == 1
    assert team["attendance"]["by_gender"] == [{"value": "female", "label": "หญิง",
                                                "count": 1}]


def test_register_waitlist_and_refusals_come_as_422(client, world, launch_activity):
    event = make_event(launch_activity, capacity=1, cap_per_city=5)
    first, second = make_people(world.city, 2)
    headers = auth(world, "coordinator")
    url = f"/api/events/{event.pk}/registrations/"
    assert post(client, url + str(first.pk), headers).json()["status"] == "confirmed"
    response = post(client, url + str(second.pk), headers)
    assert response.status_code == 201 and response.json()["status"] == "waitlisted"
    assert response.json()["position"] == 2
    again = post(client, url + str(second.pk), headers)
    assert again.status_code == 422 and "already registered" in again.json()["message"]
    assert Registration.objects.count() == 2


def test_a_linked_person_registers_themself_but_nobody_else(client, world, event):
    headers = auth(world, "member")
    me = world.user("member").person
    other = make_people(world.city, 1)[0]
    url = f"/api/events/{event.pk}/registrations/"
    assert post(client, url + str(other.pk), headers).status_code == 403
    assert post(client, url + str(me.pk), headers).status_code == 201
    mine = client.get("/api/registrations?person=%s" % me.pk, **headers).json()["items"]
    assert [r["status"] for r in mine] == ["confirmed"]
    cancelled = post(client, f"/api/registrations/{mine[0]['id']}/cancel", headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_registrations_are_listed_only_in_scope(client, world, launch_activity):
    event = make_event(launch_activity, published=True)
    registration = event.register(make_people(world.city, 1)[0])
    assert client.get("/api/registrations").json()["items"] == []
    assert client.get("/api/registrations", **auth(world, "outsider")).json()["items"] == []
    rows = client.get(f"/api/registrations?event={event.pk}", **auth(world, "national")).json()
    assert [r["id"] for r in rows["items"]] == [registration.pk]


def test_check_in_through_the_api(client, world, launch_activity):
    event = make_event(launch_activity, starts_at=timezone.now() - dt.timedelta(hours=1),
                       ends_at=timezone.now() + dt.timedelta(hours=4))
    registration = event.register(make_people(world.city, 1)[0])
    url = f"/api/registrations/{registration.pk}/check-in"
    assert post(client, url, auth(world, "member")).status_code == 403
    done = post(client, url, auth(world, "coordinator"))
    assert done.status_code == 200 and done.json()["checked_in_at"]
    undone = post(client, url, auth(world, "coordinator"), {"checked_in": False})
    assert undone.json()["checked_in_at"] is None


def test_writes_need_a_login_and_hide_what_cannot_be_seen(client, world, event):
    person = make_people(world.city, 1)[0]
    assert post(client, f"/api/events/{event.pk}/registrations/{person.pk}", {}).status_code == 401
    response = post(client, f"/api/events/{event.pk}/registrations/{person.pk}",
                    auth(world, "outsider"))
    assert response.status_code == 404
    assert not Registration.objects.exists()
