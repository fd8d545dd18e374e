import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.people.models import Membership, Person, WorkingGroup

pytestmark = pytest.mark.django_db


def add_people(city, count, start=dt.date(2009, 12, 1)):
    for i in range(count):
        person = Person.objects.create(full_name_th=f"คน {i}", city=city)
        Membership.objects.create(group=city.working_group, person=person, start=start)


@pytest.mark.parametrize("count,warns", [(9, True), (10, False), (15, False), (16, True)])
def test_size_warning_outside_ten_to_fifteen(count, warns):
    assert bool(WorkingGroup.size_warning(count)) is warns


def test_active_count_respects_start_and_end_dates(world):
    add_people(world.city, 9)  # plus the member from the world: 10
    ended = Person.objects.create(full_name_th="อดีต", city=world.city)
    Membership.objects.create(group=world.city.working_group, person=ended,
                              start=dt.date(2009, 12, 1), end=dt.date(2010, 6, 30))
    on = dt.date(2011, 1, 1)
    group = WorkingGroup.objects.with_active_count(on).get(pk=world.city.working_group.pk)
    assert group.active_count == 10
    assert group.active_memberships(on).count() == 10
    assert WorkingGroup.objects.with_active_count(dt.date(2010, 1, 1)).get(
        pk=group.pk).active_count == 11


def test_the_same_person_cannot_be_an_active_member_twice(world):
    person = world.city.working_group.memberships.get().person
    duplicate = Membership(group=world.city.working_group, person=person, start=dt.date(2011, 1, 1))
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "person" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()  # the database refuses it too


def test_a_person_may_rejoin_after_their_membership_ended(world):
    membership = world.city.working_group.memberships.get()
    membership.end_on(dt.date(2010, 6, 30))
    again = Membership(group=membership.group, person=membership.person, start=dt.date(2010, 7, 1))
    again.full_clean()
    again.save()
    overlapping = Membership(group=membership.group, person=membership.person,
                             start=dt.date(2010, 6, 1), end=dt.date(2010, 6, 15))
    with pytest.raises(ValidationError):
        overlapping.full_clean()


def test_end_before_start_and_people_of_another_city_are_refused(world):
    membership = world.city.working_group.memberships.get()
    with pytest.raises(ValidationError):
        membership.end_on(dt.date(2009, 1, 1))
    stranger = Person.objects.create(full_name_th="ต่างเมือง", city=world.other_city)
    with pytest.raises(ValidationError) as error:
        Membership(group=world.city.working_group, person=stranger,
                   start=dt.date(2010, 1, 1)).full_clean()
    assert "person" in error.value.message_dict


def test_people_are_visible_only_inside_the_city_scope(world):
    person = Person.objects.get(user=world.user("member"))
    for name, sees in [("coordinator", True), ("member", True), ("national", True),
                       ("outsider", False), ("stranger", False), ("funder", False),
                       ("proponent", False)]:
        assert Person.objects.visible_to(world.user(name)).filter(pk=person.pk).exists() is sees, name


def test_moving_an_end_date_cannot_overlap_a_later_membership(world):
    membership = world.city.working_group.memberships.get()
    membership.end_on(dt.date(2010, 6, 30))
    Membership.objects.create(group=membership.group, person=membership.person,
                              start=dt.date(2010, 7, 1))
    with pytest.raises(ValidationError):
        membership.end_on(dt.date(2010, 12, 31))
    membership.refresh_from_db()
    assert membership.end == dt.date(2010, 6, 30)
