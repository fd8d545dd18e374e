"""Risk areas drawn, uploaded and overlaid with population layers: what each area exposes."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.assessments.models import AreaExposure, RiskArea
from apps.assessments.tests.conftest import BOWTIE, SQUARE
from apps.core.testing import PASSWORD

pytestmark = pytest.mark.django_db

WEST = {"type": "Polygon", "coordinates": [[[100.0, 13.0], [100.01, 13.0], [100.01, 13.01],
                                            [100.0, 13.01], [100.0, 13.0]]]}
EAST = {"type": "Polygon", "coordinates": [[[100.03, 13.0], [100.04, 13.0], [100.04, 13.01],
                                            [100.03, 13.01], [100.03, 13.0]]]}


def expert(client):
    assert client.login(username="expert", password=PASSWORD)
    return client


def url(name, world):
    return reverse(f"assessments:{name}", args=[world.city.slug])


def geojson_file(features, name="areas.geojson"):
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": g, "properties": p} for g, p in features]}
    return SimpleUploadedFile(name, json.dumps(collection).encode(), "application/geo+json")


def points(*rows):
    return [({"type": "Point", "coordinates": [x, y]}, {"pop": pop}) for x, y, pop in rows]


def test_a_drawn_area_is_saved_with_its_groups(client, world, assessment):
    group = assessment.groups.create(name_th="ชุมชนริมน้ำ")
    response = expert(client).post(url("draw-area", world), {
        "name_th": "ชุมชนริมกก", "hazard": "flood", "geometry": json.dumps(SQUARE),
        "groups": [group.pk]})
    assert response.status_code == 302
    area = RiskArea.objects.get()
    assert (area.source, area.geometry["type"], list(area.groups.all())) == (
        "drawn", "Polygon", [group])


def test_a_self_intersecting_drawing_is_repaired_into_a_valid_shape(client, world, assessment):
    expert(client).post(url("draw-area", world), {
        "name_th": "โบว์", "hazard": "flood", "geometry": json.dumps(BOWTIE)})
    area = RiskArea.objects.get()
    from shapely.geometry import shape

    assert shape(area.geometry).is_valid and area.geometry["type"] == "MultiPolygon"


def test_a_drawing_that_is_not_a_shape_is_refused_and_nothing_saved(client, world, assessment):
    response = expert(client).post(url("draw-area", world), {
        "name_th": "เส้น", "hazard": "flood",
        "geometry": json.dumps({"type": "LineString", "coordinates": [[100, 13], [100.1, 13]]})},
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "The drawn shape must be a GeoJSON geometry" in response.content.decode()
    assert not RiskArea.objects.exists()


def test_uploaded_areas_take_their_names_and_population_is_counted(client, world, assessment):
    expert(client)
    response = client.post(url("upload-areas", world), {
        "hazard": "flood", "name_attribute": "name",
        "file": geojson_file([(WEST, {"name": "ตะวันตก"}), (EAST, {"name": "ตะวันออก"})])})
    assert response.status_code == 302
    assert sorted(RiskArea.objects.values_list("name_th", "source")) == [
        ("ตะวันตก", "uploaded"), ("ตะวันออก", "uploaded")]
    # Three people-points in the west, one in the east, one outside both.
    response = client.post(url("upload-layer", world), {
        "name": "ประชากร 2563", "kind": "population", "attribute": "pop", "unit": "คน",
        "file": geojson_file(points((100.005, 13.005, 120), (100.002, 13.001, 30),
                                    (100.009, 13.009, 50), (100.035, 13.005, 400),
                                    (100.025, 13.005, 999)), "people.geojson")})
    assert response.status_code == 302
    exposed = dict(AreaExposure.objects.values_list("area__name_th", "value"))
    assert exposed == {"ตะวันตก": 200, "ตะวันออก": 400}
    # An area added afterwards is counted against the layer already there.
    client.post(url("draw-area", world), {"name_th": "ทั้งหมด", "hazard": "flood",
                                          "geometry": json.dumps(SQUARE)})
    assert AreaExposure.objects.get(area__name_th="ทั้งหมด").value == 200
    page = client.get(url("areas", world)).content.decode()
    assert "ประชากร 2563" in page and "ตะวันตก" in page


def test_a_file_that_is_not_what_its_name_says_is_refused(client, world, assessment):
    response = expert(client).post(url("upload-areas", world), {
        "hazard": "flood", "file": SimpleUploadedFile("areas.geojson", b"\x89PNG\r\n\x1a\n....")},
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["upload_form"].errors["file"]
    assert not RiskArea.objects.exists()


def test_a_layer_without_the_attribute_is_refused_naming_it(client, world, assessment):
    RiskArea.objects.create(assessment=assessment, name_th="ก", hazard="flood", geometry=WEST)
    response = expert(client).post(url("upload-layer", world), {
        "name": "ประชากร", "kind": "population", "attribute": "people",
        "file": geojson_file(points((100.005, 13.005, 120)), "people.geojson")},
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "people" in " ".join(response.context["layer_form"].errors["attribute"])
    assert not AreaExposure.objects.exists()
    from apps.assessments.models import ExposureLayer

    assert not ExposureLayer.objects.exists()


def test_the_areas_geojson_feeds_the_map(client, world, assessment):
    RiskArea.objects.create(assessment=assessment, name_th="ก", hazard="flood", geometry=WEST)
    data = expert(client).get(url("areas-geojson", world)).json()
    assert data["features"][0]["geometry"] == WEST
    assert data["features"][0]["properties"]["hazard"] == "flood"
