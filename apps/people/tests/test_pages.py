import datetime as dt

import pytest

from apps.core.testing import PASSWORD
from apps.people.models import Membership, Organisation, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client, world):
    client.login(username="coordinator", password=PASSWORD)
    return client


def test_add_person_and_member_through_the_pages(coordinator, world):
    response = coordinator.post("/c/a1/people/", {
        "full_name_th": "สมหญิง ใจดี", "full_name_en": "Somying Jaidee",
        "organisation": world.organisation.pk, "sector": "water", "gender": "female",
        "email": "somying@example.org"})
    assert response.status_code == 302
    person = Person.objects.get(full_name_th="สมหญิง ใจดี")
    assert person.city == world.city
    response = coordinator.post("/c/a1/working-group/members/", {
        "person": person.pk, "role": "secretary", "start": "01/01/2553"})
    assert response.status_code == 302
    assert Membership.objects.get(person=person).start == dt.date(2010, 1, 1)


def test_duplicate_active_member_gets_a_message_and_nothing_saved(coordinator, world):
    person = Person.objects.get(user=world.user("member"))
    response = coordinator.post("/c/a1/working-group/members/", {
        "person": person.pk, "role": "member", "start": "01/01/2010"},
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "already a member" in response.content.decode()
    assert Membership.objects.filter(person=person).count() == 1


def test_a_person_of_another_city_cannot_be_added(coordinator, world):
    other = Person.objects.create(full_name_th="คนอื่น", city=world.other_city)
    response = coordinator.post("/c/a1/working-group/members/", {
        "person": other.pk, "role": "member", "start": "01/01/2553"})
    assert response.status_code == 200
    assert not Membership.objects.filter(person=other).exists()


def test_ending_a_membership(coordinator, world):
    membership = Membership.objects.get(person__user=world.user("member"))
    coordinator.post(f"/memberships/{membership.pk}/end/", {"end": "30/06/2553"})
    membership.refresh_from_db()
    assert membership.end == dt.date(2010, 6, 30)


def test_end_before_start_is_refused(coordinator, world):
    membership = Membership.objects.get(person__user=world.user("member"))
    coordinator.post(f"/memberships/{membership.pk}/end/", {"end": "30/06/2550"})
    membership.refresh_from_db()
    assert membership.end is None


def test_outsider_cannot_end_or_see_another_citys_memberships(client, world):
    client.login(username="outsider", password=PASSWORD)
    membership = Membership.objects.get(person__user=world.user("member"))
    assert client.post(f"/memberships/{membership.pk}/end/", {"end": "30/06/2553"}).status_code == 404
    assert client.get("/c/a1/people/").status_code == 404
    assert client.get("/c/a1/working-group/").status_code == 404


def test_published_group_hides_contacts_from_other_cities(client, world):
    world.city.working_group.published = True
    world.city.working_group.save()
    client.login(username="outsider", password=PASSWORD)
    response = client.get("/c/a1/working-group/")
    assert response.status_code == 200
    assert "member@example.org" not in response.content.decode()
    assert response.context["show_contacts"] is False


def test_organisation_form_offers_only_editable_cities(coordinator, world):
    response = coordinator.post("/organisations/", {
        "name_th": "มูลนิธิ", "kind": "ngo", "city": world.other_city.pk})
    assert response.status_code == 200
    assert not Organisation.objects.filter(name_th="มูลนิธิ").exists()
    coordinator.post("/organisations/", {"name_th": "มูลนิธิ", "kind": "ngo", "city": world.city.pk})
    assert Organisation.objects.get(name_th="มูลนิธิ").city == world.city


def test_member_cannot_add_people(client, world):
    client.login(username="member", password=PASSWORD)
    assert client.post("/c/a1/people/", {"full_name_th": "x", "gender": "male"}).status_code == 403
