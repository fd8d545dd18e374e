"""Demo events for the ACCCRN Thailand network: `seed_events(network)`, called by seed_demo.

- Chiang Rai's project launch (activity 2): held, 78 registered, 76 checked in, minutes.
- Hat Yai's climate change seminar (activity 3, a second round for the wider public): in
  twelve days; 50 places taken, six people waiting, invitations answered and not.
- The Bangkok resilience-planning workshop (activity 6): a network event in English, two
  representatives from each of the ten ACCCRN cities (Udon Thani could not go), held.

All participants beyond the working groups are invented, with example.org addresses. Rows
are found by natural keys before they are created, and no email is sent, so running it again
changes nothing.
"""
import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from apps.events import mail
from apps.events.models import AgendaItem, Event, Material, Registration
from apps.events.services import invite, working_group_people
from apps.people.models import Organisation, Person
from apps.progress.models import ActivityChange, CityActivity, Evidence

FEMALE = [("สุดารัตน์", "Sudarat"), ("กมลวรรณ", "Kamonwan"), ("นภาพร", "Napaporn"),
          ("อรทัย", "Orathai"), ("พรทิพย์", "Pornthip"), ("วิไลวรรณ", "Wilaiwan"),
          ("รัตนา", "Rattana"), ("สมพร", "Somporn"), ("จิราพร", "Jiraporn"),
          ("ดวงใจ", "Duangjai"), ("เพ็ญศรี", "Pensri"), ("อัญชลี", "Anchalee")]
MALE = [("สมชาย", "Somchai"), ("ประยูร", "Prayoon"), ("ณรงค์", "Narong"),
        ("วีระศักดิ์", "Weerasak"), ("สุรชัย", "Surachai"), ("อำนาจ", "Amnat"),
        ("ชัยวัฒน์", "Chaiwat"), ("บุญชัย", "Boonchai"), ("ธวัชชัย", "Thawatchai"),
        ("เกรียงไกร", "Kriangkrai"), ("พงศกร", "Phongsakorn")]
SURNAMES = [("ทองดี", "Thongdee"), ("ศรีสวัสดิ์", "Srisawat"), ("บุญมาก", "Boonmak"),
            ("แสงทอง", "Saengthong"), ("วงศ์สวัสดิ์", "Wongsawat"), ("ชัยชนะ", "Chaichana"),
            ("อินทร์แก้ว", "Inkaew"), ("สุขสม", "Suksom"), ("จันทร์หอม", "Janhom"),
            ("มณีวงศ์", "Maneewong"), ("คำมา", "Khamma"), ("ปัญญาดี", "Panyadee"),
            ("ศรีเมือง", "Srimuang")]
# Where invented participants work: keys of network_data.CITY_ORGANISATIONS, and sectors.
AFFILIATIONS = [("municipality", "administration"), ("community", "social"),
                ("university", "education"), ("environment", "environment"),
                ("disaster", "disaster"), ("business", "economy"), ("municipality", "health"),
                ("media", "other"), ("community", "water")]

# Two representatives of each partner city at the workshop: (Thai, English, gender).
PARTNER_REPS = {
    "surat": [("ราวี เดไซ", "Ravi Desai", "male"), ("ปรียา ชาห์", "Priya Shah", "female")],
    "indore": [("อานิล ชาร์มา", "Anil Sharma", "male"),
               ("มีรา โจชิ", "Meera Joshi", "female")],
    "gorakhpur": [("สุนิล ยาดาฟ", "Sunil Yadav", "male"),
                  ("อนิตา ซิงห์", "Anita Singh", "female")],
    "semarang": [("บูดี ซานโตโซ", "Budi Santoso", "male"),
                 ("เดวี ลาสตารี", "Dewi Lestari", "female")],
    "bandar-lampung": [("อากุส ซาปูตรา", "Agus Saputra", "male"),
                       ("ซิตี นูร์ฮาลิซา", "Siti Nurhaliza", "female")],
    "da-nang": [("เหงียน วัน ฮุง", "Nguyen Van Hung", "male"),
                ("เจิ่น ถิ ลาน", "Tran Thi Lan", "female")],
    "can-tho": [("เล วัน นาม", "Le Van Nam", "male"), ("ฝ่าม ถิ ไม", "Pham Thi Mai", "female")],
    "quy-nhon": [("หวิ่ง วัน ด๊ก", "Huynh Van Duc", "male"),
                 ("หวอ ถิ ฮวา", "Vo Thi Hoa", "female")],
}
THAI_REPS = {"chiang-rai": ["ศิริพร ใจมา", "ธนพล ศรีวิชัย"],
             "hat-yai": ["วรรณา ศรีสุข", "ประพันธ์ แก้วประดิษฐ์"]}


def seed_events(network):
    """Load the demo events of `network` (the ACCCRN Thailand demo network); safe to rerun."""
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["tei", "chiangrai", "hatyai"])}
    cities = {c.slug: c for c in network.cities.all()}
    with transaction.atomic(), mail.muted():
        _chiang_rai_launch(cities["chiang-rai"], users.get("chiangrai"))
        _hat_yai_seminar(cities["hat-yai"], users.get("hatyai"))
        _workshop(network, cities, users.get("tei"))


def _moment(day, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _event(key, by, planned, **values):
    """The event with this natural key (owner and Thai title), created the first time; its
    history starts when it was `planned` in the story."""
    event = Event.objects.filter(**key).first()
    if event is None:
        event = Event(**key, **values)
        event.create(by)
        event.changes.filter(action="create").update(at=min(planned, timezone.now()))
    return event


def _names():
    """Every first name with every surname, in a fixed shuffled order: unique names."""
    firsts = [(*name, "female") for name in FEMALE] + [(*name, "male") for name in MALE]
    combos = [(first, last) for last in SURNAMES for first in firsts]
    # A repeatable demo order, not a secret.
    random.Random(2553).shuffle(combos)  # nosec B311
    return combos


def _participants(city, count, start):
    """`count` invented participants of `city`, the same ones on every run."""
    by_key = _city_org_keys(city, {o.name_en: o for o in Organisation.objects.filter(city=city)})
    people = []
    for i, ((first_th, first_en, gender), (last_th, last_en)) in enumerate(
            _names()[start:start + count], start):
        org_key, sector = AFFILIATIONS[i % len(AFFILIATIONS)]
        person, _ = Person.objects.get_or_create(
            full_name_th=f"{first_th} {last_th}", city=city,
            defaults={"full_name_en": f"{first_en} {last_en}", "gender": gender,
                      "organisation": by_key.get(org_key), "sector": sector,
                      "email": f"{first_en}.{last_en}.{city.slug}@example.org".lower()},
        )
        people.append(person)
    return people


def _city_org_keys(city, orgs_by_english_name):
    from apps.demo.network_data import CITY_ORGANISATIONS

    keys = CITY_ORGANISATIONS.get(city.slug, {})
    return {key: orgs_by_english_name.get(values.get("name_en"))
            for key, values in keys.items()}


def _import(event, people, registered_at, checked_in=None):
    """Registrations of an event that has already happened (registration is closed, so the
    rules of `register` no longer apply): confirmed places, some checked in."""
    already = set(event.registrations.values_list("person_id", flat=True))
    fresh = [p for p in {p.pk: p for p in people}.values() if p.pk not in already]
    position = event.last_position
    rows = []
    for person in fresh:
        position += 1
        came = checked_in is None or person.pk in checked_in
        rows.append(Registration(
            event=event, person=person, status=Registration.Status.CONFIRMED,
            position=position, registered_at=registered_at,
            checked_in_at=event.starts_at + dt.timedelta(minutes=position % 40) if came else None,
        ))
    Registration.objects.bulk_create(rows)
    Event.objects.filter(pk=event.pk).update(last_position=position)
    event.last_position = position


def _agenda(event, items):
    if event.agenda.exists():
        return
    AgendaItem.objects.bulk_create(
        AgendaItem(event=event, day=day, time=dt.time(*start), end_time=dt.time(*end),
                   title_th=th, title_en=en, speaker_name=speaker)
        for day, start, end, th, en, speaker in items)


def _hold(event, by, minutes, when):
    if event.status != Event.Status.SCHEDULED:
        return
    marker = timezone.now()
    event.mark_held(by, minutes)
    # Date what marking it held wrote to when it happened in the story, not to load time.
    event.changes.filter(action="held").update(at=when)
    Evidence.objects.filter(added_at__gte=marker).update(added_at=when)
    ActivityChange.objects.filter(action="evidence", at__gte=marker).update(at=when)


# -- the three events -----------------------------------------------------------------------
def _chiang_rai_launch(city, by):
    activity = CityActivity.objects.select_related("plan_activity").get(
        city=city, plan_activity__number=2)
    day = activity.actual_start or timezone.localdate() - dt.timedelta(days=60)
    municipality = Organisation.objects.filter(city=city, kind="government").order_by("pk").first()
    event = _event(
        {"city_activity": activity, "title_th": "งานเปิดตัวโครงการ ACCCRN เมืองเชียงราย"}, by,
        _moment(day - dt.timedelta(days=21), 10),
        title_en="ACCCRN project launch, Chiang Rai",
        description_th="เปิดตัวโครงการเมืองเชียงรายรับมือการเปลี่ยนแปลงสภาพภูมิอากาศ ชี้แจง"
                       "วัตถุประสงค์ กระบวนการ และบทบาทของภาคีต่างๆ",
        description_en="Launch of Chiang Rai's climate resilience project: aims, process and "
                       "the roles of partners.",
        starts_at=_moment(day, 9), ends_at=_moment(day, 16),
        place_th="ห้องประชุมเทศบาลนครเชียงราย", place_en="Chiang Rai City Hall meeting room",
        organiser=municipality, published=True,
    )
    _agenda(event, [
        (1, (9, 0), (9, 30), "ลงทะเบียน", "Registration", ""),
        (1, (9, 30), (10, 0), "พิธีเปิดและกล่าวต้อนรับ", "Opening and welcome",
         "นายกเทศมนตรีนครเชียงราย"),
        (1, (10, 0), (11, 30), "โครงการ ACCCRN: วัตถุประสงค์และกระบวนการ",
         "ACCCRN: aims and process", "สถาบันสิ่งแวดล้อมไทย"),
        (1, (13, 0), (15, 30), "บทบาทของภาคีและคณะทำงานระดับเมือง",
         "Roles of partners and the city working group", "ศิริพร ใจมา"),
    ])
    members = list(working_group_people([city], on=day))
    guests = _participants(city, 78 - len(members), start=0)
    people = members + guests
    absent = {guests[-1].pk, guests[-2].pk} if len(guests) >= 2 else set()
    _import(event, people, _moment(day - dt.timedelta(days=7), 10),
            checked_in={p.pk for p in people} - absent)
    if not event.materials.exists():
        Material.objects.create(event=event, kind=Material.Kind.MINUTES,
                                title="รายงานการประชุมงานเปิดตัวโครงการ",
                                url="https://www.chiangraicity.go.th/")
    _hold(event, by, "ผู้เข้าร่วม 76 คน จากส่วนราชการ สถานศึกษา ชุมชน และภาคเอกชน "
                     "ที่ประชุมรับทราบกระบวนการ SLD และบทบาทของคณะทำงาน",
          _moment(day, 17))


def _hat_yai_seminar(city, by):
    activity = CityActivity.objects.select_related("plan_activity").get(
        city=city, plan_activity__number=3)
    day = timezone.localdate() + dt.timedelta(days=12)
    university = Organisation.objects.filter(city=city, kind="academia").first()
    event = _event(
        {"city_activity": activity,
         "title_th": "สัมมนาการเปลี่ยนแปลงสภาพภูมิอากาศกับน้ำท่วมฉับพลันในลุ่มน้ำคลองอู่ตะเภา"},
        by, timezone.now(),
        title_en="Seminar: climate change and flash floods in the U-Taphao basin",
        description_th="สัมมนาครั้งที่ 2 สำหรับหน่วยงานและชุมชนในเขตเทศบาล นำเสนอผลการศึกษา"
                       "ฝนตกหนักและน้ำท่วมฉับพลัน โดยวิทยากรจากสถาบันสิ่งแวดล้อมไทยและ"
                       "มหาวิทยาลัยสงขลานครินทร์",
        description_en="A second seminar for agencies and communities of the city: heavy rain "
                       "and flash floods, with speakers from TEI and Prince of Songkla "
                       "University.",
        starts_at=_moment(day, 8, 30), ends_at=_moment(day, 16, 30),
        place_th="ห้องประชุมคณะการจัดการสิ่งแวดล้อม มหาวิทยาลัยสงขลานครินทร์",
        place_en="Faculty of Environmental Management, Prince of Songkla University",
        registration_deadline=_moment(day - dt.timedelta(days=3), 17),
        organiser=university, published=True,
    )
    _agenda(event, [
        (1, (8, 30), (9, 0), "ลงทะเบียน", "Registration", ""),
        (1, (9, 0), (10, 30), "แนวโน้มฝนตกหนักในภาคใต้", "Heavy rain trends in the South",
         "สถาบันสิ่งแวดล้อมไทย"),
        (1, (10, 45), (12, 0), "บทเรียนน้ำท่วมหาดใหญ่ 2543", "Lessons of the 2000 Hat Yai flood",
         "ชนิดา ทองสุข"),
        (1, (13, 0), (16, 0), "กลุ่มย่อย: พื้นที่เสี่ยงและกลุ่มเปราะบาง",
         "Groups: risk areas and vulnerable people", "ประพันธ์ แก้วประดิษฐ์"),
    ])
    if event.registrations.exists():
        return
    members = list(working_group_people([city]).order_by("full_name_th"))
    invite(event, members, by=by)
    invitations = list(event.invitations.select_related("person__city").order_by("pk"))
    for invitation in invitations[:10]:
        invitation.accept()
    if len(invitations) > 10:
        invitations[10].decline()
    for person in _participants(city, 46, start=3):
        event.register(person, by=by)  # the last ones find the event full and wait


def _workshop(network, cities, by):
    step = network.plan.activities.filter(number=6).first() if network.plan_id else None
    if step is None:
        return
    reference = CityActivity.objects.filter(plan_activity=step, city=cities.get("chiang-rai"))
    first = (reference.values_list("actual_start", flat=True).first()
             or timezone.localdate() - dt.timedelta(days=45))
    last = first + dt.timedelta(days=3)
    iset = Organisation.objects.filter(short_name="ISET", city=None).first()
    event = _event(
        {"network": network, "title_th": step.name_th}, by,
        _moment(first - dt.timedelta(days=30), 10),
        plan_activity=step, title_en=step.name_en, language="en",
        description_th="ISET แนะนำเครื่องมือวางแผนรับมือกับผลกระทบ แต่ละเมืองนำข้อมูลพื้นฐาน"
                       "มาร่างแผนการรับมือ ดำเนินการประชุมเป็นภาษาอังกฤษ",
        description_en="ISET introduces its resilience planning tools; each city brings its "
                       "baseline data and drafts a resilience plan. Held in English.",
        starts_at=_moment(first, 9), ends_at=_moment(last, 17),
        place_th="โรงแรมเซ็นจูรี่ พาร์ค กรุงเทพฯ", place_en="Century Park Hotel, Bangkok",
        capacity=20, organiser=iset, published=True,
    )
    _agenda(event, [
        (1, (9, 0), (12, 0), "กรอบแนวคิดการรับมือของเมือง", "The Climate Resilience Framework",
         "ISET"),
        (2, (9, 0), (16, 0), "การวิเคราะห์ระบบเมืองและความเปราะบาง",
         "Urban systems and vulnerability analysis", "ISET"),
        (3, (9, 0), (16, 0), "ร่างแผนการรับมือของแต่ละเมือง",
         "Drafting each city's resilience plan", ""),
        (4, (9, 0), (12, 0), "นำเสนอร่างแผนและแลกเปลี่ยน", "Presenting the drafts", ""),
    ])
    people = []
    for slug, names in THAI_REPS.items():
        people += list(Person.objects.filter(city=cities[slug], full_name_th__in=names))
    for slug, reps in PARTNER_REPS.items():
        city = cities.get(slug)
        if city is None:
            continue
        organisation, _ = Organisation.objects.get_or_create(
            name_th=f"เทศบาลเมือง{city.name_th}", city=city,
            defaults={"name_en": f"{city.name_en} city government", "kind": "government"})
        for name_th, name_en, gender in reps:
            person, _ = Person.objects.get_or_create(
                full_name_th=name_th, city=city,
                defaults={"full_name_en": name_en, "gender": gender,
                          "organisation": organisation, "sector": "planning",
                          "email": name_en.lower().replace(" ", ".") + "@example.org"})
            people.append(person)
    _import(event, people, _moment(first - dt.timedelta(days=20), 10))
    if not event.materials.exists():
        Material.objects.create(event=event, kind=Material.Kind.FILE,
                                title="ISET Climate Resilience Framework",
                                url="https://www.i-s-e-t.org/")
    _hold(event, by, "Representatives of the ten ACCCRN cities drafted resilience plans "
                     "with ISET's tools. Udon Thani could not send representatives (floods).",
          _moment(last, 17, 30))


# -- a pilot's own event ----------------------------------------------------------------------
# Who declared a vulnerable group at the Kok River training (self-declared, optional): by the
# participant's place among the volunteers; the others declared none.
TRAINING_GROUPS = {0: "older", 3: "minority", 5: "older", 8: "disability", 11: "low_income",
                   14: "minority", 17: "migrant", 20: "older"}


def seed_pilot_events(city):
    """The first volunteer training of Chiang Rai's Kok River early-warning pilot, held and
    linked to the pilot, so its page lists it and its participation indicators count it: 24
    volunteers (14 women, 10 men, as its first progress report says), eight of whom declared
    a vulnerable group. Called by the pilots demo once the pilots exist; safe to rerun."""
    from apps.pilots.models import Pilot

    pilot = (Pilot.objects.filter(city=city, title_en__startswith="Community flood early")
             .select_related("proposal__organisation").first())
    activity = CityActivity.objects.filter(city=city, plan_activity__number=11).first()
    if pilot is None or activity is None or pilot.start_date is None:
        return
    by = get_user_model().objects.filter(username="chiangrai").first()
    # Round 1 of the "Three training rounds" milestone, which started 100 days ago.
    day = max(pilot.start_date, timezone.localdate() - dt.timedelta(days=95))
    with transaction.atomic(), mail.muted():
        event = _event(
            {"city_activity": activity,
             "title_th": "อบรมอาสาสมัครเตือนภัยน้ำท่วมลุ่มน้ำกก รุ่นที่ 1"},
            by, _moment(day - dt.timedelta(days=14), 10),
            pilot=pilot, title_en="Kok River flood warning volunteers: training round 1",
            description_th="อบรมอาสาสมัครจากชุมชนริมน้ำกกให้อ่านค่าระดับน้ำ ส่งต่อข่าวเตือนภัย "
                           "และดูแลผู้สูงอายุและคนพิการในชุมชนเมื่อต้องอพยพ",
            description_en="Volunteers from the Kok riverside communities learn to read the "
                           "water-level gauges, pass warnings on, and help older and disabled "
                           "neighbours when an evacuation is called.",
            starts_at=_moment(day, 9), ends_at=_moment(day, 16),
            place_th="ศาลาอเนกประสงค์ชุมชนริมกก", place_en="Kok riverside community hall",
            organiser=pilot.proposal.organisation if pilot.proposal_id else None,
            published=True,
        )
        if event.pilot_id is None:  # a database loaded before pilots had events
            Event.objects.filter(pk=event.pk).update(pilot=pilot)
        volunteers = _volunteers(city, women=14, men=10)
        _import(event, volunteers, _moment(day - dt.timedelta(days=7), 10))
        for index, group in TRAINING_GROUPS.items():
            event.registrations.filter(person=volunteers[index], vulnerable_group="").update(
                vulnerable_group=group)
        _hold(event, by, "อาสาสมัครผ่านการอบรม 24 คน (หญิง 14 ชาย 10) จาก 6 ชุมชนริมน้ำกก "
                         "ฝึกอ่านค่าเครื่องวัดระดับน้ำและส่งข่าวเตือนภัยทางวิทยุชุมชน",
              _moment(day, 16, 30))


def _volunteers(city, women, men):
    """`women` and `men` invented volunteers of `city`'s riverside communities, the same ones
    on every run. Their names come from the end of the shuffled list, which the launch's
    guests (the start of it) never reach."""
    pool = _names()[-120:]
    chosen = ([c for c in pool if c[0][2] == "female"][:women]
              + [c for c in pool if c[0][2] == "male"][:men])
    community = _city_org_keys(
        city, {o.name_en: o for o in Organisation.objects.filter(city=city)}).get("community")
    people = []
    for (first_th, first_en, gender), (last_th, last_en) in chosen:
        person, _ = Person.objects.get_or_create(
            full_name_th=f"{first_th} {last_th}", city=city,
            defaults={"full_name_en": f"{first_en} {last_en}", "gender": gender,
                      "organisation": community, "sector": "disaster",
                      "email": f"{first_en}.{last_en}.{city.slug}@example.org".lower()},
        )
        people.append(person)
    return people
