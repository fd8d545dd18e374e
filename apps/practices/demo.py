"""Demo good practices, safe to run twice (each is found again by city and Thai title).

Six published practices from five cities of the network (three Thai, two abroad), on floods,
flash floods, drought, heat, haze and storms, and one draft of Udon Thani's. Hat Yai's
assessment rates flood risks, so its assessment page shows Chiang Rai's flood warning and
Semarang's tidal-flood practice as similar practices; Chiang Rai's comes from its Kok River
pilot when the pilots demo made it.
"""
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from apps.networks.models import City

PRACTICES = [
    {
        "city": "chiang-rai", "status": "published", "pilot": "Community flood early warning",
        "title_th": "ระบบเตือนภัยน้ำท่วมล่วงหน้าโดยชุมชนริมแม่น้ำกก",
        "title_en": "Community-based flood early warning on the Kok River",
        "hazards": ["flood", "flash_flood"], "sectors": ["communications", "drainage"],
        "problem_th": "ชุมชนริมแม่น้ำกกได้รับน้ำท่วมฉับพลันเกือบทุกปี ชาวบ้านรู้ตัวช้า "
                      "ขนย้ายทรัพย์สินไม่ทัน",
        "problem_en": "Riverside communities on the Kok River are flooded almost every year "
                      "and learn of it too late to move their belongings.",
        "what_was_done_th": "<p>ติดตั้ง<strong>เครื่องวัดระดับน้ำอัตโนมัติ</strong> 6 จุดตามลำน้ำ "
                            "เชื่อมกับกลุ่มไลน์ของชุมชน</p><ul><li>อบรมอาสาสมัครเตือนภัย 24 คน"
                            "</li><li>กำหนดระดับเฝ้าระวัง เตรียมพร้อม และอพยพร่วมกับชุมชน</li>"
                            "<li>ซ้อมอพยพปีละครั้งก่อนฤดูฝน</li></ul>",
        "what_was_done_en": "<p>Six <strong>automatic water-level gauges</strong> along the "
                            "river, linked to the communities' chat groups.</p><ul><li>24 "
                            "warning volunteers trained</li><li>Watch, prepare and evacuate "
                            "levels agreed with the communities</li><li>A yearly evacuation "
                            "drill before the rainy season</li></ul>",
        "results_th": "ชุมชนได้รับคำเตือนล่วงหน้า 3-6 ชั่วโมง ความเสียหายของทรัพย์สินในบ้านลดลง",
        "results_en": "Communities get three to six hours' warning; household losses fell.",
        "cost": "540000", "cost_note": "รวมค่าอบรมอาสาสมัคร",
        "replication_conditions_th": "มีสัญญาณโทรศัพท์มือถือในพื้นที่ มีอาสาสมัครที่ชุมชนไว้วางใจ "
                                     "และเทศบาลรับดูแลอุปกรณ์ต่อ",
        "replication_conditions_en": "Mobile coverage, volunteers the community trusts, and a "
                                     "municipality that maintains the gauges.",
        "contact_name": "ศิริพร ใจมา", "contact_email": "chiangrai@example.org",
    },
    {
        "city": "hat-yai", "status": "published",
        "title_th": "การประเมินความเสี่ยงน้ำท่วมระดับชุมชนริมคลองอู่ตะเภา",
        "title_en": "Community flood risk assessment along Khlong U-Taphao",
        "hazards": ["flood", "flash_flood"], "sectors": ["drainage", "housing"],
        "problem_th": "แผนที่น้ำท่วมของเมืองหยาบเกินกว่าจะบอกได้ว่าบ้านหลังใดเสี่ยง",
        "problem_en": "The city's flood maps were too coarse to tell which houses were at risk.",
        "what_was_done_th": "<p>ชุมชนเดินสำรวจร่วมกับนักศึกษามหาวิทยาลัยสงขลานครินทร์ "
                            "บันทึกระดับน้ำท่วมปี 2553 บนเสาไฟฟ้า และจัดทำแผนที่ความเสี่ยง"
                            "รายครัวเรือน</p>",
        "what_was_done_en": "<p>Residents walked the canal with university students, marked "
                            "the 2010 flood level on electricity poles and drew a household "
                            "risk map.</p>",
        "results_th": "แผนที่ความเสี่ยงครอบคลุม 12 ชุมชน ใช้วางแผนอพยพและจัดลำดับงบประมาณ",
        "results_en": "Risk maps for 12 communities, used for evacuation plans and budgets.",
        "cost": "180000", "cost_note": "",
        "replication_conditions_th": "มีสถาบันการศึกษาในพื้นที่ร่วมทำงาน",
        "replication_conditions_en": "A local university to work with.",
        "contact_name": "วรรณา ศรีสุข", "contact_email": "hatyai@example.org",
    },
    {
        "city": "udon-thani", "status": "published",
        "title_th": "ธนาคารน้ำใต้ดินเพื่อรับมือภัยแล้งในชุมชนเมือง",
        "title_en": "Groundwater banking against drought in urban communities",
        "hazards": ["drought", "water_shortage"], "sectors": ["water_supply", "food"],
        "problem_th": "ช่วงหน้าแล้งน้ำประปาไม่พอ ชุมชนชานเมืองต้องซื้อน้ำ",
        "problem_en": "Tap water runs short in the dry season; peri-urban communities buy water.",
        "what_was_done_th": "<p>ขุดบ่อเติมน้ำใต้ดินแบบระบบปิด 40 บ่อ รับน้ำฝนจากหลังคาและถนน</p>",
        "what_was_done_en": "<p>Forty closed recharge wells take rain from roofs and roads.</p>",
        "results_th": "ระดับน้ำในบ่อตื้นสูงขึ้นในหน้าแล้ง ครัวเรือนซื้อน้ำน้อยลง",
        "results_en": "Shallow wells hold more water in the dry season; households buy less.",
        "cost": "320000", "cost_note": "บ่อละประมาณ 8,000 บาท",
        "replication_conditions_th": "ดินร่วนปนทรายที่น้ำซึมได้ดี",
        "replication_conditions_en": "Permeable sandy-loam soil.",
        "contact_name": "พัชรินทร์ พลพิทักษ์", "contact_email": "udon@example.org",
    },
    {
        "city": "chiang-rai", "status": "published",
        "title_th": "ห้องปลอดฝุ่นในโรงเรียนช่วงวิกฤตหมอกควัน",
        "title_en": "Clean-air rooms in schools during the haze season",
        "hazards": ["haze", "heat"], "sectors": ["health"],
        "problem_th": "ค่าฝุ่น PM2.5 เกินมาตรฐานหลายสัปดาห์ เด็กเล็กป่วยด้วยโรคทางเดินหายใจ",
        "problem_en": "PM2.5 stays above the standard for weeks; young children fall ill.",
        "what_was_done_th": "<p>ปรับห้องเรียนให้ปิดมิดชิด ติดเครื่องฟอกอากาศ และ"
                            "ติดตามค่าฝุ่นด้วยเครื่องวัดราคาถูก</p>",
        "what_was_done_en": "<p>Sealed classrooms, air purifiers and low-cost PM2.5 sensors.</p>",
        "results_th": "ค่าฝุ่นในห้องต่ำกว่าภายนอกร้อยละ 70",
        "results_en": "Indoor PM2.5 about 70% below outdoors.",
        "cost": "95000", "cost_note": "ต่อโรงเรียน 5 ห้อง",
        "replication_conditions_th": "มีไฟฟ้าเพียงพอและงบค่าไส้กรอง",
        "replication_conditions_en": "Enough electricity and a budget for filters.",
    },
    {
        "city": "semarang", "status": "published",
        "title_th": "ชุมชนชายฝั่งรับมือน้ำทะเลหนุนด้วยการยกระดับบ้านและป่าชายเลน",
        "title_en": "Coastal communities coping with tidal floods: raised homes and mangroves",
        "hazards": ["flood", "sea_level_rise"], "sectors": ["housing", "ecosystems"],
        "problem_th": "น้ำทะเลหนุนท่วมชุมชนชายฝั่งทุกเดือน แผ่นดินทรุดต่อเนื่อง",
        "problem_en": "Tidal floods reach coastal neighbourhoods monthly; the land is sinking.",
        "what_was_done_th": "<p>ปลูกป่าชายเลนเป็นแนวกันคลื่น และให้สินเชื่อดอกเบี้ยต่ำยกระดับพื้นบ้าน</p>",
        "what_was_done_en": "<p>Mangrove belts against waves; low-interest loans to raise floors.</p>",
        "results_th": "บ้าน 150 หลังพ้นน้ำทะเลหนุน",
        "results_en": "150 homes above the tidal flood level.",
        "cost": None, "cost_note": "ร่วมทุนกับธนาคารชุมชน",
        "replication_conditions_th": "มีกลุ่มออมทรัพย์ชุมชนที่เข้มแข็ง",
        "replication_conditions_en": "A strong community savings group.",
    },
    {
        "city": "da-nang", "status": "published",
        "title_th": "บ้านต้านพายุด้วยเทคนิคก่อสร้างราคาประหยัด",
        "title_en": "Storm-resistant housing with low-cost building techniques",
        "hazards": ["storm"], "sectors": ["housing"],
        "problem_th": "พายุไต้ฝุ่นทำให้หลังคาบ้านเรือนปลิวเสียหายทุกปี",
        "problem_en": "Typhoons tear roofs off every year.",
        "what_was_done_th": "<p>อบรมช่างท้องถิ่นยึดหลังคาและผนัง และให้เงินกู้หมุนเวียน</p>",
        "what_was_done_en": "<p>Local builders trained to tie roofs and walls; a revolving loan.</p>",
        "results_th": "บ้านที่ปรับปรุงไม่เสียหายจากพายุปี 2556",
        "results_en": "Upgraded homes came through the 2013 typhoon undamaged.",
        "cost": "1200000", "cost_note": "กองทุนหมุนเวียน",
        "replication_conditions_th": "ช่างท้องถิ่นที่ผ่านการอบรม",
        "replication_conditions_en": "Trained local builders.",
    },
    {
        "city": "udon-thani", "status": "draft",
        "title_th": "ร่าง: สวนสาธารณะรับน้ำลดความร้อนในเมือง",
        "title_en": "Draft: retention parks that cool the city",
        "hazards": ["heat", "flood"], "sectors": ["ecosystems", "drainage"],
        "problem_th": "ยังเขียนไม่เสร็จ",
        "problem_en": "Still being written.",
    },
]


def seed_practices(network):
    from apps.pilots.models import Pilot
    from apps.practices.models import Practice, PracticeChange

    cities = {c.slug: c for c in City.objects.filter(network=network)}
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["tei", "chiangrai", "hatyai", "udon"])}
    national = users.get("tei")
    with transaction.atomic():
        for row in PRACTICES:
            values = dict(row)
            city = cities.get(values.pop("city"))
            if city is None or Practice.objects.filter(city=city,
                                                       title_th=values["title_th"]).exists():
                continue
            status = values.pop("status")
            pilot_title = values.pop("pilot", None)
            if values.get("cost") is not None:
                values["cost"] = Decimal(values["cost"])
            practice = Practice(city=city, **values)
            if pilot_title:
                practice.pilot = Pilot.objects.filter(
                    city=city, title_en__startswith=pilot_title).first()
            practice.save()
            PracticeChange.objects.create(practice=practice, action=PracticeChange.Action.CREATED)
            if status == "published":
                practice.submit(None)
                practice.publish(national)
