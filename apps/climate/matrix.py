"""The climate pages and endpoints in the central permission matrices (tests/).

prepare() gives each target city an unpublished station with a few days of data, an upload
(with its file) and a finished analysis. Unpublished, so the station's readers are exactly the
city's team and national coordinator; everyone else gets 404, like a missing station.

The upload POST sends no file (a file cannot be reused across the matrix's requests): the
allowed get their form back with the error (200), the others are refused and nothing changes.
Uploading is tested in apps/climate/tests/test_pages.py. The analysis POST creates a queued
analysis; in tests its task runs only on commit, which the matrix's transaction never reaches.
"""
import datetime as dt

from django.core.files.base import ContentFile

from apps.climate.models import Analysis, Observation, SeriesUpload, Station

PAGE_SPECS = {
    "climate:stations": [("get", "public", None)],
    "climate:station-new": [("get", "city-assess", None),
                            ("post", "city-assess", {"code": "NEW1", "name_th": "สถานีใหม่"})],
    "climate:station": [("get", "private-read", None)],
    "climate:station-edit": [("get", "city-assess", None),
                             ("post", "city-assess", {"code": "48303", "name_th": "แก้ชื่อ"})],
    "climate:publish": [("post", "city-assess", {"published": "1"})],
    "climate:upload": [("get", "city-assess", None), ("post", "city-assess", {"mode": "merge"})],
    "climate:upload-detail": [("get", "private-read", None)],
    "climate:upload-file": [("get", "private-read", None)],
    "climate:analyse": [("post", "city-assess", {"hot_threshold": "35"})],
    "climate:analysis": [("get", "private-read", None)],
    "climate:analysis-status": [("get", "private-read", None)],
}

API_SPECS = {
    ("get", "/api/climate/stations"): ("list", "station"),
    ("get", "/api/climate/stations/{station_id}"): ("private-read", None),
    ("get", "/api/climate/analyses"): ("list", "analysis"),
    ("get", "/api/climate/analyses/{analysis_id}"): ("private-read", None),
    ("post", "/api/climate/stations/{station_id}/analyses"): (
        "city-assess", {"hot_threshold": 35.0}),
}


def prepare(world):
    for target, city in world.cities.items():
        station = Station.objects.create(city=city, code="48303", name_th=f"สถานี {target}")
        Observation.objects.bulk_create([
            Observation(station=station, date=dt.date(2010, 1, day), prcp_mm=day, tmax_c=30,
                        tmin_c=20) for day in range(1, 11)])
        upload = SeriesUpload(station=station, original_name="series.csv", rows=10,
                              first_date=dt.date(2010, 1, 1), last_date=dt.date(2010, 1, 10))
        upload.file.save("series.csv", ContentFile(b"date,rain,tmax,tmin\n"), save=False)
        upload.save()
        analysis = Analysis.objects.create(station=station, status=Analysis.Status.DONE,
                                           stage=Analysis.Stage.DONE, progress=100)
        world.objects[target].update(station=station, upload=upload, analysis=analysis)


def page_kwargs(name, world, target):
    if not name.startswith("climate:"):
        return None
    objects = world.objects[target]
    base = {"slug": world.cities[target].slug}
    station = {**base, "pk": objects["station"].pk}
    return {
        "climate:stations": base,
        "climate:station-new": base,
        "climate:upload-detail": {**station, "upload": objects["upload"].pk},
        "climate:upload-file": {**station, "upload": objects["upload"].pk},
        "climate:analysis": {**station, "analysis": objects["analysis"].pk},
        "climate:analysis-status": {**station, "analysis": objects["analysis"].pk},
    }.get(name, station)


def api_path(path, world, target):
    if "{station_id}" not in path and "{analysis_id}" not in path:
        return None
    objects = world.objects[target]
    return (path.replace("{station_id}", str(objects["station"].pk))
            .replace("{analysis_id}", str(objects["analysis"].pk)))


def listed(payload, what, world, target):
    if what not in ("station", "analysis"):
        return None
    pk = world.objects[target][what].pk
    return any(item["id"] == pk for item in payload["items"])


def fingerprint():
    return (
        list(Station.objects.order_by("pk").values_list("pk", "code", "name_th", "published")),
        Observation.objects.count(), SeriesUpload.objects.count(),
        list(Analysis.objects.order_by("pk").values_list("pk", "status")),
    )
