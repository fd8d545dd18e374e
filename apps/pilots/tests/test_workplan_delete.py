"""Deleting workplan components and milestones: a confirm step, POST only, those who edit the
workplan, refused once the pilot is closed; the progress roll-up follows."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.testing import PASSWORD
from apps.pilots.models import Milestone, Pilot, PilotComponent
from apps.pilots.tests.test_tracking import annotated, milestone, pilot, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def workplan(pilot):
    a = PilotComponent.objects.create(pilot=pilot, title_th="ติดตั้งเครื่องวัด", weight=1)
    b = PilotComponent.objects.create(pilot=pilot, title_th="อบรมอาสาสมัคร", weight=1)
    return {"a": a, "b": b, "done": milestone(a, 100), "zero": milestone(a, 0),
            "half": milestone(b, 50)}


def test_deleting_a_milestone_after_confirming_recomputes_progress(client, pilot, workplan):
    assert annotated(pilot).progress == pytest.approx(50.0)  # a: 50, b: 50
    url = reverse("pilots:milestone-delete", args=[workplan["zero"].pk])
    assert client.login(username="coordinator", password=PASSWORD)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "Delete the milestone" in page.content.decode()
    assert Milestone.objects.filter(pk=workplan["zero"].pk).exists()  # the GET changed nothing
    assert client.post(url).status_code == 302
    assert not Milestone.objects.filter(pk=workplan["zero"].pk).exists()
    assert annotated(pilot).progress == pytest.approx(75.0)  # a: 100, b: 50


def test_the_pilot_team_deletes_a_component_with_its_milestones(client, pilot, workplan):
    url = reverse("pilots:component-delete", args=[workplan["b"].pk])
    assert client.login(username="proponent", password=PASSWORD)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Its 1 milestone is deleted with it" in page
    assert client.post(url).status_code == 302
    assert not Milestone.objects.filter(pk=workplan["half"].pk).exists()
    assert annotated(pilot).progress == pytest.approx(50.0)  # a alone: (100 + 0) / 2


@pytest.mark.parametrize("user,status", [("member", 403), ("expert", 403), ("outsider", 404),
                                         ("stranger", 404), (None, 302)])
def test_others_may_not_delete(client, pilot, workplan, user, status):
    if user:
        assert client.login(username=user, password=PASSWORD)
    for name, key in (("pilots:milestone-delete", "done"), ("pilots:component-delete", "a")):
        url = reverse(name, args=[workplan[key].pk])
        assert client.post(url).status_code == status
    assert Milestone.objects.count() == 3 and PilotComponent.objects.count() == 2


@pytest.mark.parametrize("closed", [Pilot.Status.DONE, Pilot.Status.CANCELLED])
def test_a_closed_pilots_workplan_is_kept(client, pilot, workplan, closed):
    Pilot.objects.filter(pk=pilot.pk).update(status=closed)
    assert client.login(username="coordinator", password=PASSWORD)
    url = reverse("pilots:milestone-delete", args=[workplan["done"].pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "its workplan can no longer be changed" in page and 'btn danger' not in page
    response = client.post(url, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "its workplan can no longer be changed" in response.content.decode()
    client.post(reverse("pilots:component-delete", args=[workplan["a"].pk]))
    assert Milestone.objects.count() == 3 and PilotComponent.objects.count() == 2
    workplan["a"].pilot.refresh_from_db()
    with pytest.raises(ValidationError):
        workplan["a"].remove()
    workplan_page = client.get(reverse("pilots:workplan", args=[pilot.pk])).content.decode()
    assert reverse("pilots:milestone-delete", args=[workplan["done"].pk]) not in workplan_page


def test_delete_links_on_the_workplan_for_writers_only(client, pilot, workplan):
    delete_url = reverse("pilots:component-delete", args=[workplan["a"].pk])
    page = reverse("pilots:workplan", args=[pilot.pk])
    assert client.login(username="member", password=PASSWORD)
    assert delete_url not in client.get(page).content.decode()
    assert client.login(username="coordinator", password=PASSWORD)
    assert delete_url in client.get(page).content.decode()
