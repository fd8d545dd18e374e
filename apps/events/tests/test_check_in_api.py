"""The API's check-in takes the participant's self-declared vulnerable group, as the check-in
page does: a known group, "" to withdraw it, left out to keep it; anything else is refused
with a message naming the field, and then nobody is checked in either."""
import pytest

from apps.events.models import Registration
from apps.events.tests.conftest import make_event, make_people
from apps.events.tests.test_api import auth, post
from apps.events.tests.test_pages import running

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(world, launch_activity):
    registration = running(launch_activity).register(make_people(world.city, 1)[0])
    return f"/api/registrations/{registration.pk}/check-in"


def current():
    return Registration.objects.values_list("checked_in_at", "vulnerable_group").get()


def test_checking_in_records_the_declared_group(client, world, url):
    headers = auth(world, "coordinator")
    done = post(client, url, headers, {"vulnerable_group": "older"})
    assert done.status_code == 200 and done.json()["vulnerable_group"] == "older"
    assert current()[0] is not None
    post(client, url, headers, {"checked_in": True})  # left out: kept
    assert current()[1] == "older"
    changed = post(client, url, headers, {"vulnerable_group": "minority"})  # already in
    assert changed.status_code == 200 and current()[1] == "minority"
    post(client, url, headers, {"vulnerable_group": ""})  # withdrawn, still checked in
    checked_in_at, group = current()
    assert checked_in_at is not None and group == ""


def test_an_unknown_group_is_refused_naming_the_field(client, world, url):
    response = post(client, url, auth(world, "coordinator"), {"vulnerable_group": "royalty"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"][0]["loc"] == ["body", "vulnerable_group"]
    assert "vulnerable_group" in body["message"] and "royalty" in body["message"]
    assert "disability" in body["message"]  # the accepted values
    assert current() == (None, "")  # nothing half done


def test_a_refused_check_in_keeps_no_declaration(client, world, launch_activity):
    # Before the day, check-in is closed: the declaration sent with it is not kept either.
    registration = make_event(launch_activity).register(make_people(world.city, 1)[0])
    response = post(client, f"/api/registrations/{registration.pk}/check-in",
                    auth(world, "coordinator"), {"vulnerable_group": "disability"})
    assert response.status_code == 422
    assert current() == (None, "")


def test_only_the_organisers_declare_through_it(client, world, url):
    response = post(client, url, auth(world, "member"), {"vulnerable_group": "older"})
    assert response.status_code == 403 and current() == (None, "")
