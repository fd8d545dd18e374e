"""The plan's rules on a city's activities: adoption, late and blocked flags, transitions."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.core.testing import make_city, make_plan
from apps.networks.models import City
from apps.plans.models import PlanActivity
from apps.progress.grid import ProgressGrid
from apps.progress.models import ActivityChange, CityActivity, Evidence, Status

pytestmark = pytest.mark.django_db


def activity(world, number, city=None):
    return CityActivity.objects.get(city=city or world.city, plan_activity__number=number)


def test_adoption_shifts_windows_to_the_network_start(world):
    network = world.network
    CityActivity.objects.filter(city__network=network).delete()
    CityActivity.objects.adopt(network, world.plan, start=dt.date(2026, 6, 1))
    first = activity(world, 1)
    # The plan's first window is December 2009; the network starts June 2026.
    assert (first.planned_start, first.planned_end) == (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    assert network.plan_start == dt.date(2026, 6, 1)


def test_partner_cities_get_only_network_wide_activities(world):
    partner = make_city(world.network, "partner", participation=City.Participation.PARTNER)
    CityActivity.objects.adopt(world.network, world.plan)
    numbers = list(partner.activities.values_list("plan_activity__number", flat=True))
    assert numbers == [2]


def test_adopting_a_new_version_keeps_progress(world, django_user_model):
    user = world.user("coordinator")
    activity(world, 1).complete(user, on=dt.date(2009, 12, 20))
    world.plan.publish()
    newer = world.plan.new_version()
    newer.publish()
    created = CityActivity.objects.adopt(world.network, newer)
    assert created == 0
    kept = activity(world, 1)
    assert kept.plan_activity.plan == newer and kept.status == Status.DONE


def test_a_new_version_copies_activities_and_prerequisites(world):
    newer = world.plan.new_version()
    assert newer.version == 2 and newer.is_editable
    assert newer.activities.count() == 4
    third = newer.activities.get(number=3)
    assert [p.number for p in third.prerequisites.all()] == [2]
    assert third.prerequisites.get().plan == newer


def test_adoption_refuses_to_drop_an_activity_with_progress(world):
    activity(world, 4).start(world.user("coordinator"), on=dt.date(2010, 3, 1))
    smaller = make_plan(code="smaller", activities=3)
    with pytest.raises(ValidationError):
        CityActivity.objects.adopt(world.network, smaller)
    assert activity(world, 4).plan_activity.plan == world.plan


def test_late_once_the_window_has_passed_and_not_finished(world):
    first = activity(world, 1)  # window: December 2009
    assert not first.is_late(today=dt.date(2009, 12, 31))
    assert first.is_late(today=dt.date(2010, 1, 1))
    first.complete(world.user("coordinator"), on=dt.date(2010, 1, 5))
    assert not first.is_late(today=dt.date(2010, 1, 6))


def test_open_ended_activities_are_never_late(world):
    fourth = activity(world, 4)
    fourth.reschedule(world.user("coordinator"), dt.date(2010, 1, 1), None)
    assert not fourth.is_late(today=dt.date(2030, 1, 1))


def test_blocked_while_a_prerequisite_is_unfinished_and_says_which(world):
    coordinator = world.user("coordinator")
    second = activity(world, 2)
    assert [a.number for a in second.blocking_prerequisites()] == [1]
    activity(world, 1).skip(coordinator, "merged with the launch")
    assert second.blocking_prerequisites() == []
    grid = ProgressGrid([world.city], world.plan, world.user("national"))
    third = grid.cell(world.city, PlanActivity.objects.get(plan=world.plan, number=3))
    assert [a.number for a in third.blocked_by] == [2]


def test_grid_and_model_agree_on_flags(world):
    today = dt.date(2010, 2, 15)
    grid = ProgressGrid([world.city], world.plan, world.user("national"), today=today)
    for cell in grid.city_cells(world.city):
        assert cell.late == cell.activity.is_late(today)
        assert [a.pk for a in cell.blocked_by] == [a.pk for a in cell.activity.blocking_prerequisites()]


def test_transitions_write_history_with_before_and_after(world):
    coordinator = world.user("coordinator")
    first = activity(world, 1)
    first.start(coordinator, on=dt.date(2009, 12, 2))
    first.complete(coordinator, on=dt.date(2009, 12, 15))
    first.reopen(coordinator)
    actions = list(first.changes.order_by("at", "id").values_list("action", flat=True))
    assert actions == ["start", "complete", "reopen"]
    complete = first.changes.get(action="complete")
    assert complete.before["status"] == "in_progress" and complete.after["status"] == "done"
    assert complete.by == coordinator


def test_invalid_transitions_are_refused_and_change_nothing(world):
    coordinator = world.user("coordinator")
    first = activity(world, 1)
    with pytest.raises(ValidationError):
        first.skip(coordinator, "   ")
    with pytest.raises(ValidationError):
        first.reopen(coordinator)
    with pytest.raises(ValidationError):
        first.complete(coordinator, on=dt.date(2009, 12, 1), started=dt.date(2009, 12, 5))
    with pytest.raises(ValidationError):
        first.reschedule(coordinator, dt.date(2010, 1, 5), dt.date(2010, 1, 1))
    first.refresh_from_db()
    assert first.status == Status.NOT_STARTED and first.changes.count() == 0


def test_database_refuses_a_skip_without_reason(world):
    first = activity(world, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CityActivity.objects.filter(pk=first.pk).update(status=Status.SKIPPED, skip_reason="")


def test_evidence_needs_its_content(world):
    first = activity(world, 1)
    with pytest.raises(ValidationError):
        Evidence(city_activity=first, kind="note", title="Minutes", text=" ").full_clean()
    with pytest.raises(ValidationError):
        Evidence(city_activity=first, kind="link", title="Page").full_clean()
    item = Evidence(city_activity=first, kind="note", title="Minutes", text="12 people")
    item.full_clean()
    item.record(world.user("coordinator"))
    assert ActivityChange.objects.filter(city_activity=first, action="evidence").exists()


def test_visibility_follows_publication_and_scope(world):
    first = activity(world, 1)
    assert not CityActivity.objects.visible_to(world.user("outsider")).filter(pk=first.pk).exists()
    assert CityActivity.objects.visible_to(world.user("member")).filter(pk=first.pk).exists()
    assert CityActivity.objects.visible_to(world.user("national")).filter(pk=first.pk).exists()
    assert not CityActivity.objects.visible_to(world.user("stranger")).filter(pk=first.pk).exists()
    first.set_published(world.user("coordinator"), True)
    from django.contrib.auth.models import AnonymousUser
    assert CityActivity.objects.visible_to(AnonymousUser()).filter(pk=first.pk).exists()
    assert not CityActivity.objects.editable_by(world.user("member")).filter(pk=first.pk).exists()
    assert CityActivity.objects.editable_by(world.user("coordinator")).filter(pk=first.pk).exists()


def test_readoption_moves_planned_dates_but_keeps_hand_rescheduled_ones(world):
    coordinator = world.user("coordinator")
    activity(world, 2).reschedule(coordinator, dt.date(2010, 2, 1), dt.date(2010, 2, 10))
    CityActivity.objects.adopt(world.network, world.plan, start=dt.date(2026, 6, 1))
    assert activity(world, 1).planned_start == dt.date(2026, 6, 1)
    assert activity(world, 2).planned_start == dt.date(2010, 2, 1)


def test_window_ends_keep_the_end_of_the_month_when_shifted(world):
    from apps.progress.models import shift_end

    assert shift_end(dt.date(2009, 12, 31), 8) == dt.date(2010, 8, 31)
    assert shift_end(dt.date(2010, 6, 30), 1) == dt.date(2010, 7, 31)
    assert shift_end(dt.date(2010, 3, 12), 1) == dt.date(2010, 4, 12)
    CityActivity.objects.adopt(world.network, world.plan, start=dt.date(2010, 7, 1))
    assert activity(world, 1).planned_end == dt.date(2010, 7, 31)  # Dec 31 moved by 7 months
