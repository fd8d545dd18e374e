"""The demo events load on top of the demo network, and loading them again changes nothing."""
import pytest
from django.core import mail
from django.core.management import call_command

from apps.events.demo import seed_events
from apps.events.models import Event, EventChange, Invitation, Registration
from apps.networks.models import Network
from apps.progress.models import Evidence

pytestmark = pytest.mark.django_db


def snapshot():
    return (Event.objects.count(), Registration.objects.count(), Invitation.objects.count(),
            EventChange.objects.count(), Evidence.objects.count(),
            list(Registration.objects.order_by("pk").values_list("status", "checked_in_at")))


def test_seed_events_is_realistic_and_idempotent(django_capture_on_commit_callbacks):
    call_command("seed_demo", verbosity=0)
    network = Network.objects.get(slug="acccrn-thailand")
    with django_capture_on_commit_callbacks(execute=True):
        seed_events(network)
    assert mail.outbox == []  # the demo writes to nobody
    first = snapshot()
    seed_events(network)
    assert snapshot() == first

    launch = Event.objects.get(city_activity__city__slug="chiang-rai",
                               city_activity__plan_activity__number=2)
    assert launch.status == "held" and launch.registrations.confirmed().count() == 78
    assert launch.attendance_stats()["total"] == 76
    assert launch.city_activity.evidence.filter(title__contains=launch.title_th).exists()

    seminar = Event.objects.get(city_activity__city__slug="hat-yai")
    assert seminar.status == "scheduled" and seminar.is_open()
    assert (seminar.registrations.confirmed().count(),
            seminar.registrations.waitlisted().count()) == (50, 6)
    assert set(seminar.invitations.values_list("status", flat=True)) == {
        "accepted", "declined", "pending"}

    workshop = Event.objects.get(network=network)
    assert workshop.language == "en" and workshop.cap_per_city == 2
    per_city = {row["label"]: row["count"] for row in workshop.attendance_stats()["city"]}
    assert len(per_city) == 10 and set(per_city.values()) == {2}
    assert Evidence.objects.filter(city_activity__plan_activity__number=6,
                                   city_activity__city__slug="surat",
                                   title__contains=workshop.title_en).exists()
