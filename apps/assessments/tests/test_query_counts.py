"""The assessment's pages, the city page panel and the API keep a flat number of queries as
ratings, groups, areas and layers grow."""
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.assessments.models import (
    AreaExposure, Assessment, ExposureLayer, HazardTrend, Projection, RiskArea, RiskRating,
    ScopeGroup, ScopeHazard, ScopeSystem, UrbanSystem, VulnerabilityRating,
)
from apps.assessments.tests.conftest import SQUARE
from apps.core.testing import PASSWORD
from apps.dialogues.models import Hazard

pytestmark = pytest.mark.django_db
_n = itertools.count()


def grow(assessment, size):
    hazards, systems = list(Hazard.values), list(UrbanSystem.values)
    layer = ExposureLayer.objects.create(assessment=assessment, name=f"ชั้น {next(_n)}",
                                         kind="population", attribute="pop",
                                         features={"type": "FeatureCollection", "features": []})
    for _ in range(size):
        n = next(_n)
        hazard, system = hazards[n % len(hazards)], systems[(n // len(hazards)) % len(systems)]
        ScopeHazard.objects.get_or_create(assessment=assessment, hazard=hazard)
        ScopeSystem.objects.get_or_create(assessment=assessment, system=system)
        RiskRating.objects.get_or_create(assessment=assessment, hazard=hazard, system=system,
                                         defaults={"likelihood": 1 + n % 5,
                                                   "consequence": 1 + n % 4,
                                                   "justification_th": "x"})
        group = ScopeGroup.objects.create(assessment=assessment, name_th=f"กลุ่ม {n}")
        VulnerabilityRating.objects.create(assessment=assessment, group=group, exposure=3,
                                           sensitivity=3, capacity_agents=2,
                                           capacity_institutions=2, characteristics=["learning"])
        area = RiskArea.objects.create(assessment=assessment, name_th=f"พื้นที่ {n}",
                                       hazard=hazard, geometry=SQUARE)
        area.groups.add(group)
        AreaExposure.objects.create(area=area, layer=layer, value=n)
        trend, _created = HazardTrend.objects.get_or_create(
            assessment=assessment, hazard=hazard, defaults={"current_th": "ตอนนี้"})
        Projection.objects.create(trend=trend, horizon=2050, scenario="SSP2-4.5",
                                  change_th="เพิ่ม", source="x")


PAGES = ["overview", "risks", "vulnerability", "areas", "areas-geojson"]


def counts(client, world):
    found = {}
    for name in PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"assessments:{name}", args=[world.city.slug])
                              ).status_code == 200
        found[name] = len(queries)
    for path in ("/api/assessments", f"/api/assessments/{world.city.slug}"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        found[path] = len(queries)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("networks:city", args=[world.city.slug]))
    found["city page"] = len(queries)
    return found


def test_counts_do_not_grow_with_the_data(client, world):
    assessment = Assessment.objects.create(city=world.city)
    for city in (world.other_city, world.far_city):
        Assessment.objects.create(city=city, published=True)
    assert client.login(username="expert", password=PASSWORD)
    grow(assessment, 3)
    small = counts(client, world)
    grow(assessment, 12)
    assert counts(client, world) == small
