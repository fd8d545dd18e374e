"""Demo records of the climate app for the demo network of apps.demo."""
from django.conf import settings
from django.core.files.base import ContentFile

# One station per city, with synthetic daily data (apps.climate.synthetic), published or not.
DEMO_STATIONS = [
    {"city": "chiang-rai", "code": "48303", "name_th": "สถานีอุตุนิยมวิทยาเชียงราย",
     "name_en": "Chiang Rai Meteorological Station", "latitude": 19.96, "longitude": 99.88,
     "elevation_m": 394.0, "published": True, "seed": 48303},
    {"city": "hat-yai", "code": "48569", "name_th": "สถานีอุตุนิยมวิทยาหาดใหญ่ (สนามบิน)",
     "name_en": "Hat Yai Airport Meteorological Station", "latitude": 6.92, "longitude": 100.43,
     "elevation_m": 29.0, "published": False, "seed": 48569},
]
FIRST_YEAR, LAST_YEAR = 1981, 2024
DEMO_MLE_RESAMPLES = 40
SOURCE = "กรมอุตุนิยมวิทยา (ข้อมูลสังเคราะห์สำหรับการสาธิต) / Thai Meteorological Department (synthetic demo data)"


def seed_climate(network):
    """Add the demo records; a second run changes nothing."""
    from apps.climate.imports import import_series
    from apps.climate.models import Analysis, Station
    from apps.climate.synthetic import daily_series, to_csv

    for spec in DEMO_STATIONS:
        city = network.cities.filter(slug=spec["city"]).first()
        if city is None:
            continue
        station, _created = Station.objects.get_or_create(
            city=city, code=spec["code"],
            defaults={key: spec[key] for key in ("name_th", "name_en", "latitude", "longitude",
                                                 "elevation_m", "published")}
            | {"source": SOURCE},
        )
        if not station.uploads.exists():
            rows = daily_series(spec["city"], FIRST_YEAR, LAST_YEAR, seed=spec["seed"])
            name = f"{spec['code']}-{FIRST_YEAR + 543}-{LAST_YEAR + 543}.csv"
            data = ContentFile(to_csv(rows).encode("utf-8"), name=name)
            import_series(station, data, name, None)
        if not station.analyses.filter(status=Analysis.Status.DONE).exists():
            # Computed here, not queued: the demo should show results without a worker. Fewer
            # maximum-likelihood bootstrap resamples than a real analysis, to seed quickly.
            # A site (or the test settings) asking for fewer refits gets fewer here too.
            resamples = min(DEMO_MLE_RESAMPLES, settings.CLIMATE_MLE_RESAMPLES)
            Analysis.objects.create(station=station).run(mle_resamples=resamples)
