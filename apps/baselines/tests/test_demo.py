import pytest

from apps.baselines.demo import seed_baselines
from apps.baselines.models import BaselineProfile
from apps.core.testing import make_city

pytestmark = pytest.mark.django_db


def test_the_demo_baselines_are_realistic_and_safe_to_seed_twice(world):
    for slug in ("chiang-rai", "hat-yai", "udon-thani"):
        make_city(world.network, slug)
    seed_baselines(world.network)
    profiles = {p.city.slug: p for p in BaselineProfile.objects.with_checks()
                .select_related("city")}
    percents = {slug: p.completeness.percent for slug, p in profiles.items()}
    assert percents["chiang-rai"] >= 90 > percents["hat-yai"] > percents["udon-thani"] > 0
    hat_yai = profiles["hat-yai"]
    assert [d.date.year for d in hat_yai.disasters.all()] == [1988, 2000, 2010]
    assert "Demo data" in profiles["chiang-rai"].sources_en
    profiles["udon-thani"].households = 40000
    profiles["udon-thani"].save()
    seed_baselines(world.network)
    assert BaselineProfile.objects.count() == 3
    assert BaselineProfile.objects.get(city__slug="udon-thani").households == 40000
