import pytest
from django.core.exceptions import ValidationError

from apps.core.geo import clean_polygon

SQUARE = {"type": "Polygon", "coordinates": [[[99.8, 19.9], [99.9, 19.9], [99.9, 20.0], [99.8, 20.0], [99.8, 19.9]]]}
BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


def test_a_valid_polygon_and_a_feature_wrapping_it_pass():
    assert clean_polygon(SQUARE) == SQUARE
    assert clean_polygon({"type": "Feature", "geometry": SQUARE, "properties": {}}) == SQUARE


def test_a_self_intersecting_polygon_says_where():
    with pytest.raises(ValidationError) as error:
        clean_polygon(BOWTIE)
    assert "Self-intersection[0.5 0.5]" in error.value.messages[0]


@pytest.mark.parametrize("value", [
    "{not json", {"type": "Point", "coordinates": [1, 2]},
    {"type": "Polygon", "coordinates": [[[0, 0], [1]]]},
    {"type": "Polygon", "coordinates": [[[500, 0], [501, 0], [501, 1], [500, 0]]]},
])
def test_malformed_boundaries_are_refused(value):
    with pytest.raises(ValidationError):
        clean_polygon(value)
