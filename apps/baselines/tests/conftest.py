import datetime as dt
from decimal import Decimal as D

import pytest

from apps.baselines.models import (
    BaselineProfile, ClimateNormal, EconomicSector, LandUse, PastDisaster,
)

# Approximate Chiang Rai normals: (Tmax, Tmin, rainfall mm, rain days) per month.
NORMALS = [(28.4, 12.8, 9.4, 1.4), (31.0, 13.9, 11.1, 1.5), (33.6, 16.8, 30.5, 3.3),
           (35.2, 20.5, 92.4, 9.3), (33.6, 22.6, 224.9, 18.2), (32.2, 23.5, 189.3, 19.6),
           (31.3, 23.4, 322.5, 23.4), (31.0, 23.2, 381.3, 24.6), (31.2, 22.5, 262.2, 18.9),
           (30.4, 20.9, 134.5, 11.4), (28.6, 17.5, 38.4, 4.6), (26.8, 13.7, 15.5, 1.9)]


def add_normals(profile, months=12):
    for month, (tmax, tmin, rain, days) in enumerate(NORMALS[:months], 1):
        ClimateNormal.objects.create(profile=profile, month=month, tmax=D(str(tmax)),
                                     tmin=D(str(tmin)), rainfall=D(str(rain)),
                                     rain_days=D(str(days)))


def complete_profile(city, published=False):
    """A profile passing every completeness check."""
    profile = BaselineProfile.objects.create(
        city=city, published=published, population=75000, population_year=2010,
        population_source="Registration", growth_rate=D("1.2"), area_km2=D("60.85"),
        households=33500, economy_th="การค้า", economy_en="Trade and tourism",
        water_coverage=D("92"), health_facilities=12, schools=41,
        infrastructure_th="ประปา", infrastructure_en="Piped water from the Kok River",
        climate_period="1981-2010", sources_th="ทะเบียนราษฎร์", sources_en="Civil registration")
    EconomicSector.objects.create(profile=profile, name_th="การค้า", name_en="Trade", share=45)
    LandUse.objects.create(profile=profile, category="residential", share=34)
    PastDisaster.objects.create(profile=profile, date=dt.date(2010, 11, 1), precision="day",
                                hazard="flash_flood", area_th="ทั้งเมือง",
                                area_en="Most of the city", people_affected=100000, deaths=9,
                                damage_thb=D("1500000000"), source="DDPM")
    add_normals(profile)
    return profile


@pytest.fixture
def profile(world):
    """The personas' city's baseline: complete, unpublished."""
    return complete_profile(world.city)
