"""The pilot project page and the city page's pilots panel."""
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.assessments.models import ScopeGroup
from apps.core.testing import PASSWORD, make_world
from apps.events.models import Event
from apps.pilots.models import Pilot
from apps.progress.models import CityActivity
from apps.proposals.models import BudgetLine, ProposalIndicator, decide
from apps.proposals.testing import (
    make_call, make_evaluator, make_organisation, make_proposal, score_all,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def approved_pilots(world, n=1):
    call = make_call(world.city, open=False, quota=max(n, 1))
    org = make_organisation(world.city, "มูลนิธิชุมชน")
    proposals = [make_proposal(call, world.user("proponent"), org, title=f"ระบบเตือนภัย {i}")
                 for i in range(n)]
    for p in proposals:
        BudgetLine.objects.create(proposal=p, item="เครื่องวัดระดับน้ำ", amount=Decimal("80000"),
                                  cofunding=Decimal("20000"), cofunder="เทศบาล")
        ProposalIndicator.objects.create(proposal=p, name="เวลาเตือนล่วงหน้า", unit="ชั่วโมง",
                                         baseline="0", target="6")
        group = ScopeGroup.objects.get(assessment__city=world.city)
        p.groups.add(group)
    evaluator = make_evaluator(call, world.user("expert"))
    score_all(evaluator, {p.pk: 4 for p in proposals})
    activity = CityActivity.objects.filter(city=world.city).first()
    start = timezone.now() - dt.timedelta(days=1)
    event = Event(city_activity=activity, title_th="ประชุมคัดเลือก", starts_at=start,
                  ends_at=start + dt.timedelta(hours=2))
    event.create(None)
    call.record_shortlist(world.user("coordinator"), event, proposals)
    for p in proposals:
        decide(p, world.user("funder"), "approved", budget=Decimal("150000"),
               conditions_th="รายงานความก้าวหน้าทุกไตรมาส")
    return [p.pilot for p in proposals]


def test_pilot_page_carries_risks_budget_and_indicators(client, world):
    pilot, = approved_pilots(world)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.login(username="member", password=PASSWORD)
    response = client.get(reverse("pilots:detail", args=[pilot.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "ระบบเตือนภัย 0" in content and "150,000" in content
    assert "รายงานความก้าวหน้าทุกไตรมาส" in content
    assert "Flood" in content  # the risk carried from the proposal
    assert "ชุมชนริมน้ำ" in content  # the target group
    assert "เครื่องวัดระดับน้ำ" in content and "80,000" in content and "20,000" in content
    assert "เวลาเตือนล่วงหน้า" in content and ">6<" in content
    # A member does not read the proposal dossier: no link.
    assert reverse("proposals:proposal", args=[pilot.proposal_id]) not in content
    client.login(username="coordinator", password=PASSWORD)
    content = client.get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    assert reverse("proposals:proposal", args=[pilot.proposal_id]) in content


def test_unpublished_pilot_is_the_citys_then_public(client, world):
    pilot, = approved_pilots(world)
    url = reverse("pilots:detail", args=[pilot.pk])
    assert client.get(url).status_code == 404
    client.login(username="outsider", password=PASSWORD)
    assert client.get(url).status_code == 404
    Pilot.objects.filter(pk=pilot.pk).update(published=True)
    client.logout()
    assert client.get(url).status_code == 200


def test_city_panel_lists_the_pilots_in_constant_queries(client, world, rf):
    from apps.pilots.panels import city_panel

    request = rf.get("/")
    request.user = world.user("coordinator")
    assert city_panel(request, world.city) is None
    counts = []
    for n in (1, 4):
        approved_pilots(world, n)
        request = rf.get("/")
        request.user = world.user("coordinator")
        with CaptureQueriesContext(connection) as queries:
            panel = city_panel(request, world.city)
            from django.template.loader import render_to_string
            render_to_string("pilots/city_panel.html", {"panel": panel, "city": world.city})
        counts.append(len(queries))
    assert len(panel["pilots"]) == 5
    assert counts[0] == counts[1], counts
    client.login(username="coordinator", password=PASSWORD)
    content = client.get(reverse("networks:city", args=[world.city.slug])).content.decode()
    assert reverse("pilots:detail", args=[panel["pilots"][0].pk]) in content
