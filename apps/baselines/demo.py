"""Demo baselines for the demo network: Chiang Rai near-complete (published), Hat Yai partial,
Udon Thani barely started. Numbers are approximate, public-knowledge-level figures, labelled
as demo data in the profiles' sources: not official statistics."""
import datetime as dt
from decimal import Decimal as D

from django.db import transaction

from apps.baselines.models import (
    BaselineProfile, ClimateNormal, EconomicSector, LandUse, PastDisaster,
)

DEMO_NOTE_TH = "ข้อมูลสาธิต: ตัวเลขโดยประมาณจากข้อมูลสาธารณะ ไม่ใช่สถิติทางการ"
DEMO_NOTE_EN = "Demo data: approximate figures from public knowledge, not official statistics."

CHIANG_RAI = {
    "profile": {
        "population": 75_000, "population_year": 2010,
        "population_source": "Department of Provincial Administration, registered population "
                             "(demo, approximate)",
        "growth_rate": D("1.2"), "area_km2": D("60.85"),  # households not yet counted
        "economy_th": "ศูนย์กลางการค้า การบริการ และการท่องเที่ยวของภาคเหนือตอนบน เชื่อมการค้า"
                      "ชายแดนกับเมียนมา ลาว และจีนตอนใต้ รอบเมืองเป็นพื้นที่เกษตร (ข้าว สับปะรด "
                      "ชา ลำไย) แรงงานส่วนหนึ่งทำงานนอกระบบในตลาดและการท่องเที่ยว",
        "economy_en": "Trade, services and tourism hub of the upper north, linked to border "
                      "trade with Myanmar, Laos and southern China. Farmland around the city "
                      "(rice, pineapple, tea, longan); many informal workers in markets and "
                      "tourism.",
        "land_use_note_th": "เมืองขยายตัวไปทางทิศใต้และตามถนนพหลโยธิน พื้นที่เกษตรริมน้ำกกลดลง",
        "land_use_note_en": "The city grows south and along Phahonyothin Road; farmland along "
                            "the Kok River is shrinking.",
        "water_coverage": D("92"), "electricity_coverage": D("99.5"), "drainage_km": D("180"),
        "solid_waste_tpd": D("110"), "health_facilities": 12, "schools": 41,
        "infrastructure_th": "ประปาส่วนภูมิภาคและประปาเทศบาลใช้น้ำดิบจากแม่น้ำกก ระบบระบายน้ำ"
                             "รวมฝนและน้ำเสีย บางจุดรับน้ำไม่ทันเมื่อฝนตกหนัก",
        "infrastructure_en": "Piped water from the Kok River (Provincial Waterworks and the "
                             "municipality). Combined storm and waste-water drains overflow in "
                             "places during heavy rain.",
        "climate_period": "1981-2010", "climate_station": "Chiang Rai (TMD 48303)",
        "climate_source": "Thai Meteorological Department climate normals (demo, approximate)",
        "sources_th": f"สำนักทะเบียนราษฎร์ เทศบาลนครเชียงราย กรมอุตุนิยมวิทยา ปภ.\n{DEMO_NOTE_TH}",
        "sources_en": "Civil registration, Chiang Rai City Municipality, Thai Meteorological "
                      f"Department, DDPM.\n{DEMO_NOTE_EN}",
        "published": True,
    },
    "sectors": [("การค้าและบริการ", "Trade and services", 45), ("การท่องเที่ยว", "Tourism", 20),
                ("ภาครัฐและการศึกษา", "Government and education", 15),
                ("เกษตรกรรม", "Agriculture", 12), ("อุตสาหกรรมขนาดเล็ก", "Small industry", 8)],
    "land_use": [("residential", 34), ("commercial", 9), ("agricultural", 24),
                 ("government", 8), ("green", 5), ("water", 6), ("transport", 9)],
    "disasters": [
        (dt.date(2007, 3, 1), "month", "haze", "ทั้งเมือง", "The whole city", 75_000, 0, None,
         "Pollution Control Department"),
        (dt.date(2008, 8, 15), "day", "flood", "ชุมชนริมแม่น้ำกก", "Kok riverbank communities",
         4_500, 0, D("25000000"), "DDPM Chiang Rai"),
        (dt.date(2011, 8, 1), "month", "flash_flood", "ชุมชนริมน้ำกกและน้ำลาว",
         "Kok and Lao river communities", 3_000, 1, D("40000000"), "DDPM Chiang Rai"),
        (dt.date(2012, 3, 1), "month", "haze", "ทั้งเมือง", "The whole city", 75_000, 0, None,
         "Pollution Control Department"),
        (dt.date(2010, 4, 1), "month", "drought", "ชุมชนชานเมือง", "Peri-urban communities",
         6_000, 0, None, "Chiang Rai City Municipality"),
    ],
    # month: Tmax, Tmin, rainfall, rain days (approximate 1981-2010 normals)
    "normals": [(28.4, 12.8, 9.4, 1.4), (31.0, 13.9, 11.1, 1.5), (33.6, 16.8, 30.5, 3.3),
                (35.2, 20.5, 92.4, 9.3), (33.6, 22.6, 224.9, 18.2), (32.2, 23.5, 189.3, 19.6),
                (31.3, 23.4, 322.5, 23.4), (31.0, 23.2, 381.3, 24.6), (31.2, 22.5, 262.2, 18.9),
                (30.4, 20.9, 134.5, 11.4), (28.6, 17.5, 38.4, 4.6), (26.8, 13.7, 15.5, 1.9)],
}

HAT_YAI = {
    "profile": {
        "population": 158_000, "population_year": 2010,
        "population_source": "Civil registration (demo, approximate)",
        "area_km2": D("21"),
        "economy_th": "ศูนย์กลางการค้า การขนส่ง และการท่องเที่ยวของภาคใต้ตอนล่าง "
                      "รับนักท่องเที่ยวจากมาเลเซียและสิงคโปร์ ยางพาราเป็นเศรษฐกิจหลักของจังหวัด",
        "economy_en": "Commercial, transport and tourism centre of the lower south, with many "
                      "visitors from Malaysia and Singapore; rubber is the province's staple.",
        "water_coverage": D("85"),
        "sources_th": DEMO_NOTE_TH, "sources_en": DEMO_NOTE_EN,
    },
    "disasters": [
        (dt.date(1988, 11, 1), "month", "flood", "ตัวเมืองหาดใหญ่", "Hat Yai city centre",
         None, None, None, "Songkhla DDPM (demo, approximate)"),
        (dt.date(2000, 11, 21), "day", "flash_flood", "พื้นที่เทศบาลส่วนใหญ่ น้ำลึก 2-3 เมตร",
         "Most of the municipality, 2-3 m deep", 120_000, 30, D("4500000000"),
         "Songkhla DDPM (demo, approximate)"),
        (dt.date(2010, 11, 1), "day", "flash_flood",
         "ประมาณร้อยละ 80 ของเมือง น้ำลึกถึง 3.5 เมตร", "About 80% of the city, up to 3.5 m deep",
         100_000, 9, D("1500000000"), "Hat Yai City Municipality (demo, approximate)"),
    ],
}

UDON_THANI = {
    "profile": {
        "population": 137_000, "population_year": 2010, "growth_rate": D("1.5"),
        "population_source": "Civil registration (demo, approximate)",
    },
}

DEMO = {"chiang-rai": CHIANG_RAI, "hat-yai": HAT_YAI, "udon-thani": UDON_THANI}


def seed_baselines(network):
    """Add the demo records; a second run changes nothing (a city with a baseline is left as
    it is, edits included)."""
    for slug, data in DEMO.items():
        city = network.cities.filter(slug=slug).first()
        if city is None or BaselineProfile.objects.filter(city=city).exists():
            continue
        with transaction.atomic():
            profile = BaselineProfile(city=city, **data["profile"])
            profile.full_clean()
            profile.save()
            for order, (th, en, share) in enumerate(data.get("sectors", [])):
                EconomicSector.objects.create(profile=profile, name_th=th, name_en=en,
                                              share=share, order=order)
            for order, (category, share) in enumerate(data.get("land_use", [])):
                LandUse.objects.create(profile=profile, category=category, share=share,
                                       order=order)
            for when, precision, hazard, area_th, area_en, people, deaths, damage, source \
                    in data.get("disasters", []):
                PastDisaster.objects.create(
                    profile=profile, date=when, precision=precision, hazard=hazard,
                    area_th=area_th, area_en=area_en, people_affected=people, deaths=deaths,
                    damage_thb=damage, source=source)
            for month, (tmax, tmin, rain, days) in enumerate(data.get("normals", []), 1):
                ClimateNormal.objects.create(profile=profile, month=month, tmax=D(str(tmax)),
                                             tmin=D(str(tmin)), rainfall=D(str(rain)),
                                             rain_days=D(str(days)))
