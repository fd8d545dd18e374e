import pytest

from apps.assessments.models import Assessment

SQUARE = {"type": "Polygon", "coordinates": [[[100.0, 13.0], [100.02, 13.0], [100.02, 13.02],
                                              [100.0, 13.02], [100.0, 13.0]]]}
BOWTIE = {"type": "Polygon", "coordinates": [[[100.0, 13.0], [100.02, 13.02], [100.02, 13.0],
                                              [100.0, 13.02], [100.0, 13.0]]]}


@pytest.fixture
def assessment(world):
    return Assessment.objects.create(city=world.city, created_by=world.user("expert"))
