import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.core.testing import make_world
from apps.monitoring.models import Report, ReportChange
from apps.monitoring.tests.factories import make_framework, make_report

pytestmark = pytest.mark.django_db


def test_one_city_wide_report_per_period():
    world = make_world()
    fw = make_framework(world.city)
    make_report(world.city, fw["q1"])
    with pytest.raises(IntegrityError), transaction.atomic():
        make_report(world.city, fw["q1"])


def test_history_is_append_only():
    world = make_world()
    fw = make_framework(world.city)
    report = make_report(world.city, fw["q1"])
    report.submit(world.user("coordinator"))
    change = ReportChange.objects.get(report=report)
    assert (change.from_status, change.to_status) == ("draft", "submitted")
    with pytest.raises(ValidationError):
        change.save()
    with pytest.raises(ValidationError):
        change.delete()
    assert report.status == Report.Status.SUBMITTED
