import pytest

from apps.progress.models import CityActivity


@pytest.mark.django_db
def test_adoption_gives_programme_cities_every_activity(world):
    assert CityActivity.objects.filter(city=world.city).count() == 4
    assert CityActivity.objects.filter(city=world.far_city).count() == 4
