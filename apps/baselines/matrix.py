"""The baselines' pages and endpoints in the central permission matrices (tests/).

prepare() gives each target city an unpublished baseline with a past disaster. Editing is
assessment work ("city-assess": the city's coordinators and experts and the network's national
coordinator); publishing stays with the coordinators ("city-edit"). The data sheets are read
like the page: the city's unpublished sheet is the city's readers' ("private-read").

The network-wide PDF lists only what the caller may read; its content per role is tested in
apps/baselines/tests/test_datasheet.py.
"""
import datetime as dt

from apps.baselines.models import BaselineProfile, ClimateNormal, PastDisaster

PAGE_SPECS = {
    "baselines:profile": [("get", "private-read", None)],
    "baselines:edit": [("get", "city-assess", None),
                       ("post", "city-assess", {
                           "population": "80000", "population_year": "2553",
                           "sectors-TOTAL_FORMS": "0", "sectors-INITIAL_FORMS": "0",
                           "land-TOTAL_FORMS": "0", "land-INITIAL_FORMS": "0"})],
    "baselines:climate": [("get", "city-assess", None),
                          ("post", "city-assess", {"climate_period": "1981-2010",
                                                   "m1-tmax": "29.5", "m1-tmin": "13.2",
                                                   "m1-rainfall": "8.1"})],
    "baselines:publish": [("post", "city-edit", {"published": "1"})],
    "baselines:disaster-add": [("post", "city-assess", {"when": "11/2553", "hazard": "flood"})],
    "baselines:disaster-remove": [("post", "city-assess", {})],
    "baselines:import": [("get", "city-assess", None), ("post", "city-assess", {})],
    "baselines:datasheet": [("get", "private-read", None)],
    "baselines:network-datasheets": [("get", "public", None)],
}

API_SPECS = {
    ("get", "/api/baselines"): ("list", "baseline"),
    ("get", "/api/baselines/{slug}"): ("private-read", None),
    ("patch", "/api/baselines/{slug}"): ("city-assess", {"households": 21000}),
}


def prepare(world):
    for target, city in world.cities.items():
        profile = BaselineProfile.objects.create(city=city, population=75000,
                                                 population_year=2010)
        disaster = PastDisaster.objects.create(profile=profile, date=dt.date(2010, 11, 1),
                                               precision="month", hazard="flood")
        ClimateNormal.objects.create(profile=profile, month=1, tmax=28, tmin=14, rainfall=10)
        world.objects[target].update(baseline=profile, disaster=disaster)


def page_kwargs(name, world, target):
    if not name.startswith("baselines:"):
        return None
    city = world.cities[target]
    if name == "baselines:network-datasheets":
        return {"slug": city.network.slug}
    if name == "baselines:disaster-remove":
        return {"slug": city.slug, "pk": world.objects[target]["disaster"].pk}
    return {"slug": city.slug}


def api_path(path, world, target):
    if not path.startswith("/api/baselines/"):
        return None
    return path.replace("{slug}", world.cities[target].slug)


def listed(payload, what, world, target):
    if what != "baseline":
        return None
    return any(item["city"] == world.cities[target].slug for item in payload["items"])


def fingerprint():
    return (
        list(BaselineProfile.objects.order_by("pk").values_list(
            "pk", "published", "population", "population_year", "households",
            "climate_period")),
        list(PastDisaster.objects.order_by("pk").values_list("pk", "date", "hazard")),
        list(ClimateNormal.objects.order_by("pk").values_list("pk", "month", "tmax")),
    )
