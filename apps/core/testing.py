"""A small programme world for tests: two networks, cities, a 4-activity plan, personas.

Personas follow the roles of the brief: `national` (coordinator of network A), `coordinator`
(city coordinator of city A1), `member` (working-group member of A1), `expert` (A1),
`proponent` (A1), `funder` (network A), `outsider` (coordinator of city A2, same network),
`stranger` (national coordinator of network B), and anonymous visitors.
"""
import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from apps.accounts.models import Role, RoleAssignment
from apps.networks.models import City, Network
from apps.people.models import Membership, Organisation, Person, WorkingGroup
from apps.plans.models import ActivityKind, PlanActivity, PlanTemplate
from apps.progress.models import CityActivity

PASSWORD = "correct-horse-battery-staple"


@dataclass
class World:
    network: Network
    other_network: Network
    plan: PlanTemplate
    city: City  # A1: the personas' own city
    other_city: City  # A2: same network, another city
    far_city: City  # B1: another network
    users: dict
    organisation: Organisation

    def user(self, name):
        return self.users[name]


def make_plan(code="test-plan", activities=4, reference=dt.date(2009, 12, 1)):
    """A published plan whose activity n needs activity n-1 and runs in month n."""
    plan = PlanTemplate.objects.create(
        code=code, name_th="แผนทดสอบ", name_en="Test plan", reference_start=reference,
        status=PlanTemplate.Status.PUBLISHED,
    )
    previous = None
    for number in range(1, activities + 1):
        start = dt.date(reference.year + (reference.month + number - 2) // 12,
                        (reference.month + number - 2) % 12 + 1, 1)
        end = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1) - dt.timedelta(days=1)
        activity = PlanActivity.objects.create(
            plan=plan, number=number, kind=ActivityKind.EVENT,
            name_th=f"กิจกรรม {number}", name_en=f"Activity {number}",
            window_start=start, window_end=end, leads=["municipality"],
            network_wide=(number == 2),
        )
        if previous:
            activity.prerequisites.add(previous)
        previous = activity
    return plan


def make_city(network, slug, participation=City.Participation.PROGRAMME, country="TH"):
    city = City.objects.create(
        network=network, slug=slug, name_th=f"เมือง {slug}", name_en=f"City {slug}",
        country=country, population=100_000, participation=participation,
    )
    WorkingGroup.objects.create(city=city)
    return city


def make_world(start=dt.date(2009, 12, 1)):
    User = get_user_model()
    network = Network.objects.create(slug="net-a", name_th="เครือข่าย เอ", name_en="Network A")
    other_network = Network.objects.create(slug="net-b", name_th="เครือข่าย บี", name_en="Network B")
    plan = make_plan()
    city = make_city(network, "a1")
    other_city = make_city(network, "a2")
    far_city = make_city(other_network, "b1")
    for net in (network, other_network):
        CityActivity.objects.adopt(net, plan, start=start)
    organisation = Organisation.objects.create(
        name_th="เทศบาลเมืองเอหนึ่ง", name_en="A1 Municipality", kind="government", city=city
    )
    roles = {
        "national": (Role.NATIONAL_COORDINATOR, network, None),
        "coordinator": (Role.CITY_COORDINATOR, None, city),
        "member": (Role.WORKING_GROUP_MEMBER, None, city),
        "expert": (Role.EXPERT, None, city),
        "proponent": (Role.PROPONENT, None, city),
        "funder": (Role.FUNDER_REVIEWER, network, None),
        "outsider": (Role.CITY_COORDINATOR, None, other_city),
        "stranger": (Role.NATIONAL_COORDINATOR, other_network, None),
    }
    users = {}
    for name, (role, net, c) in roles.items():
        user = User.objects.create_user(name, f"{name}@example.org", PASSWORD)
        RoleAssignment.objects.create(user=user, role=role, network=net, city=c)
        users[name] = user
    member_person = Person.objects.create(
        full_name_th="สมาชิก ทดสอบ", full_name_en="Member Test", city=city,
        organisation=organisation, gender="female", user=users["member"],
    )
    Membership.objects.create(group=city.working_group, person=member_person,
                              start=dt.date(2009, 12, 1))
    return World(network, other_network, plan, city, other_city, far_city, users, organisation)
