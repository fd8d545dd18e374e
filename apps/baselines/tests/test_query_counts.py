"""The baseline page, the dashboard and the list endpoint keep a flat number of queries as
disasters, normals, share rows and cities with baselines grow."""
import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.baselines.models import BaselineProfile, EconomicSector, LandUse, PastDisaster
from apps.baselines.tests.conftest import complete_profile
from apps.core.testing import PASSWORD, make_city

pytestmark = pytest.mark.django_db
_names = itertools.count()


def grow(world, profile, size):
    for n in range(size):
        PastDisaster.objects.create(profile=profile, date=dt.date(1990 + n % 30, 1 + n % 12, 1),
                                    hazard="flood", people_affected=n, deaths=1)
        EconomicSector.objects.create(profile=profile, name_en=f"Sector {next(_names)}", share=1)
        LandUse.objects.create(profile=profile, category="other", share=1)
        city = make_city(world.network, f"grown-{next(_names)}")
        complete_profile(city, published=n % 2 == 0)


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


URLS = ["/c/a1/baseline/", "/n/net-a/", "/api/baselines", "/api/baselines/a1", "/c/a1/"]


@pytest.mark.parametrize("persona", ["coordinator", "national", None])
@pytest.mark.parametrize("url", URLS)
def test_query_counts_stay_flat(client, world, profile, persona, url):
    if persona:
        client.login(username=persona, password=PASSWORD)
    else:
        BaselineProfile.objects.filter(pk=profile.pk).update(published=True)
    grow(world, profile, 2)
    small = count(client, url)
    grow(world, profile, 8)
    large = count(client, url)
    assert large == small, f"{url}: {small} queries with few rows, {large} with many"
