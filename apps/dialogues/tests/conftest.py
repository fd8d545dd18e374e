import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from apps.accounts.models import Role, RoleAssignment
from apps.core.testing import PASSWORD
from apps.dialogues.models import Dialogue, DialogueItem, ItemKind
from apps.people.models import Membership, Person
from apps.plans.models import ActivityKind, PlanActivity
from apps.progress.models import CityActivity

HELD = dt.date(2010, 2, 20)


def make_sld(world, number=3):
    """Make plan activity `number` an SLD (it is SLD 1 when it is the first) and return the
    city activities of it in the personas' city."""
    PlanActivity.objects.filter(plan=world.plan, number=number).update(kind=ActivityKind.SLD)
    return CityActivity.objects.get(city=world.city, plan_activity__number=number)


def make_dialogue(world, city=None, number=3, published=False, **values):
    PlanActivity.objects.filter(plan=world.plan, number=number).update(kind=ActivityKind.SLD)
    activity = CityActivity.objects.get(city=city or world.city, plan_activity__number=number)
    return Dialogue.objects.create(city_activity=activity, date=HELD, published=published,
                                   summary_th="สรุปการประชุม", **values)


def add_items(dialogue, kind, *texts):
    start = dialogue.items.count()
    return [DialogueItem.objects.create(dialogue=dialogue, kind=kind, text_th=text,
                                        order=start + n) for n, text in enumerate(texts)]


def make_member(world, name, city=None, start=dt.date(2009, 12, 1), end=None, account=True):
    """A person in the city's working group; with an account (role: working-group member)
    linked to the person when `account`."""
    city = city or world.city
    user = None
    if account:
        user = get_user_model().objects.create_user(name, f"{name}@example.org", PASSWORD)
        RoleAssignment.objects.create(user=user, role=Role.WORKING_GROUP_MEMBER, city=city)
    person = Person.objects.create(full_name_th=f"สมาชิก {name}", city=city, user=user)
    Membership.objects.create(group=city.working_group, person=person, start=start, end=end)
    return person


def member_person(world):
    """The `member` persona's own Person (a working-group member since December 2009)."""
    return Person.objects.get(user=world.user("member"))


@pytest.fixture
def dialogue(world):
    return make_dialogue(world)


@pytest.fixture
def needs(dialogue):
    return add_items(dialogue, ItemKind.NEED, "ระบบเตือนภัยน้ำท่วม", "ฟื้นฟูพื้นที่ชุ่มน้ำ",
                     "ถังเก็บน้ำฝนในโรงเรียน")
