"""Demo records of the Shared Learning Dialogues, for the demo network of apps.demo.

`seed_dialogues(network)` records what Chiang Rai's SLD 1 and SLD 2 and Hat Yai's SLD 1
concluded (the SLDs the demo progress marks done), with votes and follow-up actions, and gives
some Chiang Rai working-group members logins so that they can vote (cr-member-1..6, password
demo-pass-2553; the demo user "member" is a member too). A dialogue that exists already is
left as it is, so running it again changes nothing. Call it after seed_demo, in a transaction.

Dates follow the demo story: a dialogue is dated on its activity's recorded end, and
follow-up actions are due relative to today so one of them is always overdue per city.
"""
import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment
from apps.dialogues.models import (
    Dialogue, DialogueChange, DialogueItem, FollowUpAction, Nomination, Risk, RiskArea,
    VulnerableGroup, sld_plan_activities,
)
from apps.dialogues.votes import Ballot, Vote
from apps.people.models import Organisation, Person

# The demo accounts' published password (README), not a secret.
PASSWORD = "demo-pass-2553"  # nosec B105

# username -> the Chiang Rai person it logs in as (people_data.PEOPLE["chiang-rai"]).
VOTERS = {
    "cr-member-1": "ประเสริฐ แก้วมูล",
    "cr-member-2": "อรุณี ปัญญาวงศ์",
    "cr-member-3": "ธนพล ศรีวิชัย",
    "cr-member-4": "กาญจนา ทองคำ",
    "cr-member-5": "บุญเรือง ธรรมวงศ์",
    "cr-member-6": "สมบัติ เตชะวงศ์",
}


def _ring(*points):
    return {"type": "Polygon", "coordinates": [[*map(list, points), list(points[0])]]}


# Each dialogue: (city slug, SLD number) -> its record. Item tuples are (kind, Thai, English);
# risks (hazard, Thai, English); groups (Thai, English, description); areas (Thai, English,
# hazard, geometry); nominations (organisation key or None, free-text name, topic);
# actions (Thai, English, owner's Thai name or free text, due in days from today, done).
DIALOGUES = {
    ("chiang-rai", 1): {
        "summary_th": (
            "คณะทำงานและภาคีทบทวนแนวโน้มสภาพภูมิอากาศของภาคเหนือและสถิติภัยพิบัติของเมือง"
            "เชียงราย จัดลำดับความเสี่ยงด้วยการให้คะแนนแบบบอร์ดา ได้น้ำท่วมริมแม่น้ำกก"
            "และน้ำป่าไหลหลากเป็นสองลำดับแรก กำหนดชุมชนริมแม่น้ำกกเป็นพื้นที่ศึกษา "
            "และเลือกมหาวิทยาลัยแม่ฟ้าหลวงเป็นผู้ประเมินความเปราะบาง"),
        "summary_en": (
            "The working group and partners reviewed northern Thailand's climate trends and "
            "Chiang Rai's disaster record, ranked the city's risks by Borda count (Kok river "
            "floods and flash floods first), set the Kok riverbank communities as the study "
            "area and chose Mae Fah Luang University to carry out the vulnerability assessment."),
        "items": [
            ("input", "สถาบันสิ่งแวดล้อมไทยนำเสนอแนวโน้มอุณหภูมิและปริมาณฝนของภาคเหนือในรอบ 30 ปี",
             "TEI presented 30-year temperature and rainfall trends for northern Thailand"),
            ("input", "เทศบาลนำเสนอสถิติน้ำท่วมริมแม่น้ำกกและน้ำป่าไหลหลากในรอบ 10 ปี",
             "The municipality presented ten years of Kok river flood and flash-flood records"),
            ("issue", "การขยายตัวของเมืองรุกล้ำพื้นที่รับน้ำริมแม่น้ำกก",
             "Urban growth is encroaching on the Kok river's floodplain"),
            ("issue",
             "หมอกควันจากการเผาในที่โล่งช่วงกุมภาพันธ์ถึงเมษายนกระทบสุขภาพผู้สูงอายุและเด็ก",
             "Haze from open burning, February to April, harms the elderly and children"),
            ("agreement", "ให้น้ำท่วมและน้ำป่าไหลหลากเป็นประเด็นหลักของการประเมินผลกระทบ",
             "Floods and flash floods are the focus of the impact assessment"),
            ("gap", "ยังไม่มีข้อมูลระดับน้ำรายชั่วโมงของแม่น้ำกกช่วงที่ไหลผ่านเขตเทศบาล",
             "No hourly water levels of the Kok river where it crosses the municipality"),
            ("need", "ระบบเตือนภัยน้ำท่วมล่วงหน้าที่ชุมชนดูแลเอง",
             "A community-run flood early-warning system"),
            ("need", "แผนที่พื้นที่เสี่ยงดินถล่มบริเวณเชิงดอยในเขตเมือง",
             "A landslide risk map of the city's hillside areas"),
        ],
        "risks": [
            ("flood", "น้ำท่วมริมแม่น้ำกกในฤดูฝน ท่วมขังชุมชนริมตลิ่งนานหลายวัน",
             "Kok river floods in the rainy season, lasting days in riverbank communities"),
            ("flash_flood", "น้ำป่าไหลหลากจากลำห้วยสาขาเมื่อฝนตกหนักบนดอยทางทิศตะวันตก",
             "Flash floods down the tributaries after heavy rain on the western hills"),
            ("landslide", "ดินถล่มบริเวณชุมชนเชิงดอยเมื่อฝนตกต่อเนื่อง",
             "Landslides in hillside communities after prolonged rain"),
            ("drought", "ภัยแล้งในฤดูร้อน น้ำดิบสำหรับผลิตประปาลดลง",
             "Hot-season drought lowers raw water for the water supply"),
            ("haze", "หมอกควันจากการเผาในที่โล่ง ค่าฝุ่นละอองเกินมาตรฐานหลายสัปดาห์",
             "Haze from open burning: particulates above the standard for weeks"),
        ],
        "groups": [
            ("ชุมชนริมแม่น้ำกก", "Kok riverbank communities",
             "14 ชุมชนที่ตั้งบ้านเรือนบนที่ราบน้ำท่วมถึง น้ำท่วมซ้ำซากเกือบทุกปี"),
            ("ชุมชนแออัดในเขตเทศบาล", "Informal settlements in the municipality",
             "บ้านเรือนหนาแน่น ระบบระบายน้ำไม่เพียงพอ"),
            ("ผู้สูงอายุและเด็กเล็ก", "The elderly and young children",
             "ได้รับผลกระทบต่อสุขภาพจากหมอกควันมากที่สุด"),
        ],
        "areas": [
            ("ชุมชนริมแม่น้ำกก ฝั่งใต้", "Kok river, south bank communities", "flood",
             _ring((99.815, 19.9215), (99.842, 19.9245), (99.866, 19.9225), (99.866, 19.9285),
                   (99.842, 19.9305), (99.815, 19.9275))),
            ("ย่านตลาดและใจกลางเมือง", "Market district and city centre", "flash_flood",
             _ring((99.832, 19.9055), (99.848, 19.9055), (99.850, 19.9145), (99.834, 19.9155))),
            ("ชุมชนเชิงดอยทางทิศตะวันตก", "Hillside communities to the west", "landslide",
             _ring((99.806, 19.8985), (99.818, 19.8965), (99.821, 19.9065), (99.809, 19.9085))),
        ],
        "nominations": [
            ("university", "คณะผู้วิจัยสำนักวิชาวิทยาศาสตร์",
             "ประเมินความเปราะบางต่อน้ำท่วม น้ำป่าไหลหลาก และหมอกควัน"),
            ("disaster", "", "ข้อมูลสถิติภัยพิบัติและแผนที่พื้นที่เสี่ยงของจังหวัด"),
        ],
        "actions": [
            ("ส่งสถิติน้ำท่วมย้อนหลัง 10 ปีให้มหาวิทยาลัยแม่ฟ้าหลวง",
             "Send ten years of flood records to Mae Fah Luang University",
             "ศิริพร ใจมา", -60, True),
            ("สำรวจและจัดทำแผนที่ชุมชนริมแม่น้ำกก 14 ชุมชน",
             "Survey and map the 14 Kok riverbank communities", "วิชัย สุริยะวงศ์", -45, True),
        ],
        # Borda on the risks; each ballot lists option numbers, first choice first.
        "votes": [{
            "title_th": "จัดลำดับความเสี่ยงของเมืองจากการเปลี่ยนแปลงสภาพภูมิอากาศ",
            "title_en": "Ranking the city's climate risks", "method": "borda",
            "options": "risks", "close": True,
            "ballots": [[1, 2, 5, 3, 4]] * 5 + [[2, 1, 3, 5, 4]] * 3 + [[5, 1, 2, 4, 3]] * 2
            + [[1, 5, 2, 3]] * 2,
        }],
    },
    ("chiang-rai", 2): {
        "summary_th": (
            "มหาวิทยาลัยแม่ฟ้าหลวงนำเสนอผลการประเมินความเปราะบาง คณะทำงานเห็นพ้องให้การจัดการ"
            "น้ำท่วมเขตเมืองและระบบเตือนภัยล่วงหน้าเป็นประเด็นยุทธศาสตร์ และจัดลำดับความต้องการ"
            "โครงการนำร่องด้วยการลงคะแนนแบบติดจุด คนละ 5 จุด"),
        "summary_en": (
            "Mae Fah Luang University presented the vulnerability assessment. The working group "
            "agreed on urban flood management and early warning as strategic issues and ranked "
            "the pilot needs by dot voting, five dots each."),
        "items": [
            ("input",
             "ผลการประเมิน: ชุมชนริมแม่น้ำกก 14 ชุมชน ประชากรราว 9,000 คน เสี่ยงน้ำท่วมซ้ำซาก",
             "Assessment: 14 Kok riverbank communities, about 9,000 people, flood repeatedly"),
            ("strategic_issue", "การจัดการน้ำท่วมเขตเมือง", "Urban flood management"),
            ("strategic_issue", "ระบบเตือนภัยล่วงหน้า", "Early warning"),
            ("strategic_issue", "หมอกควันกับสุขภาพ", "Haze and health"),
            ("need", "ระบบเตือนภัยน้ำท่วมโดยชุมชนริมแม่น้ำกก",
             "Community flood early warning along the Kok"),
            ("need", "ฟื้นฟูพื้นที่ชุ่มน้ำริมแม่น้ำกกเพื่อเป็นพื้นที่รับน้ำ",
             "Restore Kok riverside wetlands to hold floodwater"),
            ("need", "ปรับปรุงระบบระบายน้ำในเขตเทศบาล", "Upgrade the municipal drainage"),
            ("need", "เครือข่ายเฝ้าระวังหมอกควันและสุขภาพในโรงเรียน",
             "A school network watching haze and health"),
            ("agreement", "ให้คัดเลือกโครงการนำร่องจากความต้องการ 3 ลำดับแรก",
             "Pilots are to be chosen from the three top-ranked needs"),
            ("gap", "ผลกระทบของน้ำท่วมต่อรายได้ของผู้ค้ารายย่อย",
             "How floods affect small traders' income"),
            ("gap", "ความสามารถในการรับน้ำของพื้นที่ชุ่มน้ำที่เหลืออยู่",
             "How much water the remaining wetlands can hold"),
            ("gap", "แนวโน้มฝนตกหนักรายวันในอนาคตของลุ่มน้ำกก",
             "Future daily heavy-rain trends in the Kok basin"),
        ],
        "areas": [
            ("พื้นที่น้ำท่วมซ้ำซากตามผลการประเมิน", "Repeatedly flooded area (assessment)",
             "flood", _ring((99.824, 19.9195), (99.858, 19.9205), (99.860, 19.9300),
                            (99.826, 19.9290))),
        ],
        "actions": [
            ("ส่งร่างข้อเสนอโครงการระบบเตือนภัยน้ำท่วมโดยชุมชน",
             "Submit the draft proposal for community flood warning", "อรุณี ปัญญาวงศ์", -30,
             True),
            ("นัดประชุม 14 ชุมชนริมแม่น้ำกกเพื่อชี้แจงโครงการนำร่อง",
             "Meet the 14 Kok riverbank communities about the pilots", "บุญเรือง ธรรมวงศ์", -12,
             False),
            ("รวบรวมข้อมูลฝุ่นละอองย้อนหลังจากสถานีตรวจวัดคุณภาพอากาศ",
             "Collect past particulate readings from the air-quality station",
             "สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัดเชียงราย", 20, False),
        ],
        "votes": [{
            "title_th": "จัดลำดับความต้องการโครงการนำร่อง", "title_en": "Ranking the pilot needs",
            "method": "dots", "dots": 5, "options": "need", "close": True,
            "ballots": [{1: 3, 2: 2}] * 4 + [{1: 2, 3: 2, 4: 1}] * 3 + [{2: 3, 4: 2}] * 2
            + [{3: 5}],
        }, {
            # Still open: the group ranks, online, what to study next.
            "title_th": "จัดลำดับช่องว่างความรู้ที่ควรศึกษาเพิ่มเติม",
            "title_en": "Ranking the knowledge gaps to study next", "method": "borda",
            "options": "gap", "close": False, "online_only": True,
            "ballots": [[3, 2, 1], [3, 1], [2, 3, 1], [3, 2]],
        }],
    },
    ("hat-yai", 1): {
        "summary_th": (
            "ที่ประชุมทบทวนเหตุน้ำท่วมฉับพลันปี พ.ศ. 2543 และ 2553 ที่น้ำท่วมพื้นที่ราวร้อยละ 80 "
            "ของเมือง สูงถึง 3.5 เมตร จัดลำดับความเสี่ยง ได้แก่ น้ำท่วมฉับพลัน ภัยแล้ง และการขาด"
            "แคลนน้ำ และเลือกคณะการจัดการสิ่งแวดล้อม มหาวิทยาลัยสงขลานครินทร์ เป็นผู้ศึกษา"),
        "summary_en": (
            "The meeting reviewed the 2000 and 2010 flash floods (about 80% of the city under up "
            "to 3.5 m of water), ranked flash floods, drought and water shortage as the city's "
            "risks and chose Prince of Songkla University's Faculty of Environmental Management "
            "to study them."),
        "items": [
            ("input", "สถิติน้ำท่วมฉับพลันจากคลองอู่ตะเภา ปี พ.ศ. 2543 และ 2553",
             "Records of the U-Taphao canal flash floods of 2000 and 2010"),
            ("issue", "คลองระบายน้ำ ร.1 รับน้ำไม่ทันเมื่อฝนตกหนักต่อเนื่อง",
             "The R.1 diversion canal cannot keep up with prolonged heavy rain"),
            ("agreement", "ให้ศึกษาน้ำท่วมฉับพลันควบคู่กับการขาดแคลนน้ำในฤดูแล้ง",
             "Study flash floods together with dry-season water shortage"),
            ("need", "ปรับปรุงระบบเตือนภัยน้ำท่วมให้ถึงผู้ค้าในย่านการค้า",
             "Flood warnings that reach the traders of the market district"),
        ],
        "risks": [
            ("flash_flood", "น้ำท่วมฉับพลันจากคลองอู่ตะเภา ปี พ.ศ. 2543 และ 2553 ท่วมราวร้อยละ 80 "
             "ของเมือง สูงถึง 3.5 เมตร",
             "U-Taphao canal flash floods in 2000 and 2010: about 80% of the city, up to 3.5 m"),
            ("drought", "ภัยแล้งในฤดูร้อน ฝนทิ้งช่วงนานขึ้น",
             "Hot-season drought with longer dry spells"),
            ("water_shortage", "น้ำประปาไม่พอในช่วงแล้ง ต้องสูบน้ำดิบจากคลองอู่ตะเภา",
             "Piped water runs short in droughts; raw water is pumped from the canal"),
        ],
        "groups": [
            ("ชุมชนริมคลองอู่ตะเภา", "U-Taphao canal communities", "น้ำท่วมถึงก่อนและลดช้าที่สุด"),
            ("ผู้ค้ารายย่อยในย่านการค้าใจกลางเมือง", "Small traders in the city-centre market",
             "สินค้าและร้านค้าเสียหายเมื่อน้ำท่วมฉับพลัน"),
            ("ผู้สูงอายุและผู้พิการ", "The elderly and people with disabilities",
             "อพยพได้ช้าเมื่อน้ำมาเร็ว"),
        ],
        "areas": [
            ("ย่านการค้าใจกลางเมืองหาดใหญ่", "Hat Yai city-centre market district",
             "flash_flood", _ring((100.466, 7.0035), (100.482, 7.0040), (100.483, 7.0135),
                                  (100.467, 7.0130))),
            ("ชุมชนริมคลองอู่ตะเภา", "U-Taphao canal communities", "flood",
             _ring((100.486, 6.9960), (100.492, 6.9955), (100.494, 7.0190), (100.488, 7.0195))),
        ],
        "nominations": [
            ("university", "คณะการจัดการสิ่งแวดล้อม",
             "ประเมินความเสี่ยงน้ำท่วมฉับพลันและการขาดแคลนน้ำ"),
            ("irrigation", "", "ข้อมูลระดับน้ำและปริมาณฝนของลุ่มน้ำคลองอู่ตะเภา"),
        ],
        "actions": [
            ("ขอข้อมูลระดับน้ำคลองอู่ตะเภาย้อนหลังจากโครงการชลประทานสงขลา",
             "Request past U-Taphao canal levels from the Songkhla Irrigation Project",
             "อนันต์ ชูช่วย", -40, True),
            ("จัดประชุมผู้ค้าในย่านการค้าเรื่องช่องทางรับการเตือนภัย",
             "Meet the market traders on how warnings should reach them", "สมศักดิ์ เพชรรัตน์",
             -20, False),
            ("สรุปข้อมูลการใช้น้ำประปาในช่วงแล้งให้คณะผู้วิจัย",
             "Summarise dry-season water use for the research team", "วรรณา ศรีสุข", 15, False),
        ],
        "votes": [],
    },
}


def seed_dialogues(network, today=None):
    """Record the demo SLDs of `network`'s Thai cities; idempotent (see the module docstring)."""
    today = today or timezone.localdate()
    activities = sld_plan_activities(network.plan_id)
    cities = {city.slug: city for city in network.cities.filter(
        slug__in={slug for slug, _n in DIALOGUES})}
    with transaction.atomic():
        users = _voter_logins(cities.get("chiang-rai"))
        coordinators = {u.username: u for u in get_user_model().objects.filter(
            username__in=["chiangrai", "hatyai"])}
        for (slug, number), spec in DIALOGUES.items():
            city = cities.get(slug)
            if city is None or number > len(activities):
                continue
            activity = city.activities.filter(plan_activity=activities[number - 1]).first()
            held = activity and (activity.actual_end or activity.actual_start)
            if held is None or Dialogue.objects.filter(city_activity=activity).exists():
                continue  # not held in the demo story, or recorded already
            by = coordinators.get({"chiang-rai": "chiangrai", "hat-yai": "hatyai"}[slug])
            _record(city, activity, held, spec, by, users, today)


def _voter_logins(city):
    """Logins for some of Chiang Rai's working-group members, so they can vote online."""
    if city is None:
        return {}
    User = get_user_model()
    linked = {}
    for username, name_th in VOTERS.items():
        person = Person.objects.filter(city=city, full_name_th=name_th).first()
        if person is None:
            continue
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"})
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        RoleAssignment.objects.get_or_create(user=user, role=Role.WORKING_GROUP_MEMBER, city=city)
        if person.user_id is None:
            person.user = user
            person.save(update_fields=["user"])
        linked[person.pk] = user
    return linked


def _record(city, activity, held, spec, by, users, today):
    from apps.events.models import Event

    dialogue = Dialogue.objects.create(
        city_activity=activity, date=held, summary_th=spec["summary_th"],
        summary_en=spec["summary_en"], published=activity.published,
        # The demo event of this SLD, when the events demo has one.
        event=Event.objects.filter(city_activity=activity).order_by("starts_at").first(),
    )
    dialogue.log(by, DialogueChange.Action.CREATE)
    items = [DialogueItem(dialogue=dialogue, kind=kind, text_th=th, text_en=en, order=n)
             for n, (kind, th, en) in enumerate(spec.get("items", []))]
    DialogueItem.objects.bulk_create(items)
    risks = [Risk(dialogue=dialogue, hazard=hazard, description_th=th, description_en=en,
                  order=n) for n, (hazard, th, en) in enumerate(spec.get("risks", []))]
    Risk.objects.bulk_create(risks)
    VulnerableGroup.objects.bulk_create(
        VulnerableGroup(dialogue=dialogue, name_th=th, name_en=en, description_th=description,
                        order=n) for n, (th, en, description) in enumerate(spec.get("groups", [])))
    for n, (th, en, hazard, geometry) in enumerate(spec.get("areas", [])):
        area = RiskArea(dialogue=dialogue, name_th=th, name_en=en, hazard=hazard,
                        geometry=geometry, order=n)
        area.full_clean()  # the demo's shapes pass the same check as a user's
        area.save()
    organisations = {o.name_th: o for o in Organisation.objects.filter(city=city)}
    from apps.demo.network_data import CITY_ORGANISATIONS

    for n, (key, name, topic) in enumerate(spec.get("nominations", [])):
        organisation = key and organisations.get(CITY_ORGANISATIONS[city.slug][key]["name_th"])
        Nomination.objects.create(dialogue=dialogue, organisation=organisation, name=name,
                                  topic_th=topic, order=n)
    people = {p.full_name_th: p for p in Person.objects.filter(city=city)}
    for th, en, owner, due_in, done in spec.get("actions", []):
        action = FollowUpAction.objects.create(
            dialogue=dialogue, text_th=th, text_en=en, owner=people.get(owner),
            owner_name="" if owner in people else owner,
            # Never due before the dialogue that agreed it, whatever day the demo is loaded.
            due=max(today + dt.timedelta(days=due_in), held + dt.timedelta(days=3)))
        if done:
            action.complete(by, on=min(action.due, today))
    for vote_spec in spec.get("votes", []):
        _vote(dialogue, vote_spec, risks, by, users, held)
    # The history happened on the day of the dialogue, not when the demo was loaded.
    moment = timezone.make_aware(dt.datetime.combine(held, dt.time(16, 30)))
    DialogueChange.objects.filter(dialogue=dialogue).update(at=min(moment, timezone.now()))


def _vote(dialogue, spec, risks, by, users, held):
    if spec["options"] == "risks":
        sources = risks
    else:
        sources = list(dialogue.items.filter(kind=spec["options"]).order_by("order"))
    vote = Vote.objects.open(dialogue, by, title_th=spec["title_th"], title_en=spec["title_en"],
                             method=spec["method"], dots=spec.get("dots"), held_on=held,
                             sources=sources)
    # Members with a login vote online; the organiser enters the others' paper ballots,
    # unless the vote runs online only (then only members with a login take part).
    # The open vote is left for the demo's "member" login to try, so only cr-member-N vote.
    voters = [m.person for m in vote.memberships().select_related("person__user")]
    if spec.get("online_only"):
        voters = [person for person in voters if person.pk in users]
    else:
        voters.sort(key=lambda person: person.user_id is None)
    for person, ballot in zip(voters, spec["ballots"]):
        values = ({number: rank for rank, number in enumerate(ballot, 1)}
                  if isinstance(ballot, list) else ballot)
        vote.cast(person, person.user or by, values)
    if spec["close"]:
        vote.close(by)
        closed = timezone.make_aware(dt.datetime.combine(held, dt.time(15, 0)))
        closed = min(closed, timezone.now())
        Vote.objects.filter(pk=vote.pk).update(opened_at=closed - dt.timedelta(hours=1),
                                               closed_at=closed)
        Ballot.objects.filter(vote=vote).update(cast_at=closed - dt.timedelta(minutes=30),
                                                updated_at=closed - dt.timedelta(minutes=30))
