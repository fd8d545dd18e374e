import pytest

from apps.core.testing import make_city
from apps.networks.models import Network
from apps.practices.demo import seed_practices
from apps.practices.models import Practice

pytestmark = pytest.mark.django_db


def test_demo_practices_are_seeded_once():
    network = Network.objects.create(slug="demo", name_th="เครือข่าย", name_en="Network")
    for slug in ("chiang-rai", "hat-yai", "udon-thani", "semarang", "da-nang"):
        make_city(network, slug)
    seed_practices(network)
    seed_practices(network)
    assert Practice.objects.count() == 7
    published = Practice.objects.published()
    assert published.count() == 6 and published.values("city").distinct().count() == 5
    assert Practice.objects.filter(status="draft").count() == 1
    assert list(Practice.objects.search("ความเสี่ยง").values_list("city__slug", flat=True)) == [
        "hat-yai"]
