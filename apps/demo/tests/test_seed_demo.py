import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.utils import timezone
from shapely.geometry import Point, shape

from apps.accounts.models import RoleAssignment
from apps.core.geo import clean_polygon
from apps.demo.people_data import PASSWORD
from apps.networks.models import City, Network
from apps.people.models import Membership, Organisation, Person, WorkingGroup
from apps.plans.models import PlanActivity, PlanTemplate
from apps.progress.grid import ProgressGrid
from apps.progress.models import ActivityChange, CityActivity, Evidence, Status

THAI_CITIES = ("chiang-rai", "hat-yai", "udon-thani")


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    seed()


def row_counts():
    models = [
        PlanTemplate, PlanActivity, PlanActivity.prerequisites.through, Network, City,
        Organisation, Person, WorkingGroup, Membership, get_user_model(), RoleAssignment,
        CityActivity, CityActivity.organisations.through, ActivityChange, Evidence,
    ]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_running_twice_duplicates_nothing():
    seed()
    first = row_counts()
    output = seed()
    assert row_counts() == first
    assert "demo-pass-2553" in output


@pytest.mark.django_db
def test_if_empty_leaves_an_existing_network_alone():
    Network.objects.create(slug="other", name_th="อื่น", name_en="Other")
    assert "not loaded" in seed("--if-empty")
    assert not PlanTemplate.objects.exists()
    assert Network.objects.count() == 1


@pytest.mark.django_db
def test_if_empty_loads_into_an_empty_database():
    seed("--if-empty")
    assert Network.objects.get().slug == "acccrn-thailand"


def test_plan_follows_the_seed(seeded):
    plan = PlanTemplate.objects.get(code="acccrn-th-phase2", version=1)
    assert plan.status == PlanTemplate.Status.PUBLISHED
    assert plan.reference_start == dt.date(2009, 12, 1)
    activities = {a.number: a for a in plan.activities.all()}
    assert sorted(activities) == list(range(1, 16))
    caps = {n: a.participant_cap for n, a in activities.items() if a.participant_cap}
    assert caps == {2: 80, 3: 50, 9: 50, 10: 50}
    assert {n: a.cap_per_city for n, a in activities.items() if a.cap_per_city} == {6: 2}
    assert [n for n, a in activities.items() if a.network_wide] == [6]
    assert activities[3].leads == ["municipality", "working_group", "tei"]
    assert activities[10].leads == ["working_group", "funder", "tei"]
    assert activities[6].leads == ["iset"]
    assert activities[6].location_en == "Bangkok"
    assert activities[11].window_end is None and activities[13].window_end is None
    assert activities[6].window_start == dt.date(2010, 3, 9)
    needs = {n: sorted(p.number for p in a.prerequisites.all()) for n, a in activities.items()}
    assert needs[7] == [5]
    assert needs[12] == [8, 10]
    assert needs[4] == [1, 3]
    assert needs[1] == []


def test_thai_texts_are_clean(seeded):
    for activity in PlanActivity.objects.all():
        assert "\n" not in activity.name_th and "(" not in activity.name_th
        assert "กิกรรม" not in activity.description_th
        assert activity.description_en and activity.outputs_th and activity.outputs_en
        # One bullet per line in both languages.
        assert (len(activity.outputs_th.splitlines())
                == len(activity.outputs_en.splitlines()))


def test_cities_get_their_activities(seeded):
    for city in City.objects.all():
        numbers = sorted(CityActivity.objects.filter(city=city)
                         .values_list("plan_activity__number", flat=True))
        if city.slug in THAI_CITIES:
            assert city.is_programme and numbers == list(range(1, 16))
        else:
            assert not city.is_programme and numbers == [6]
    assert City.objects.filter(participation=City.Participation.PARTNER).count() == 8


def test_udon_thani_shows_late_and_blocked_work(seeded):
    network = Network.objects.get(slug="acccrn-thailand")
    udon = City.objects.get(slug="udon-thani")
    grid = ProgressGrid([udon], network.plan, get_user_model().objects.get(username="tei"))
    cells = {cell.activity.number: cell for cell in grid.city_cells(udon)}
    assert cells[3].late and cells[3].status == Status.NOT_STARTED
    assert cells[4].blocked
    assert cells[6].status == Status.SKIPPED
    assert "น้ำท่วม" in cells[6].activity.skip_reason


def test_progress_matches_the_story(seeded):
    def statuses(slug):
        return dict(CityActivity.objects.filter(city__slug=slug)
                    .values_list("plan_activity__number", "status"))

    chiang_rai = statuses("chiang-rai")
    assert all(chiang_rai[n] == Status.DONE for n in range(1, 10))
    assert chiang_rai[10] == Status.IN_PROGRESS
    hat_yai = statuses("hat-yai")
    assert {n for n, s in hat_yai.items() if s == Status.DONE} == {1, 2, 3, 4, 6}
    assert {n for n, s in hat_yai.items() if s == Status.IN_PROGRESS} == {5, 8}
    partners = CityActivity.objects.filter(city__participation=City.Participation.PARTNER)
    assert set(partners.values_list("status", flat=True)) == {Status.DONE}
    done = CityActivity.objects.filter(status=Status.DONE)
    assert done.filter(published=True).count() > done.filter(published=False).count() > 0
    assert not done.filter(evidence__isnull=True).exists()


def test_nothing_is_dated_in_the_future(seeded):
    today = timezone.localdate()
    for activity in CityActivity.objects.exclude(actual_start=None):
        assert activity.actual_start <= today
        assert activity.actual_end is None or activity.actual_start <= activity.actual_end <= today


@pytest.mark.django_db
@pytest.mark.parametrize("today", [dt.date(2025, 7, 1), dt.date(2024, 3, 1), dt.date(2026, 1, 31)])
def test_story_dates_stay_in_the_past_whatever_the_day(monkeypatch, today):
    # Even loaded on the 1st of a month after a short February, no date needs clamping.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: today)
    # The clock as a whole moves, so meetings seeded "in 12 days" agree with the story.
    moment = dt.datetime.combine(today, dt.time(9), tzinfo=dt.timezone.utc)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    seed()
    last = max(max(filter(None, (a.actual_start, a.actual_end)))
               for a in CityActivity.objects.exclude(actual_start=None))
    assert last < today


def test_working_groups_have_the_planned_sizes(seeded):
    counts = dict(WorkingGroup.objects.with_active_count()
                  .filter(city__slug__in=THAI_CITIES).values_list("city__slug", "active_count"))
    assert counts == {"chiang-rai": 12, "hat-yai": 13, "udon-thani": 8}
    assert WorkingGroup.size_warning(counts["udon-thani"])
    chiang_rai = WorkingGroup.objects.get(city__slug="chiang-rai")
    assert chiang_rai.memberships.exclude(end=None).count() == 1
    assert chiang_rai.published and not WorkingGroup.objects.get(city__slug="udon-thani").published
    for slug in THAI_CITIES:
        roles = sorted(Membership.objects.active().filter(group__city__slug=slug)
                       .values_list("role", flat=True))
        assert roles.count("chair") == 1 and roles.count("secretary") == 1


def test_people_belong_to_their_city_organisations(seeded):
    # Workshop representatives of partner cities come without an organisation on record.
    for person in Person.objects.exclude(organisation=None).select_related("organisation"):
        assert person.organisation.city_id == person.city_id
        assert person.email.endswith("@example.org")
    assert Person.objects.get(user__username="member").city.slug == "chiang-rai"


def test_boundaries_are_valid_and_around_the_centre(seeded):
    for city in City.objects.all():
        assert clean_polygon(city.boundary) == city.boundary
        centre = Point(float(city.longitude), float(city.latitude))
        assert shape(city.boundary).contains(centre)


def test_every_demo_user_can_log_in(seeded):
    users = get_user_model().objects.all()
    # One per role, admin, six Chiang Rai voters for SLDs, three more proponents to its call.
    assert users.count() == 18
    for user in users:
        assert authenticate(username=user.username, password=PASSWORD) == user
    roles = dict(RoleAssignment.objects.values_list("user__username", "role"))
    assert roles["tei"] == "national_coordinator"
    assert roles["funder"] == "funder_reviewer"
    assert roles["udon"] == "city_coordinator"
    assert roles["cr-agency-mfu"] == "proponent"
    assert get_user_model().objects.get(username="admin").is_superuser
    assert not get_user_model().objects.get(username="tei").is_staff


@pytest.mark.django_db
def test_the_national_coordinator_maintains_the_demo_plan(client):
    call_command("seed_demo", verbosity=0)
    plan = PlanTemplate.objects.get(code="acccrn-th-phase2")
    client.login(username="tei", password=PASSWORD)
    response = client.post(f"/plans/{plan.pk}/new-version/")
    assert response.status_code == 302
    assert PlanTemplate.objects.filter(code="acccrn-th-phase2", version=2, status="draft").exists()
