"""The read-only pilots API: progress and flags as on the pages, the pages' visibility."""
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.testing import PASSWORD, make_world
from apps.pilots.models import Expense, Milestone, PilotComponent
from apps.pilots.tests.test_pages import approved_pilots
from apps.pilots.tests.test_tracking import bulk_pilots

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def test_pilot_detail_and_list_carry_progress_and_flags(client, world):
    pilot, = approved_pilots(world)
    component = PilotComponent.objects.create(pilot=pilot, title_th="ก", weight=2)
    Milestone.objects.create(component=component, title_th="ข", percent=40,
                             planned_end=dt.date(2010, 1, 1))
    line = pilot.budget_lines.get(item="เครื่องวัดระดับน้ำ")
    Expense(line=line, amount=Decimal("90000"), date=dt.date(2010, 1, 1),
            description="x").record(None)
    client.login(username="proponent", password=PASSWORD)
    body = client.get(f"/api/pilots/{pilot.pk}").json()
    assert body["progress"] == 40.0 and body["overspent"] and body["overdue"]
    assert body["components"][0]["milestones"][0]["percent"] == 40
    spent = {row["item"]: Decimal(str(row["spent"])) for row in body["budget_lines"]}
    assert spent["เครื่องวัดระดับน้ำ"] == Decimal("90000")
    items = client.get("/api/pilots").json()["items"]
    assert [item["id"] for item in items] == [pilot.pk]
    client.login(username="stranger", password=PASSWORD)
    assert client.get(f"/api/pilots/{pilot.pk}").status_code == 404
    assert client.get("/api/pilots").json()["items"] == []


def test_pilot_list_keeps_a_flat_query_count(client, world):
    client.login(username="national", password=PASSWORD)
    counts = []
    for n, offset in ((5, 0), (45, 5)):
        bulk_pilots(world, n, offset)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/pilots?limit=100")
        assert response.status_code == 200
        counts.append(len(queries))
    assert response.json()["count"] == 50
    assert counts[0] == counts[1], counts
