"""The audit trail page (accounts:audit, apps/core/trail.py): the apps' append-only logs in
one timeline; a coordinator sees their cities only; memberships and roles are logged by every
path that changes them; nothing in a log can be changed."""
import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment, RoleChange
from apps.assessments.models import Assessment, AssessmentChange
from apps.core import trail
from apps.core.testing import PASSWORD
from apps.people.models import Membership, MembershipChange, Person
from apps.progress.models import ActivityChange, CityActivity

URL = "/accounts/audit/"
pytestmark = pytest.mark.django_db


def page(client, username, query="", status=200):
    client.logout()
    assert client.login(username=username, password=PASSWORD)
    response = client.get(URL + query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status
    return response.content.decode() if status == 200 else response


def activity_change(city, by, marker, at=None):
    activity = CityActivity.objects.get(city=city, plan_activity__number=1)
    return ActivityChange.objects.create(city_activity=activity, by=by, action="reschedule",
                                         before={"note": "old"}, after={"note": marker},
                                         **({"at": at} if at else {}))


@pytest.fixture
def logs(world):
    """One marked entry per city: own (A1), sibling (A2, same network), foreign (B1)."""
    activity_change(world.city, world.user("coordinator"), "marker-own")
    activity_change(world.other_city, world.user("outsider"), "marker-sibling")
    assessment = Assessment.objects.create(city=world.far_city)
    assessment.log(world.user("stranger"), AssessmentChange.Action.EDIT, "marker-foreign")
    return world


def test_a_city_coordinator_sees_their_city_only(client, logs):
    text = page(client, "coordinator")
    assert "marker-own" in text
    assert "marker-sibling" not in text and "marker-foreign" not in text
    text = page(client, "outsider")
    assert "marker-sibling" in text and "marker-own" not in text


def test_a_national_coordinator_sees_their_network_and_a_superuser_everything(client, logs):
    from django.contrib.auth import get_user_model

    text = page(client, "national")
    assert "marker-own" in text and "marker-sibling" in text
    assert "marker-foreign" not in text
    text = page(client, "stranger")
    assert "marker-foreign" in text and "marker-own" not in text
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    text = page(client, "root")
    assert all(f"marker-{t}" in text for t in ("own", "sibling", "foreign"))


@pytest.mark.parametrize("username", ["member", "expert", "proponent", "funder"])
def test_readers_without_a_coordinating_role_are_refused(client, logs, username):
    page(client, username, status=403)


def test_asking_for_another_city_is_not_found(client, logs):
    page(client, "coordinator", "?city=a2", status=404)
    page(client, "coordinator", "?city=b1", status=404)
    text = page(client, "national", "?city=a2")
    assert "marker-sibling" in text and "marker-own" not in text


def test_filters_by_kind_user_and_dates(client, logs):
    world = logs
    old = timezone.now() - dt.timedelta(days=40)
    activity_change(world.city, world.user("national"), "marker-old", at=old)
    Assessment.objects.create(city=world.city).log(world.user("expert"),
                                                   AssessmentChange.Action.EDIT, "marker-assess")
    text = page(client, "national", "?kind=assessments")
    assert "marker-assess" in text and "marker-own" not in text
    text = page(client, "national", "?user=expert")
    assert "marker-assess" in text and "marker-own" not in text
    text = page(client, "national", "?user=nobody-such")
    assert "No changes match." in text
    day = timezone.localtime(old).date()
    text = page(client, "national", f"?since={day:%d/%m/%Y}&until={day:%d/%m/%Y}")
    assert "marker-old" in text and "marker-own" not in text
    text = page(client, "national", f"?since={day + dt.timedelta(days=1):%d/%m/%Y}")
    assert "marker-old" not in text and "marker-own" in text


def test_entries_come_newest_first_across_logs_and_page(client, world):
    now = timezone.now()
    for i in range(trail.PAGE_SIZE + 5):
        activity_change(world.city, world.user("coordinator"), f"entry-{i:03d}",
                        at=now - dt.timedelta(minutes=2 * i))
    assessment = Assessment.objects.create(city=world.city)
    change = AssessmentChange.objects.create(assessment=assessment, action="edit",
                                             detail="entry-between", by=world.user("coordinator"),
                                             at=now - dt.timedelta(minutes=3))
    text = page(client, "coordinator", "?user=coordinator")  # not the world's own role grants
    order = re.findall(r"entry-(\d{3}|between)", text)
    assert order[:4] == ["000", "001", "between", "002"]  # merged by time
    assert len(order) == trail.PAGE_SIZE
    assert "page=2" in text
    text = page(client, "coordinator", "?user=coordinator&page=2")
    assert re.findall(r"entry-(\d{3}|between)", text) == [
        f"{i:03d}" for i in range(trail.PAGE_SIZE - 1, trail.PAGE_SIZE + 5)]
    assert change.detail not in text


def test_the_query_count_stays_flat(client, world):
    def count():
        client.logout()
        client.login(username="national", password=PASSWORD)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    activity_change(world.city, world.user("coordinator"), "one")
    small = count()
    for i in range(40):
        activity_change(world.city if i % 2 else world.other_city, world.user("coordinator"),
                        f"many-{i}")
        Assessment.objects.get_or_create(city=world.city)[0].log(
            world.user("expert"), AssessmentChange.Action.EDIT, f"a-{i}")
    assert count() == small
    assert small <= 4 + len(trail.SOURCES) + 2  # session, user, scope, cities + one per log


# -- memberships and roles are audited by every path that changes them ------------------------
def test_memberships_added_and_ended_in_the_app_are_logged(client, world):
    person = Person.objects.create(full_name_th="คนใหม่", full_name_en="New Member",
                                   city=world.city)
    client.login(username="coordinator", password=PASSWORD)
    response = client.post(reverse("people:add-member", args=[world.city.slug]),
                           {"person": person.pk, "role": "member", "start": "01/01/2553"})
    assert response.status_code == 302
    membership = Membership.objects.get(person=person)
    response = client.post(reverse("people:end-membership", args=[membership.pk]),
                           {"end": "01/01/2556"})
    assert response.status_code == 302
    added, ended = MembershipChange.objects.filter(person=person).order_by("pk")
    assert (added.action, added.by, added.city) == ("add", world.user("coordinator"), world.city)
    assert (ended.action, ended.before, ended.after) == (
        "change", {"end": None}, {"end": "2013-01-01"})
    text = page(client, "coordinator", "?kind=memberships")
    assert "New Member" in text and "Member added" in text and "end: 2013-01-01" in text


def test_an_erased_persons_name_leaves_the_membership_log_too(client, world):
    from apps.people.privacy import erase

    person = Person.objects.get(user=world.user("member"))
    erase(person, world.user("coordinator"), "Request by email")
    text = page(client, "coordinator")
    assert "Member Test" not in text
    assert f"Erased person #{person.pk}" in text
    assert "Personal data erased" in text and "Role taken away" in text


def test_role_changes_are_logged_with_who_made_them(client, world):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("newcomer", "n@example.org", PASSWORD)
    admin = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client.force_login(admin)
    response = client.post("/admin/accounts/roleassignment/add/", {
        "user": user.pk, "role": Role.CITY_COORDINATOR, "city": world.city.pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    assignment = RoleAssignment.objects.get(user=user)
    response = client.post(f"/admin/accounts/roleassignment/{assignment.pk}/delete/",
                           {"post": "yes"})
    assert response.status_code == 302
    granted, revoked = RoleChange.objects.filter(user=user).order_by("pk")
    assert (granted.action, granted.by, granted.city) == ("grant", admin, world.city)
    assert (revoked.action, revoked.by, revoked.role) == ("revoke", admin, "city_coordinator")
    text = page(client, "coordinator", "?kind=roles")
    assert "newcomer" in text and "Role given" in text and "Role taken away" in text
    # A change of city seen from the other city's coordinator: only the side they own.
    moved = RoleAssignment.objects.create(user=user, role=Role.EXPERT, city=world.city)
    moved.city = world.other_city
    moved.save()
    change = RoleChange.objects.filter(user=user, action="change").get()
    assert change.before == {"role": "expert", "network": None, "city": world.city.pk}
    assert "Role changed" in page(client, "outsider", "?kind=roles")


def test_deleting_a_user_keeps_the_log_and_does_not_fail(world):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("leaver", "l@example.org", PASSWORD)
    RoleAssignment.objects.create(user=user, role=Role.EXPERT, city=world.city)
    user.delete()
    assert RoleChange.objects.filter(action="revoke", role="expert").exists()


# -- nothing in a log can be changed ----------------------------------------------------------
def test_logs_refuse_changes_and_deletion(world):
    change = activity_change(world.city, world.user("coordinator"), "fixed")
    role_change = RoleChange.objects.first()
    membership_change = MembershipChange.objects.first()
    assert role_change is not None and membership_change is not None  # the world's own
    for row in (change, role_change, membership_change):
        with pytest.raises(ValidationError):
            row.save()
        with pytest.raises(ValidationError):
            row.delete()


def test_the_admin_shows_the_logs_read_only(client, world):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client.force_login(admin)
    row = RoleChange.objects.first()
    assert client.get("/admin/accounts/rolechange/").status_code == 200
    assert client.post(f"/admin/accounts/rolechange/{row.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    assert client.get("/admin/people/membershipchange/add/").status_code == 403
    assert RoleChange.objects.filter(pk=row.pk).exists()


def test_the_account_security_page_links_the_trail_for_its_readers(client, world):
    client.login(username="coordinator", password=PASSWORD)
    text = client.get("/accounts/security/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{URL}"' in text
    client.login(username="member", password=PASSWORD)
    text = client.get("/accounts/security/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{URL}"' not in text


def test_indicator_approvals_evaluations_and_practices_are_in_the_trail_of_their_city(
        client, world):
    """The logs of the apps added with issue 6 read like the others, scoped the same way."""
    from apps.evaluations.models import EvaluationChange
    from apps.evaluations.tests.conftest import make_evaluation
    from apps.monitoring.tests.factories import make_framework, make_report
    from apps.practices.models import PracticeChange
    from apps.practices.tests.helpers import make_practice

    coordinator = world.user("coordinator")
    report = make_report(world.city, make_framework(world.city)["q1"])
    report.submit(coordinator)
    report.return_(coordinator, "marker-returned: check the women's count")
    make_evaluation(world.city, title_th="marker-evaluation").changes.create(
        by=coordinator, action=EvaluationChange.Action.SIGN, note="marker-signed")
    PracticeChange.objects.create(practice=make_practice(world.far_city, title_th="marker-far"),
                                  action=PracticeChange.Action.PUBLISHED,
                                  by=world.user("stranger"))

    text = page(client, "coordinator")
    assert "marker-returned: check the women&#x27;s count" in text
    assert "Returned for revision" in text or "Returned" in text
    assert "marker-evaluation" in text and "marker-signed" in text
    assert "marker-far" not in text  # another network's practice
    assert "marker-far" in page(client, "stranger")
    only = page(client, "coordinator", "?kind=monitoring")
    assert "marker-returned" in only and "marker-evaluation" not in only
