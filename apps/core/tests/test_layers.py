"""Reading uploaded spatial layers: formats, safety checks, reprojection, repair, exposure.

Every test file is made here, in tmp_path, with pyogrio's raw writer or zipfile, so each test
shows exactly what the user uploaded.
"""
import ast
import io
import json
import re
import tempfile
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pyogrio.raw
import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile
from pyproj import Transformer
from shapely.geometry import Point, Polygon, box

from apps.core import layers
from apps.core.layers import (LayerError, exposure, read_geojson_geometry, read_layer,
                              to_geojson)


@pytest.fixture(autouse=True)
def english():
    """The rules are checked on the English messages (the msgids); Thai is checked below."""
    from django.utils import translation

    with translation.override("en"):
        yield


UTM47 = "EPSG:32647"
# A 1 km square in UTM 47N on the zone's central meridian (99 E), near Nakhon Sawan.
UTM_SQUARE = box(500000, 1700000, 501000, 1701000)
BOWTIE = Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
SQUARE = box(99.8, 19.9, 99.9, 20.0)


def write(path, geometries, crs="EPSG:4326", layer=None, append=False, geometry_type=None,
          encoding=None, **columns):
    """Write a layer with pyogrio's raw writer: geometries are shapely or WKB (or None)."""
    wkb = np.array([g if isinstance(g, (bytes, type(None))) else shapely.to_wkb(g)
                    for g in geometries], dtype=object)
    if geometry_type is None:
        kinds = {shapely.from_wkb(g).geom_type for g in wkb if g is not None}
        geometry_type = kinds.pop() if len(kinds) == 1 else "Unknown"
    fields = list(columns)
    data = [np.asarray(v) if np.asarray(v).dtype.kind in "fiubM" else np.array(v, dtype=object)
            for v in columns.values()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "crs was not provided": some tests mean it
        pyogrio.raw.write(str(path), wkb, data, fields, geometry_type=geometry_type, crs=crs,
                          layer=layer, append=append, encoding=encoding)
    return Path(path)


def upload(path, name=None):
    path = Path(path)
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def geojson(features, name="areas.geojson", **extra):
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geometry}
        for geometry, props in features], **extra}
    return SimpleUploadedFile(name, json.dumps(collection).encode())


def zip_of(tmp_path, members, name="layer.zip"):
    """A ZIP archive of {name inside the archive: bytes or a path to copy}."""
    target = tmp_path / name
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for inside, content in members.items():
            archive.writestr(inside, content.read_bytes() if isinstance(content, Path)
                             else content)
    return target


def shapefile(tmp_path, geometries, crs=UTM47, stem="zones", folder="", **columns):
    """A zipped Shapefile; `folder` puts it in a sub-folder of the archive like many tools do."""
    out = tmp_path / f"shp-{stem}"
    out.mkdir(exist_ok=True)
    write(out / f"{stem}.shp", geometries, crs=crs, **columns)
    return {folder + p.name: p for p in sorted(out.iterdir())}


def messages(error):
    return "\n".join(error.value.messages)


# --- formats -------------------------------------------------------------------------------

def test_a_geojson_polygon_layer_is_read_in_wgs84_with_its_attributes():
    layer = read_layer(geojson([(to_geojson(SQUARE), {"name": "Ban Mai", "pop": 120})]))
    assert layer.format == "geojson" and layer.source_crs == "EPSG:4326"
    assert layer.layer_name == "areas" and layer.warnings == []
    [feature] = layer.features
    assert feature.number == 1 and not feature.repaired and feature.note == ""
    assert feature.properties == {"name": "Ban Mai", "pop": 120}
    assert feature.geometry.equals(SQUARE)


def test_a_zipped_utm_47n_shapefile_is_reprojected_to_lon_lat(tmp_path):
    members = shapefile(tmp_path, [UTM_SQUARE], folder="export/", name=np.array(["ตลาด"]))
    layer = read_layer(upload(zip_of(tmp_path, members)))
    assert layer.format == "shapefile" and layer.source_crs == UTM47
    assert layer.layer_name == "zones"
    assert any("EPSG:32647" in w for w in layer.warnings)
    [feature] = layer.features
    assert feature.properties["name"] == "ตลาด"
    minx, miny, maxx, maxy = feature.geometry.bounds
    # Easting 500000 is the central meridian, 99 E: longitude first, then latitude ~15.4 N.
    assert minx == pytest.approx(99.0, abs=1e-9)
    assert 15.3 < miny < maxy < 15.5 and 99.0 < maxx < 99.01


def test_a_geopackage_is_reprojected_and_its_attributes_become_json_safe(tmp_path):
    path = write(tmp_path / "areas.gpkg", [UTM_SQUARE], crs=UTM47, layer="flood",
                 name=np.array(["ริมน้ำ"], dtype=object),
                 surveyed=np.array(["2010-11-22"], dtype="datetime64[D]"),
                 depth=np.array([np.nan]), households=np.array([42], dtype=np.int64),
                 checked=np.array([True]))
    layer = read_layer(upload(path))
    assert layer.format == "geopackage" and layer.layer_name == "flood"
    properties = layer.features[0].properties
    assert properties == {"name": "ริมน้ำ", "surveyed": "2010-11-22", "depth": None,
                          "households": 42, "checked": True}
    assert type(properties["households"]) is int and type(properties["checked"]) is bool
    json.dumps(properties, allow_nan=False)
    assert layer.features[0].geometry.bounds[0] == pytest.approx(99.0, abs=1e-9)


def test_a_legacy_geojson_declaring_utm_47n_is_reprojected():
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32647"}}
    layer = read_layer(geojson([(to_geojson(UTM_SQUARE), {})], crs=crs))
    assert layer.source_crs == UTM47
    assert layer.features[0].geometry.bounds[0] == pytest.approx(99.0, abs=1e-9)


def test_an_indian_1975_layer_is_shifted_to_wgs84_not_just_unprojected(tmp_path):
    # Indian 1975 / UTM 47N (EPSG:24047) differs from WGS 84 by a datum shift of a few
    # hundred metres; the same numbers read as WGS 84 / UTM 47N must land elsewhere.
    path = write(tmp_path / "old.gpkg", [UTM_SQUARE], crs="EPSG:24047")
    layer = read_layer(upload(path))
    assert layer.source_crs == "EPSG:24047"
    to_wgs84 = Transformer.from_crs("EPSG:24047", "EPSG:4326", always_xy=True)
    expected = shapely.transform(UTM_SQUARE,
                                 lambda c: np.column_stack(to_wgs84.transform(*c.T)))
    got = layer.features[0].geometry
    assert got.normalize().equals_exact(expected.normalize(), tolerance=1e-9)
    assert abs(got.bounds[0] - 99.0) > 0.002  # about 500 m west: the datum shift was applied


def test_the_format_comes_from_the_content_not_the_name():
    content = json.dumps({"type": "Feature", "properties": {},
                          "geometry": to_geojson(SQUARE)}).encode()
    for name in ("export", "areas.dat"):  # no or unknown extension: the content decides
        assert read_layer(SimpleUploadedFile(name, content)).format == "geojson"


def test_a_zip_named_geojson_is_refused_saying_what_it_is(tmp_path):
    archive = zip_of(tmp_path, {"readme.txt": b"hello"})
    with pytest.raises(LayerError) as error:
        read_layer(upload(archive, "areas.geojson"))
    assert error.value.code == "format"
    assert "named as GeoJSON" in messages(error) and "ZIP archive" in messages(error)
    assert "Accepted:" in messages(error)


@pytest.mark.parametrize("name, content, what", [
    ("areas.gpkg", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "a PNG image"),
    ("areas.geojson", "แผนที่ชุมชนริมน้ำ\nบ้านใหม่\n".encode(), "plain text"),
    ("areas.zip", b"%PDF-1.7\n...", "a PDF document"),
    ("areas.kml", b'<?xml version="1.0"?><kml></kml>', "XML or HTML"),
])
def test_files_that_are_not_layers_are_refused_naming_what_they_are(name, content, what):
    with pytest.raises(LayerError) as error:
        read_layer(SimpleUploadedFile(name, content))
    assert error.value.code == "format"
    assert what in messages(error) and name in messages(error)
    assert "zipped Shapefile" in messages(error)  # says what is accepted


def test_a_bare_shp_part_is_refused_asking_for_the_zip(tmp_path):
    path = write(tmp_path / "zones.shp", [UTM_SQUARE], crs=UTM47)
    with pytest.raises(LayerError) as error:
        read_layer(upload(path))
    assert "only the .shp part" in messages(error) and ".zip" in messages(error)


def test_json_that_is_broken_or_not_geojson_is_refused_with_line_and_column():
    with pytest.raises(LayerError) as error:
        read_layer(SimpleUploadedFile("a.geojson", b'{"type": "FeatureCollection",\n "features": [}'))
    assert "line 2, column" in messages(error)
    with pytest.raises(LayerError) as error:
        read_layer(SimpleUploadedFile("a.geojson", b'{"rows": [1, 2]}'))
    assert "not GeoJSON" in messages(error)


def test_empty_files_and_layers_without_features_say_so(tmp_path):
    with pytest.raises(LayerError) as error:
        read_layer(SimpleUploadedFile("a.geojson", b""))
    assert error.value.code == "empty" and "empty" in messages(error)
    with pytest.raises(LayerError) as error:
        read_layer(geojson([]))
    assert error.value.code == "no_features"
    path = write(tmp_path / "none.gpkg", [], crs=UTM47, layer="flood", geometry_type="Polygon")
    with pytest.raises(LayerError) as error:
        read_layer(upload(path))
    assert error.value.code == "no_features" and "none.gpkg" in messages(error)


def test_too_many_features_are_refused():
    features = [(to_geojson(box(100 + i / 100, 13, 100.005 + i / 100, 13.005)), {})
                for i in range(6)]
    assert len(read_layer(geojson(features), max_features=6).features) == 6
    with pytest.raises(LayerError) as error:
        read_layer(geojson(features), max_features=5)
    assert error.value.code == "too_many_features" and "5" in messages(error)


# --- size ----------------------------------------------------------------------------------

class Endless:
    """A file-like upload that never ends, counting how much was read."""
    name = "huge.geojson"

    def __init__(self):
        self.read_bytes = 0

    def read(self, size=-1):
        assert size > 0, "the reader must read in chunks"
        self.read_bytes += size
        return b" " * size


def test_a_huge_upload_is_stopped_after_the_limit_and_the_limit_is_given_in_mb():
    endless = Endless()
    with pytest.raises(LayerError) as error:
        read_layer(endless, max_bytes=2 * 1024 * 1024)
    assert error.value.code == "too_large" and "2 MB" in messages(error)
    assert endless.read_bytes <= 3 * 1024 * 1024


def test_a_declared_size_over_the_limit_is_refused_without_reading(settings):
    settings.DATA_UPLOAD_MAX_BYTES = 1024 * 1024  # the default limit comes from settings

    class Declared:
        name, size = "big.gpkg", 5 * 1024 * 1024

        def read(self, size=-1):
            raise AssertionError("read although the declared size is over the limit")

    with pytest.raises(LayerError) as error:
        read_layer(Declared())
    assert "1 MB" in messages(error)


def test_a_plain_file_object_works_too(tmp_path):
    content = json.dumps({"type": "Feature", "properties": {}, "geometry": to_geojson(SQUARE)})
    stream = io.BytesIO(content.encode())
    stream.name = "drawn.geojson"
    assert read_layer(stream).features[0].geometry.equals(SQUARE)


# --- zip archives ---------------------------------------------------------------------------

@pytest.mark.parametrize("bad_name", ["../../etc/cron.d/zones.shp", "/tmp/zones.shp",
                                      "C:/Windows/zones.shp", "export\\..\\..\\zones.dbf"])
def test_archives_with_path_traversal_are_refused(tmp_path, bad_name):
    members = shapefile(tmp_path, [UTM_SQUARE])
    members[bad_name] = b"x"
    with pytest.raises(LayerError) as error:
        read_layer(upload(zip_of(tmp_path, members)))
    assert error.value.code == "zip_unsafe" and "unsafe paths" in messages(error)


def test_a_zip_bomb_is_refused_from_its_directory_before_extracting(tmp_path, monkeypatch):
    members = shapefile(tmp_path, [UTM_SQUARE])
    members["zones.dbf"] = b"\x00" * (30 * 1024 * 1024)  # deflates about 1000:1
    archive = zip_of(tmp_path, members)
    assert archive.stat().st_size < 1024 * 1024

    def no_extraction(*args, **kwargs):
        raise AssertionError("extracted before checking the directory")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_extraction)
    with pytest.raises(LayerError) as error:
        read_layer(upload(archive), max_bytes=5 * 1024 * 1024)
    assert error.value.code == "zip_bomb" and "50 MB" in messages(error)


def test_the_total_unzipped_size_is_bounded(tmp_path):
    members = shapefile(tmp_path, [UTM_SQUARE])
    members["notes.txt"] = bytes(range(256)) * 4096  # 1 MB, barely compressible
    with pytest.raises(LayerError) as error:
        read_layer(upload(zip_of(tmp_path, members)), max_unzipped_bytes=512 * 1024)
    assert error.value.code == "zip_bomb"


def test_extraction_never_writes_more_than_the_directory_declares(tmp_path, monkeypatch):
    # A directory that understates a member's size (to slip past the checks) ends the read.
    archive = zip_of(tmp_path, shapefile(tmp_path, [UTM_SQUARE]))
    real = zipfile.ZipFile.infolist

    def understated(self):
        infos = real(self)
        for info in infos:
            info.file_size = max(info.file_size // 2, 1)
        return infos

    monkeypatch.setattr(zipfile.ZipFile, "infolist", understated)
    with pytest.raises(LayerError) as error:
        read_layer(upload(archive))
    assert error.value.code in ("zip", "zip_bomb")


def test_an_archive_without_a_shapefile_lists_what_it_holds(tmp_path):
    archive = zip_of(tmp_path, {"report.docx.txt": b"x", "photo.jpg": b"y"})
    with pytest.raises(LayerError) as error:
        read_layer(upload(archive))
    assert error.value.code == "no_shp"
    assert "report.docx.txt" in messages(error) and "photo.jpg" in messages(error)


def test_an_xlsx_is_recognised_as_an_office_document(tmp_path):
    archive = zip_of(tmp_path, {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>"})
    with pytest.raises(LayerError) as error:
        read_layer(upload(archive, "population.zip"))
    assert "Office document" in messages(error)


def test_several_shapefiles_are_listed_and_one_can_be_chosen(tmp_path):
    members = shapefile(tmp_path, [UTM_SQUARE], stem="flood")
    members.update(shapefile(tmp_path, [UTM_SQUARE, box(502000, 1700000, 503000, 1701000)],
                             stem="landslide"))
    archive = zip_of(tmp_path, members)
    with pytest.raises(LayerError) as error:
        read_layer(upload(archive))
    assert error.value.code == "several_shp"
    assert "flood.shp" in messages(error) and "landslide.shp" in messages(error)
    layer = read_layer(upload(archive), layer_name="landslide")
    assert layer.layer_name == "landslide" and len(layer.features) == 2


def test_mac_resource_forks_are_not_counted_as_shapefiles(tmp_path):
    members = shapefile(tmp_path, [UTM_SQUARE])
    members["__MACOSX/._zones.shp"] = b"\x00\x05\x16\x07"
    assert len(read_layer(upload(zip_of(tmp_path, members))).features) == 1


def test_a_shapefile_without_its_dbf_or_shx_is_refused_naming_them(tmp_path):
    members = shapefile(tmp_path, [UTM_SQUARE])
    del members["zones.dbf"], members["zones.shx"]
    with pytest.raises(LayerError) as error:
        read_layer(upload(zip_of(tmp_path, members)))
    assert error.value.code == "shp_parts"
    assert ".shx .dbf" in messages(error) and "zones.shp" in messages(error)


def test_thai_text_in_an_old_dbf_without_a_cpg_is_read_as_thai(tmp_path):
    out = tmp_path / "old"
    out.mkdir()
    write(out / "chumchon.shp", [UTM_SQUARE], crs=UTM47, encoding="cp874",
          name=np.array(["ชุมชนริมน้ำ"], dtype=object))
    (out / "chumchon.cpg").unlink()  # ArcView 3 wrote none
    members = {p.name: p for p in out.iterdir()}
    layer = read_layer(upload(zip_of(tmp_path, members)))
    assert layer.features[0].properties["name"] == "ชุมชนริมน้ำ"
    assert any("no .cpg" in w and "Windows-874" in w for w in layer.warnings)
    # A given encoding wins over the guess.
    forced = read_layer(upload(zip_of(tmp_path, members)), encoding="ISO-8859-1")
    assert forced.features[0].properties["name"] != "ชุมชนริมน้ำ"


def test_without_a_prj_lon_lat_coordinates_are_taken_as_wgs84_with_a_warning(tmp_path):
    members = shapefile(tmp_path, [SQUARE], crs=None)
    assert not any(n.endswith(".prj") for n in members)
    layer = read_layer(upload(zip_of(tmp_path, members)))
    assert layer.source_crs == "EPSG:4326"
    assert any("no .prj" in w and "WGS 84 was assumed" in w for w in layer.warnings)
    assert layer.features[0].geometry.equals(SQUARE)


def test_without_a_prj_projected_coordinates_are_refused_as_unknown(tmp_path):
    members = shapefile(tmp_path, [UTM_SQUARE], crs=None)
    with pytest.raises(LayerError) as error:
        read_layer(upload(zip_of(tmp_path, members)))
    assert error.value.code == "crs"
    assert "projection" in messages(error) and "unknown" in messages(error)
    assert "(e.g. 501000, 1700000)" in messages(error)


def test_the_temporary_directory_is_removed_after_success_and_failure(tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    good = upload(zip_of(tmp_path, shapefile(tmp_path, [UTM_SQUARE])))
    read_layer(good)
    bad = shapefile(tmp_path, [UTM_SQUARE], crs=None, stem="unknown")  # fails after unzipping
    with pytest.raises(LayerError):
        read_layer(upload(zip_of(tmp_path, bad, "bad.zip")))
    assert list(scratch.iterdir()) == []


# --- geopackage layers ----------------------------------------------------------------------

def test_a_geopackage_with_several_polygon_layers_is_refused_listing_them(tmp_path):
    path = write(tmp_path / "city.gpkg", [UTM_SQUARE], crs=UTM47, layer="flood")
    write(path, [UTM_SQUARE], crs=UTM47, layer="landslide", append=True)
    with pytest.raises(LayerError) as error:
        read_layer(upload(path))
    assert error.value.code == "several_layers"
    assert "flood (Polygon)" in messages(error) and "landslide (Polygon)" in messages(error)
    assert read_layer(upload(path), layer_name="landslide").layer_name == "landslide"


def test_the_single_polygon_layer_of_a_geopackage_is_taken(tmp_path):
    path = write(tmp_path / "city.gpkg", [Point(500000, 1700000)], crs=UTM47, layer="wells")
    write(path, [UTM_SQUARE], crs=UTM47, layer="flood", append=True)
    assert read_layer(upload(path)).layer_name == "flood"
    points = read_layer(upload(path), geometry_types=layers.POINTS)
    assert points.layer_name == "wells"


# --- invalid geometries ---------------------------------------------------------------------

def test_a_bowtie_is_repaired_with_a_note_saying_what_and_where():
    layer = read_layer(geojson([(to_geojson(BOWTIE), {"name": "Bow"})]))
    [feature] = layer.features
    assert feature.repaired and "Self-intersection[0.5 0.5]" in feature.note
    assert feature.geometry.geom_type == "MultiPolygon" and feature.geometry.is_valid
    assert feature.geometry.area == pytest.approx(0.5)
    assert any("1 feature was repaired" in w for w in layer.warnings)


def test_a_repaired_utm_feature_also_says_where_in_lon_lat(tmp_path):
    bowtie = Polygon([(500000, 1700000), (501000, 1701000), (501000, 1700000),
                      (500000, 1701000), (500000, 1700000)])
    members = shapefile(tmp_path, [bowtie])
    [feature] = read_layer(upload(zip_of(tmp_path, members))).features
    assert "Self-intersection[500500 1700500]" in feature.note
    lon, lat = Transformer.from_crs(UTM47, "EPSG:4326", always_xy=True).transform(500500, 1700500)
    assert f"at longitude {lon:.5f}, latitude {lat:.5f}" in feature.note


def test_without_repair_an_invalid_feature_is_rejected_with_its_location():
    with pytest.raises(LayerError) as error:
        read_layer(geojson([(to_geojson(SQUARE), {}), (to_geojson(BOWTIE), {"NAME": "Bow"})]),
                   repair=False)
    assert 'Feature 2 (“Bow”): is not a valid shape: Self-intersection[0.5 0.5]' \
        in messages(error)
    assert error.value.problems == [(2, "Bow", error.value.problems[0][2])]


def test_an_unclosed_ring_is_closed_with_a_note():
    ring = [[100, 13], [100.1, 13], [100.1, 13.1], [100, 13.1]]
    [feature] = read_layer(geojson([({"type": "Polygon", "coordinates": [ring]}, {})])).features
    assert feature.repaired and "not closed" in feature.note
    assert feature.geometry.equals(box(100, 13, 100.1, 13.1))
    with pytest.raises(LayerError) as error:
        read_layer(geojson([({"type": "Polygon", "coordinates": [ring]}, {})]), repair=False)
    assert "Feature 1: has a ring that is not closed" in messages(error)


def test_every_bad_feature_is_listed_and_nothing_is_returned():
    line = {"type": "LineString", "coordinates": [[100, 13], [100.1, 13.1]]}
    far = to_geojson(box(500000, 1700000, 501000, 1701000))  # UTM metres in a WGS 84 file
    features = [(to_geojson(SQUARE), {"name": "fine"}), (line, {"name": "Road"}),
                (None, {"name": "Nothing"}), (far, {}), (to_geojson(BOWTIE), {})]
    with pytest.raises(LayerError) as error:
        read_layer(geojson(features))
    text = messages(error)
    assert "3 features of “areas.geojson” cannot be used, so nothing was imported" in text
    assert "Feature 2 (“Road”): is a LineString; only Polygon, MultiPolygon are accepted" in text
    assert "Feature 3 (“Nothing”): has no geometry" in text
    assert "Feature 4: has coordinates outside longitude -180 to 180" in text
    assert "Feature 1" not in text and "Feature 5" not in text  # fine, and repaired


def test_a_long_list_of_bad_features_is_capped():
    line = {"type": "LineString", "coordinates": [[100, 13], [100.1, 13.1]]}
    with pytest.raises(LayerError) as error:
        read_layer(geojson([(line, {})] * 57))
    assert len(error.value.problems) == 57
    assert len(error.value.messages) == 1 + layers.MAX_LISTED + 1
    assert error.value.messages[-1] == "… and 37 more."


def test_a_repair_that_leaves_only_lines_is_rejected():
    flat = {"type": "Polygon", "coordinates": [[[100, 13], [100.2, 13], [100.1, 13], [100, 13]]]}
    with pytest.raises(LayerError) as error:
        read_layer(geojson([(flat, {"name": "Flat"})]))
    assert "Feature 1 (“Flat”): is not a valid shape (" in messages(error)
    assert "could not be repaired" in messages(error)


def test_a_point_layer_accepts_points_and_refuses_polygons():
    points = [({"type": "Point", "coordinates": [100, 13]}, {"pop": 5})]
    assert read_layer(geojson(points), geometry_types=layers.POINTS).features[0].geometry \
        .equals(Point(100, 13))
    with pytest.raises(LayerError) as error:
        read_layer(geojson(points))
    assert "is a Point" in messages(error)


# --- the drawn shape ------------------------------------------------------------------------

def test_a_drawn_shape_is_read_from_text_or_dict_feature_or_geometry():
    assert read_geojson_geometry(json.dumps(to_geojson(SQUARE))).equals(SQUARE)
    feature = {"type": "Feature", "properties": {}, "geometry": to_geojson(SQUARE)}
    assert read_geojson_geometry(feature).equals(SQUARE)
    collection = {"type": "FeatureCollection", "features": [feature]}
    assert read_geojson_geometry(collection).equals(SQUARE)


def test_a_drawn_bowtie_is_repaired_or_rejected_with_its_location():
    repaired = read_geojson_geometry(to_geojson(BOWTIE))
    assert repaired.geom_type == "MultiPolygon" and repaired.is_valid
    with pytest.raises(LayerError) as error:
        read_geojson_geometry(to_geojson(BOWTIE), repair=False)
    assert "Self-intersection[0.5 0.5]" in messages(error)
    assert error.value.code == "invalid_geometry"


@pytest.mark.parametrize("value, expected", [
    ("", "No shape"), ("{not json", "line 1, column 2"),
    ({"type": "Point", "coordinates": [100, 13]}, "Polygon, MultiPolygon"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [1]]]}, "malformed"),
    ({"type": "Polygon", "coordinates": [[[500, 0], [501, 0], [501, 1], [500, 0]]]},
     "outside longitude"),
    ({"type": "FeatureCollection", "features": []}, "exactly one"),
])
def test_malformed_drawn_shapes_are_refused_saying_why(value, expected):
    with pytest.raises(LayerError) as error:
        read_geojson_geometry(value)
    assert expected in messages(error)


def test_to_geojson_gives_plain_lists_for_storage():
    stored = to_geojson(read_geojson_geometry(to_geojson(BOWTIE)))
    assert stored["type"] == "MultiPolygon" and isinstance(stored["coordinates"][0], list)
    assert json.loads(json.dumps(stored)) == stored


# --- exposure -------------------------------------------------------------------------------

def point_layer(*rows):
    return layers.Layer(features=[
        layers.Feature(geometry=Point(x, y), properties=props, number=i + 1)
        for i, ((x, y), props) in enumerate(rows)], format="geojson",
        source_crs="EPSG:4326", layer_name="people", warnings=[])


def test_points_are_summed_per_area():
    people = point_layer(((100.05, 13.05), {"pop": 120}), ((100.06, 13.02), {"pop": "30"}),
                         ((100.15, 13.05), {"pop": 7.5}), ((101, 14), {"pop": 1000}),
                         ((100.1, 13.05), {"pop": "1,200"}))  # on the shared edge: in both
    areas = [("west", box(100, 13, 100.1, 13.1)), ("east", box(100.1, 13, 100.2, 13.1)),
             ("empty", box(90, 10, 90.1, 10.1))]
    assert exposure(areas, people, "pop") == {"west": 1350.0, "east": 1207.5, "empty": 0.0}


def test_a_polygon_half_covered_gives_half_its_population():
    district = layers.Feature(geometry=box(100, 13, 100.2, 13.1), properties={"pop": 1000},
                              number=1)
    layer = layers.Layer([district], "geopackage", "EPSG:4326", "districts", [])
    result = exposure([("west half", box(99.9, 12.9, 100.1, 13.2)),
                       ("outside", box(101, 13, 101.1, 13.1))], layer, "pop")
    assert result["west half"] == pytest.approx(500, rel=1e-9)
    assert result["outside"] == 0


def test_area_shares_are_measured_in_an_equal_area_projection_not_in_degrees():
    # Half the band 0-60 N in degrees (0-30 N) is sin 30 / sin 60 = 57.7 % of its area on the
    # sphere (a little different on the ellipsoid); in square degrees it would be 50 %.
    band = layers.Feature(geometry=box(100, 0, 101, 60), properties={"pop": 1000}, number=1)
    layer = layers.Layer([band], "geojson", "EPSG:4326", "band", [])
    result = exposure([("south", box(100, 0, 101, 30))], layer, "pop")
    assert result["south"] == pytest.approx(1000 * 0.5 / 0.8660, rel=5e-3)


def test_an_area_share_matches_an_independent_utm_measure(tmp_path):
    # A UTM-drawn district and a lon/lat risk area: the share agrees with areas in UTM metres.
    to_utm = Transformer.from_crs("EPSG:4326", UTM47, always_xy=True)
    members = shapefile(tmp_path, [box(500000, 1700000, 504000, 1702000)], pop=np.array([800]))
    layer = read_layer(upload(zip_of(tmp_path, members)))
    area = box(99.0, 15.37, 99.02, 15.40)
    area_utm = shapely.transform(area, lambda c: np.column_stack(to_utm.transform(*c.T)))
    expected = 800 * area_utm.intersection(box(500000, 1700000, 504000, 1702000)).area / 8e6
    assert exposure([(7, area)], layer, "pop")[7] == pytest.approx(expected, rel=1e-3)


def test_exposure_names_the_features_whose_attribute_is_missing_or_not_numeric():
    people = point_layer(((100, 13), {"pop": 5, "name": "A"}), ((100, 13), {"name": "Wat"}),
                         ((100, 13), {"pop": "many", "name": "Talat"}), ((100, 13), {"pop": None}),
                         ((100, 13), {"pop": -3}))
    with pytest.raises(LayerError) as error:
        exposure([("a", box(99, 12, 101, 14))], people, "pop")
    text = messages(error)
    assert "Feature 2 (“Wat”): has no attribute “pop”" in text
    assert "Feature 3 (“Talat”): has “many” in “pop”, which is not a number" in text
    assert "Feature 4: has no value for “pop”" in text
    assert "Feature 5: has a negative “pop” (-3)" in text
    assert "Feature 1" not in text


def test_exposure_with_an_unknown_attribute_lists_the_attributes():
    people = point_layer(((100, 13), {"pop": 5, "households": 2}))
    with pytest.raises(LayerError) as error:
        exposure([("a", box(99, 12, 101, 14))], people, "population")
    assert "no attribute “population”; its attributes are: households, pop" in messages(error)


# --- translations ---------------------------------------------------------------------------

def test_every_message_has_a_thai_translation():
    """Every message of layers.py is in the Thai catalogue (placeholders are checked for the
    whole catalogue in test_translations)."""
    from django.utils import translation

    source = Path(layers.__file__).read_text(encoding="utf-8")
    msgids = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "ngettext"):
            strings = [a.value for a in node.args if isinstance(a, ast.Constant)
                       and isinstance(a.value, str)]
            if node.func.id == "ngettext" and len(strings) >= 2:
                msgids.add(tuple(strings[:2]))
            elif strings:
                msgids.add(strings[0])
    assert len(msgids) > 60  # the walk really found the messages
    thai = re.compile(r"[\u0E00-\u0E7F]")
    with translation.override("th"):
        untranslated = [m for m in msgids if not thai.search(
            translation.ngettext(m[0], m[1], 1) if isinstance(m, tuple) else translation.gettext(m))]
    assert not untranslated, "untranslated:\n" + "\n".join(map(str, sorted(untranslated, key=str)))
