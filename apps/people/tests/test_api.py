import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.testing import make_city
from apps.people.models import Membership, Organisation, Person, WorkingGroup



def send(client, method, url, data, lang="en"):
    return getattr(client, method)(url, data, content_type="application/json",
                                   HTTP_ACCEPT_LANGUAGE=lang)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_people(city, count):
    return [
        Person.objects.create(full_name_th=f"คน {city.slug} {n}", city=city, email=f"p{n}@x.org")
        for n in range(count)
    ]


# -- organisations ------------------------------------------------------------------------
def test_organisations_visible_to(client, world):
    Organisation.objects.create(name_th="สถาบันสิ่งแวดล้อมไทย", short_name="TEI", kind="ngo")
    assert [o["short_name"] for o in client.get("/api/organisations").json()["items"]] == ["TEI"]
    client.force_login(world.user("member"))
    assert client.get("/api/organisations").json()["count"] == 2
    client.force_login(world.user("outsider"))
    assert client.get("/api/organisations").json()["count"] == 1


@pytest.mark.parametrize("persona,city,status", [
    ("coordinator", "a1", 201), ("national", "a2", 201), ("national", None, 201),
    ("coordinator", "a2", 403), ("coordinator", None, 403), ("member", "a1", 403),
    ("stranger", "a1", 403),
])
def test_who_adds_organisations(client, world, persona, city, status):
    client.force_login(world.user(persona))
    response = send(client, "post", "/api/organisations",
                    {"name_th": "มูลนิธิ", "kind": "ngo", "city": city})
    assert response.status_code == status
    assert Organisation.objects.count() == (2 if status == 201 else 1)
    if status == 201:
        assert response.json()["city"] == city


def test_adding_an_organisation_needs_login(client, world):
    response = send(client, "post", "/api/organisations", {"name_th": "x", "kind": "ngo"})
    assert response.status_code == 401


# -- people -------------------------------------------------------------------------------
@pytest.mark.parametrize("persona,count", [
    (None, 0), ("member", 1), ("national", 1), ("outsider", 0), ("stranger", 0), ("funder", 0),
])
def test_people_only_to_their_city_team(client, world, persona, count):
    if persona:
        client.force_login(world.user(persona))
    body = client.get("/api/people").json()
    assert body["count"] == count
    if count:
        assert body["items"][0]["full_name_en"] == "Member Test"


def test_add_and_change_a_person(client, world):
    client.force_login(world.user("coordinator"))
    response = send(client, "post", "/api/people", {
        "full_name_th": "สมชาย ใจดี", "city": "a1", "organisation": world.organisation.pk,
        "sector": "water", "email": "somchai@example.org", "gender": "male",
    })
    assert response.status_code == 201, response.content
    person_id = response.json()["id"]
    response = send(client, "patch", f"/api/people/{person_id}", {"position": "Engineer"})
    assert response.status_code == 200
    person = Person.objects.get(pk=person_id)
    assert person.city == world.city and person.organisation == world.organisation
    assert person.position == "Engineer"


def test_invalid_email_is_refused_in_thai(client, world):
    client.force_login(world.user("coordinator"))
    response = send(client, "post", "/api/people",
                    {"full_name_th": "สมชาย", "city": "a1", "email": "nope"}, lang="th")
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "email"], "msg": "ป้อนที่อยู่อีเมลที่ถูกต้อง"}
    ]
    assert Person.objects.count() == 1


def test_people_writes_respect_the_scope(client, world):
    person = Person.objects.get(user=world.user("member"))
    other_org = Organisation.objects.create(
        name_th="อบจ.", kind="government", city=world.other_city
    )
    client.force_login(world.user("outsider"))
    assert send(client, "patch", f"/api/people/{person.pk}", {"position": "x"}).status_code == 404
    new_person = {"full_name_th": "x", "city": "a1"}
    assert send(client, "post", "/api/people", new_person).status_code == 403
    client.force_login(world.user("member"))
    assert send(client, "patch", f"/api/people/{person.pk}", {"position": "x"}).status_code == 403
    client.force_login(world.user("coordinator"))
    response = send(client, "patch", f"/api/people/{person.pk}", {"organisation": other_org.pk})
    assert response.status_code == 422  # an organisation the caller cannot see
    assert response.json()["detail"][0]["loc"] == ["body", "organisation"]
    new_person["city"] = "nowhere"
    assert send(client, "post", "/api/people", new_person).status_code == 404
    assert Person.objects.get(pk=person.pk).position == ""


# -- working groups -----------------------------------------------------------------------
def test_working_groups_list(client, world):
    client.force_login(world.user("coordinator"))
    [group] = client.get("/api/working-groups", HTTP_ACCEPT_LANGUAGE="en").json()["items"]
    assert (group["city"], group["active_count"]) == ("a1", 1)
    assert group["size_warning"] == "The plan asks for 10-15 members; this group has 1."
    client.logout()
    assert client.get("/api/working-groups").json()["count"] == 0
    WorkingGroup.objects.filter(city=world.city).update(published=True)
    assert client.get("/api/working-groups").json()["count"] == 1


def test_group_members_for_the_team(client, world):
    client.force_login(world.user("member"))
    body = client.get("/api/working-groups/a1").json()
    assert body["access"] == "team"
    [member] = body["members"]
    assert member["person"] == Person.objects.get(user=world.user("member")).pk
    assert {"id", "email", "phone", "start", "end", "active"} <= set(member)


@pytest.mark.parametrize("persona", [None, "outsider", "stranger"])
def test_published_group_shows_only_names_to_others(client, world, persona):
    if persona:
        client.force_login(world.user(persona))
    assert client.get("/api/working-groups/a1").status_code == 404  # unpublished
    WorkingGroup.objects.filter(city=world.city).update(published=True)
    body = client.get("/api/working-groups/a1", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["access"] == "public"
    assert body["members"] == [
        {"full_name": "Member Test", "organisation": "A1 Municipality", "role": "member"}
    ]


def test_unknown_city_group_is_404(client, world):
    response = client.get("/api/working-groups/nowhere", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json() == {"detail": "Unknown city: nowhere."}


def test_add_member(client, world):
    [person] = add_people(world.city, 1)
    client.force_login(world.user("coordinator"))
    response = send(client, "post", "/api/working-groups/a1/members",
                    {"person": person.pk, "role": "chair", "start": "2010-01-05"})
    assert response.status_code == 201, response.content
    assert response.json()["role"] == "chair"
    assert world.city.working_group.active_memberships().count() == 2


def test_duplicate_active_member_is_422_and_nothing_saved(client, world):
    person = Person.objects.get(user=world.user("member"))
    client.force_login(world.user("coordinator"))
    response = send(client, "post", "/api/working-groups/a1/members",
                    {"person": person.pk, "start": "2010-06-01"})
    assert response.status_code == 422
    message = "Member Test is already a member of this group for these dates."
    assert response.json() == {"detail": [{"loc": ["body", "person"], "msg": message}],
                               "message": message}
    assert Membership.objects.count() == 1


@pytest.mark.parametrize("data,loc,fragment", [
    ({"start": "2553-01-05"}, ["body", "start"], "looks like a Buddhist Era year"),
    ({"start": "2010-01-05", "end": "2010-01-04"}, ["body", "end"], "cannot be before the start"),
])
def test_member_dates_are_checked(client, world, data, loc, fragment):
    [person] = add_people(world.city, 1)
    client.force_login(world.user("coordinator"))
    response = send(client, "post", "/api/working-groups/a1/members", {"person": person.pk, **data})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == loc and fragment in error["msg"]
    assert Membership.objects.count() == 1


def test_person_of_another_city_cannot_join(client, world):
    [person] = add_people(world.other_city, 1)
    client.force_login(world.user("national"))
    response = send(client, "post", "/api/working-groups/a1/members",
                    {"person": person.pk, "start": "2010-01-05"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "This person belongs to another city."


def test_group_writes_respect_the_scope(client, world):
    [person] = add_people(world.city, 1)
    data = {"person": person.pk, "start": "2010-01-05"}
    assert send(client, "post", "/api/working-groups/a1/members", data).status_code == 401
    client.force_login(world.user("outsider"))
    assert send(client, "post", "/api/working-groups/a1/members", data).status_code == 404
    membership = Membership.objects.get()
    assert send(client, "post", f"/api/memberships/{membership.pk}/end", {}).status_code == 404
    WorkingGroup.objects.filter(city=world.city).update(published=True)
    assert send(client, "post", "/api/working-groups/a1/members", data).status_code == 403
    assert send(client, "post", f"/api/memberships/{membership.pk}/end", {}).status_code == 403
    assert Membership.objects.get().end is None and Membership.objects.count() == 1


def test_end_membership(client, world):
    membership = Membership.objects.get()
    client.force_login(world.user("coordinator"))
    response = send(client, "post", f"/api/memberships/{membership.pk}/end", {"on": "2009-11-30"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "end"]
    response = send(client, "post", f"/api/memberships/{membership.pk}/end", {"on": "2010-06-30"})
    assert response.status_code == 200
    assert (response.json()["end"], response.json()["active"]) == ("2010-06-30", False)


def test_moving_an_end_into_a_later_membership_rolls_back(client, world):
    first = Membership.objects.get()
    first.end_on(dt.date(2010, 6, 30))
    Membership.objects.create(group=first.group, person=first.person, start=dt.date(2011, 1, 1))
    client.force_login(world.user("coordinator"))
    response = send(client, "post", f"/api/memberships/{first.pk}/end", {"on": "2011-06-30"})
    assert response.status_code == 422
    first.refresh_from_db()
    assert first.end == dt.date(2010, 6, 30)


# -- query counts -------------------------------------------------------------------------
def test_list_queries_stay_flat(client, world):
    client.force_login(world.user("national"))
    group = world.city.working_group
    urls = ["/api/people", "/api/organisations", "/api/working-groups", "/api/working-groups/a1"]
    few = [count_queries(client, url) for url in urls]
    for person in add_people(world.city, 9):
        Membership.objects.create(group=group, person=person, start=dt.date(2010, 1, 1))
        Organisation.objects.create(name_th=f"องค์กร {person.pk}", kind="ngo", city=world.city)
    for n in range(8):
        make_city(world.network, f"x{n}")
    assert [count_queries(client, url) for url in urls] == few
