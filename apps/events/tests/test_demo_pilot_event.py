"""The demo links a held event of Chiang Rai to its early-warning pilot, with attendance and a
few self-declared vulnerable groups, so the pilot's page lists it and its vulnerable-group
participants indicator has a value; loading again changes nothing."""
import pytest
from django.core.management import call_command

from apps.events.models import Event, Registration
from apps.monitoring.models import Indicator, Value

pytestmark = pytest.mark.django_db


def snapshot():
    return (Event.objects.count(), Registration.objects.count(),
            sorted(Registration.objects.exclude(vulnerable_group="")
                   .values_list("pk", "vulnerable_group")),
            sorted(Value.objects.values_list("indicator__code", "category", "number")))


def test_the_pilot_has_its_training_with_declared_groups(client):
    call_command("seed_demo", verbosity=0)
    event = Event.objects.get(pilot__isnull=False)
    pilot = event.pilot
    assert event.status == "held" and pilot.city.slug == "chiang-rai"
    assert event.city_activity.city_id == pilot.city_id
    stats = event.attendance_stats()
    assert stats["total"] == 24
    groups = {row["value"]: row["count"] for row in stats["vulnerable_group"] if row["value"]}
    assert sum(groups.values()) == 8 and len(groups) >= 4  # a few, varied

    vulnerable = Indicator.objects.get(pilot=pilot, source="vulnerable")
    totals = Value.objects.filter(indicator=vulnerable, category="")
    assert 8 in {int(v.number) for v in totals}
    # reported and approved: the pilot's progress shows it
    assert 8 in {int(v.number) for v in Value.objects.approved().filter(
        indicator=vulnerable, category="")}
    assert Value.objects.filter(indicator=vulnerable, category="กลุ่มเปราะบาง:ผู้สูงอายุ",
                                number=3).exists()

    page = client.get(f"/pilots/{pilot.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and event.title_en in page.content.decode()

    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first
