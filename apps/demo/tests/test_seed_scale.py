"""`manage.py seed_scale`: what each generated city holds, top-ups and reruns, and that its
pages render. Small N: the load benchmark (benchmarks/load.py) runs it at N = 2,500."""
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from apps.assessments.models import Assessment, RiskRating
from apps.demo.scale import FIXED_STAGES, MEETINGS, chart_url, counts_for
from apps.events.models import Event, Registration
from apps.monitoring.models import Indicator, Period, Report, Value
from apps.networks.models import City, Network
from apps.people.models import Membership, Organisation, Person
from apps.pilots.models import Pilot
from apps.practices.models import Practice
from apps.progress.models import FINISHED, CityActivity, Status
from apps.proposals.models import Call, Decision, Evaluator, Proposal, Score, Shortlist


def seed(cities, slug="scale"):
    out = StringIO()
    call_command("seed_scale", cities=cities, network_slug=slug, stdout=out)
    return out.getvalue()


def all_counts():
    """Rows of every model of the project, so a rerun that adds anything anywhere shows."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()
            if model._meta.app_label in {"auth", "accounts", "networks", "people", "progress",
                                         "events", "assessments", "proposals", "plans"}}


@pytest.fixture
def seeded(db):
    return seed(3)


@pytest.mark.django_db
def test_each_city_holds_the_rows_its_stage_calls_for(seeded):
    network = Network.objects.get(slug="scale")
    cities = list(network.cities.order_by("slug"))
    assert [c.slug for c in cities] == ["scale-00001", "scale-00002", "scale-00003"]
    for index, city in enumerate(cities, 1):
        activities = CityActivity.objects.filter(city=city)
        stage = activities.filter(status__in=FINISHED).count()
        assert stage == FIXED_STAGES[index]
        expected = counts_for(stage)
        assert activities.count() == expected["activities"] == 15
        # Finished in plan order; the next one is under way; the rest have not started.
        assert set(activities.filter(status__in=FINISHED)
                   .values_list("plan_activity__number", flat=True)) == set(range(1, stage + 1))
        assert activities.filter(status=Status.IN_PROGRESS).count() == expected["in_progress"]
        assert Organisation.objects.filter(city=city).count() == expected["organisations"]
        members = Membership.objects.filter(group__city=city).count()
        assert 10 <= members <= 15
        assert 40 <= Person.objects.filter(city=city).count() <= 75
        meetings = Event.objects.filter(city_activity__city=city)
        skipped = activities.filter(status=Status.SKIPPED,
                                    plan_activity__number__in=MEETINGS).count()
        assert meetings.count() == expected["meetings_at_most"] - skipped
        for event in meetings:
            registrations = event.registrations.all()
            # The whole working group comes to every meeting, within the meeting's places.
            assert members <= registrations.count() <= event.capacity
            assert event.last_position == registrations.count()
            if event.status == Event.Status.HELD:
                assert registrations.filter(checked_in_at__isnull=False).exists()
            else:
                assert event.status == Event.Status.SCHEDULED
                assert not registrations.filter(checked_in_at__isnull=False).exists()
        assert Assessment.objects.filter(city=city).count() == expected["assessments"]
        if expected["assessments"]:
            assert 6 <= RiskRating.objects.filter(assessment__city=city).count() <= 10
        assert Call.objects.filter(city=city).count() == expected["calls"]
        assert Proposal.objects.filter(call__city=city).count() == expected["proposals"]
        assert Evaluator.objects.filter(call__city=city).count() == expected["evaluators"]
        assert Score.objects.filter(proposal__call__city=city).count() == expected["scores"]
        assert Shortlist.objects.filter(call__city=city).count() == expected["shortlists"]
        assert Decision.objects.filter(proposal__call__city=city).count() == expected["decisions"]
        pilots = Pilot.objects.filter(city=city)
        assert pilots.count() == expected["pilots"]
        assert all(p.decision.outcome == "approved" and p.decision.proposal_id == p.proposal_id
                   for p in pilots)
        assert Indicator.objects.filter(city=city).count() == expected["me_indicators"]
        quarters = Period.objects.filter(city=city).count()
        assert (quarters >= 8) == bool(expected["me_indicators"])  # several years of quarters
        assert Report.objects.filter(city=city).count() == quarters * expected[
            "reports_per_quarter"]
        assert Value.objects.filter(report__city=city).count() == quarters * expected[
            "values_per_quarter"]
        practices = Practice.objects.filter(city=city, status=Practice.Status.PUBLISHED)
        assert practices.count() == expected["practices"]
        assert all(p.pilot is None or p.pilot.city_id == city.pk for p in practices)


@pytest.mark.django_db
def test_the_library_finds_generated_practices_in_thai(seeded):
    """The practices are indexed as save() would index them: a Thai word inside a longer
    phrase is found, as a visitor's search would find it."""
    found = Practice.objects.published().search("ความเสี่ยง")
    assert found.filter(city__slug="scale-00001").exists()


@pytest.mark.django_db
def test_rows_obey_the_rules_the_model_methods_keep(seeded):
    # What RiskRating.save() and the event registration rules would have written.
    for risk in RiskRating.objects.all():
        assert risk.score == risk.likelihood * risk.consequence
    assert not Registration.objects.filter(status=Registration.Status.WAITLISTED).exists()
    # The frozen ranking of a shortlist names real proposals of its call.
    shortlist = Shortlist.objects.get(call__city__slug="scale-00001")
    ranked = [row["proposal"] for row in shortlist.ranking]
    assert set(ranked) == set(shortlist.call.proposals.eligible().values_list("pk", flat=True))
    # Disaggregated values add up to their total, as the entry form requires; only the latest
    # quarter still waits for review.
    for report in Report.objects.filter(city__slug="scale-00001", pilot=None):
        cells = {v.category: v.number for v in report.values.filter(indicator__code="TRAINED")}
        assert cells[""] == cells["gender:women"] + cells["gender:men"]
    latest = Period.objects.filter(city__slug="scale-00001").order_by("-start").first()
    assert set(Report.objects.filter(city__slug="scale-00001").values_list(
        "period", "status").distinct()) >= {(latest.pk, "submitted")}
    assert not Report.objects.filter(city__slug="scale-00001", status="submitted").exclude(
        period=latest).exists()
    # The national coordinator's and the funder's accounts cannot be logged in to.
    assert not get_user_model().objects.get(username="scale-coordinator").has_usable_password()


@pytest.mark.django_db
def test_running_twice_adds_nothing_and_a_larger_n_tops_up(seeded):
    first = all_counts()
    people = list(Person.objects.filter(city__slug="scale-00003").order_by("pk")
                  .values_list("pk", "full_name_en", "gender"))
    assert "0 rows inserted" in seed(3)
    assert all_counts() == first
    seed(4)
    assert City.objects.filter(network__slug="scale").count() == 4
    assert all_counts()["networks.City"] == first["networks.City"] + 1
    # The top-up left the cities it found alone.
    assert list(Person.objects.filter(city__slug="scale-00003").order_by("pk")
                .values_list("pk", "full_name_en", "gender")) == people


@pytest.mark.django_db
def test_a_bad_count_is_refused(db):
    with pytest.raises(CommandError):
        seed(0)


@pytest.mark.django_db
def test_the_pages_of_a_seeded_city_render(seeded, client):
    client.force_login(get_user_model().objects.get(username="scale-coordinator"))
    call = Call.objects.get(city__slug="scale-00001")
    for url in [
        reverse("networks:dashboard", kwargs={"slug": "scale"}),
        reverse("networks:city", kwargs={"slug": "scale-00001"}),
        reverse("progress:activity", kwargs={"slug": "scale-00001", "number": 12}),
        reverse("networks:city", kwargs={"slug": "scale-00003"}),
        reverse("proposals:ranking", kwargs={"pk": call.pk}),
        reverse("proposals:call", kwargs={"pk": call.pk}),
        chart_url(City.objects.get(slug="scale-00001")),
        reverse("monitoring:progress", kwargs={"slug": "scale-00001"}),
        reverse("pilots:detail", kwargs={"pk": Pilot.objects.filter(
            city__slug="scale-00001").first().pk}),
        reverse("pilots:overview", kwargs={"slug": "scale"}),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
