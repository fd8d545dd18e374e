"""The ACCCRN Thailand network: its organisations and its ten cities.

The three Thai cities run the whole plan; the seven other ACCCRN core cities join only the
network-wide workshop. Populations are rounded figures for the city proper around 2010;
boundaries are simplified shapes drawn around the centre (not surveyed), sized from the
municipal area so the map looks right.
"""
import math

NETWORK = {
    "slug": "acccrn-thailand",
    "name_th": "เครือข่ายเมืองในเอเชียเพื่อรับมือกับการเปลี่ยนแปลงสภาพภูมิอากาศ ประเทศไทย",
    "name_en": "ACCCRN Thailand",
    "description_th": (
        "โครงการ ACCCRN ประเทศไทย ระยะที่ 2 ดำเนินงานในเมืองเชียงราย หาดใหญ่ และอุดรธานี "
        "โดยมีสถาบันสิ่งแวดล้อมไทยเป็นผู้ประสานงานระดับประเทศ และได้รับการสนับสนุนจาก"
        "มูลนิธิร็อคกี้เฟลเลอร์"
    ),
    "description_en": (
        "Phase 2 of ACCCRN in Thailand, run in Chiang Rai, Hat Yai and Udon Thani, coordinated "
        "nationally by the Thailand Environment Institute and funded by the Rockefeller "
        "Foundation."
    ),
}

# Organisations with no city: the national coordinator, the funder, the workshop organiser.
# The key "tei" names the network's coordinator.
NATIONAL_ORGANISATIONS = {
    "tei": {
        "name_th": "สถาบันสิ่งแวดล้อมไทย", "name_en": "Thailand Environment Institute",
        "short_name": "TEI", "kind": "ngo", "website": "https://www.tei.or.th/",
    },
    "rockefeller": {
        "name_th": "มูลนิธิร็อคกี้เฟลเลอร์", "name_en": "Rockefeller Foundation",
        "short_name": "RF", "kind": "funder", "website": "https://www.rockefellerfoundation.org/",
    },
    "iset": {
        "name_th": "สถาบันเพื่อการเปลี่ยนแปลงทางสังคมและสิ่งแวดล้อม",
        "name_en": "Institute for Social and Environmental Transition",
        "short_name": "ISET", "kind": "ngo", "website": "https://www.i-s-e-t.org/",
    },
}

PROGRAMME_CITIES = [
    {
        "slug": "chiang-rai", "name_th": "เชียงราย", "name_en": "Chiang Rai", "country": "TH",
        "province_th": "เชียงราย", "province_en": "Chiang Rai",
        "population": 75000, "latitude": 19.9105, "longitude": 99.8406, "radius_km": 4.5,
    },
    {
        "slug": "hat-yai", "name_th": "หาดใหญ่", "name_en": "Hat Yai", "country": "TH",
        "province_th": "สงขลา", "province_en": "Songkhla",
        "population": 158000, "latitude": 7.0086, "longitude": 100.4747, "radius_km": 2.6,
    },
    {
        "slug": "udon-thani", "name_th": "อุดรธานี", "name_en": "Udon Thani", "country": "TH",
        "province_th": "อุดรธานี", "province_en": "Udon Thani",
        "population": 137000, "latitude": 17.4138, "longitude": 102.7872, "radius_km": 3.9,
    },
]

PARTNER_CITIES = [
    {
        "slug": "surat", "name_th": "สุรัต", "name_en": "Surat", "country": "IN",
        "province_th": "คุชราต", "province_en": "Gujarat",
        "population": 4460000, "latitude": 21.1702, "longitude": 72.8311, "radius_km": 10,
    },
    {
        "slug": "indore", "name_th": "อินดอร์", "name_en": "Indore", "country": "IN",
        "province_th": "มัธยประเทศ", "province_en": "Madhya Pradesh",
        "population": 1960000, "latitude": 22.7196, "longitude": 75.8577, "radius_km": 13,
    },
    {
        "slug": "gorakhpur", "name_th": "โครักปุระ", "name_en": "Gorakhpur", "country": "IN",
        "province_th": "อุตตรประเทศ", "province_en": "Uttar Pradesh",
        "population": 670000, "latitude": 26.7606, "longitude": 83.3732, "radius_km": 7,
    },
    {
        "slug": "semarang", "name_th": "เซมารัง", "name_en": "Semarang", "country": "ID",
        "province_th": "ชวากลาง", "province_en": "Central Java",
        "population": 1560000, "latitude": -6.9667, "longitude": 110.4167, "radius_km": 11,
    },
    {
        "slug": "bandar-lampung", "name_th": "บันดาร์ลัมปุง", "name_en": "Bandar Lampung",
        "country": "ID", "province_th": "ลัมปุง", "province_en": "Lampung",
        "population": 880000, "latitude": -5.4292, "longitude": 105.2610, "radius_km": 8,
    },
    {
        "slug": "da-nang", "name_th": "ดานัง", "name_en": "Da Nang", "country": "VN",
        "province_th": "ดานัง", "province_en": "Da Nang",
        "population": 890000, "latitude": 16.0544, "longitude": 108.2022, "radius_km": 9,
    },
    {
        "slug": "can-tho", "name_th": "เกิ่นเธอ", "name_en": "Can Tho", "country": "VN",
        "province_th": "เกิ่นเธอ", "province_en": "Can Tho",
        "population": 1190000, "latitude": 10.0452, "longitude": 105.7469, "radius_km": 8,
    },
    {
        "slug": "quy-nhon", "name_th": "กวีเญิน", "name_en": "Quy Nhon", "country": "VN",
        "province_th": "บิ่ญดิ่ญ", "province_en": "Binh Dinh",
        "population": 280000, "latitude": 13.7820, "longitude": 109.2190, "radius_km": 9,
    },
]

# Per Thai city: key -> organisation. Keys are local to the city and used by people_data.
CITY_ORGANISATIONS = {
    "chiang-rai": {
        "municipality": {
            "name_th": "เทศบาลนครเชียงราย", "name_en": "Chiang Rai City Municipality",
            "kind": "government", "website": "https://www.chiangraicity.go.th/",
        },
        "university": {
            "name_th": "มหาวิทยาลัยแม่ฟ้าหลวง", "name_en": "Mae Fah Luang University",
            "short_name": "MFU", "kind": "academia", "website": "https://www.mfu.ac.th/",
        },
        "environment": {
            "name_th": "สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดเชียงราย",
            "name_en": "Chiang Rai Provincial Office of Natural Resources and Environment",
            "kind": "government",
        },
        "disaster": {
            "name_th": "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัดเชียงราย",
            "name_en": "Chiang Rai Provincial Office of Disaster Prevention and Mitigation",
            "kind": "government",
        },
        "community": {
            "name_th": "เครือข่ายชุมชนริมแม่น้ำกก", "name_en": "Kok River Community Network",
            "kind": "community",
        },
        "business": {
            "name_th": "หอการค้าจังหวัดเชียงราย", "name_en": "Chiang Rai Chamber of Commerce",
            "kind": "private",
        },
        "media": {
            "name_th": "สถานีวิทยุกระจายเสียงแห่งประเทศไทย จังหวัดเชียงราย",
            "name_en": "Radio Thailand Chiang Rai", "kind": "media",
        },
    },
    "hat-yai": {
        "municipality": {
            "name_th": "เทศบาลนครหาดใหญ่", "name_en": "Hat Yai City Municipality",
            "kind": "government", "website": "https://www.hatyaicity.go.th/",
        },
        "university": {
            "name_th": "มหาวิทยาลัยสงขลานครินทร์", "name_en": "Prince of Songkla University",
            "short_name": "PSU", "kind": "academia", "website": "https://www.psu.ac.th/",
        },
        "environment": {
            "name_th": "สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดสงขลา",
            "name_en": "Songkhla Provincial Office of Natural Resources and Environment",
            "kind": "government",
        },
        "disaster": {
            "name_th": "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัดสงขลา",
            "name_en": "Songkhla Provincial Office of Disaster Prevention and Mitigation",
            "kind": "government",
        },
        "irrigation": {
            "name_th": "โครงการชลประทานสงขลา", "name_en": "Songkhla Irrigation Project",
            "kind": "government",
        },
        "community": {
            "name_th": "เครือข่ายชุมชนคลองอู่ตะเภา", "name_en": "U-Taphao Canal Community Network",
            "kind": "community",
        },
        "business": {
            "name_th": "หอการค้าจังหวัดสงขลา", "name_en": "Songkhla Chamber of Commerce",
            "kind": "private",
        },
    },
    "udon-thani": {
        "municipality": {
            "name_th": "เทศบาลนครอุดรธานี", "name_en": "Udon Thani City Municipality",
            "kind": "government", "website": "https://www.udoncity.go.th/",
        },
        "university": {
            "name_th": "มหาวิทยาลัยราชภัฏอุดรธานี", "name_en": "Udon Thani Rajabhat University",
            "short_name": "UDRU", "kind": "academia", "website": "https://www.udru.ac.th/",
        },
        "environment": {
            "name_th": "สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดอุดรธานี",
            "name_en": "Udon Thani Provincial Office of Natural Resources and Environment",
            "kind": "government",
        },
        "disaster": {
            "name_th": "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัดอุดรธานี",
            "name_en": "Udon Thani Provincial Office of Disaster Prevention and Mitigation",
            "kind": "government",
        },
        "community": {
            "name_th": "เครือข่ายชุมชนรอบหนองประจักษ์",
            "name_en": "Nong Prajak Community Network", "kind": "community",
        },
        "business": {
            "name_th": "หอการค้าจังหวัดอุดรธานี", "name_en": "Udon Thani Chamber of Commerce",
            "kind": "private",
        },
    },
}

# Radius multipliers for the eight vertices, so the shapes are irregular but always convex
# enough to be valid.
_SHAPE = (1.0, 0.85, 1.1, 0.9, 1.05, 0.8, 0.95, 1.15)


def boundary(latitude, longitude, radius_km):
    """A closed, counter-clockwise GeoJSON Polygon of eight vertices around the centre."""
    km_per_degree = 111.32
    ring = []
    for index, factor in enumerate(_SHAPE):
        angle = 2 * math.pi * index / len(_SHAPE)
        reach = radius_km * factor / km_per_degree
        dlat = reach * math.sin(angle)
        # A degree of longitude shrinks with latitude.
        dlon = reach * math.cos(angle) / math.cos(math.radians(latitude))
        ring.append([round(longitude + dlon, 5), round(latitude + dlat, 5)])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}
