"""Publishing a pilot (public visibility) from its page: the network's national coordinator,
POST only, each change in the pilot's history and the audit trail."""
import pytest
from django.urls import reverse

from apps.accounts.scope import scope_of
from apps.core import trail
from apps.core.testing import PASSWORD
from apps.pilots.models import Pilot, PilotChange
from apps.pilots.tests.test_tracking import pilot, world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_national_coordinator_publishes_and_unpublishes(client, world, pilot):
    url = reverse("pilots:publish", args=[pilot.pk])
    page = reverse("pilots:detail", args=[pilot.pk])
    assert client.get(page).status_code == 404  # unpublished: not for the public
    assert client.login(username="national", password=PASSWORD)
    assert url in client.get(page).content.decode()
    assert client.get(url).status_code == 405
    assert client.post(url, {"published": "1"}).status_code == 302
    assert Pilot.objects.get(pk=pilot.pk).published
    client.post(url, {"published": "1"})  # again: no second history row
    client.logout()
    assert client.get(page).status_code == 200  # now public
    assert reverse("pilots:publish", args=[pilot.pk]) not in client.get(page).content.decode()
    assert client.login(username="national", password=PASSWORD)
    client.post(url, {"published": "0"})
    assert not Pilot.objects.get(pk=pilot.pk).published
    history = list(PilotChange.objects.filter(pilot=pilot).values_list("action", "by__username"))
    assert history == [("publish", "national"), ("unpublish", "national")]


@pytest.mark.parametrize("user,status", [
    ("coordinator", 403), ("member", 403), ("proponent", 403), ("funder", 403),
    ("outsider", 404), ("stranger", 404), (None, 302)])
def test_others_may_not_publish(client, world, pilot, user, status):
    if user:
        assert client.login(username=user, password=PASSWORD)
    response = client.post(reverse("pilots:publish", args=[pilot.pk]), {"published": "1"})
    assert response.status_code == status
    assert not Pilot.objects.get(pk=pilot.pk).published and not PilotChange.objects.exists()
    if user in ("coordinator", "member"):
        page = client.get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
        assert reverse("pilots:publish", args=[pilot.pk]) not in page


def test_publishing_shows_in_the_audit_trail(world, pilot):
    pilot.set_published(world.user("national"), True)
    for reader, seen in (("national", True), ("coordinator", True), ("outsider", False),
                         ("stranger", False)):
        entries, _more = trail.trail(scope_of(world.user(reader)), kinds={"pilot-publication"})
        assert bool(entries) == seen
    entry, = trail.trail(scope_of(world.user("national")), kinds={"pilot-publication"})[0]
    assert entry.by == world.user("national") and entry.record == str(pilot)
    assert entry.url == reverse("pilots:detail", args=[pilot.pk])
