"""A large synthetic network for load tests: `manage.py seed_scale --cities N` (issue 8).

Every city is generated from its own random stream, `random.Random(f"{network}:{index}")`, so
city 17 is the same whatever N, chunk size or database, and a second run can top a network up
from N to a larger N without touching the cities it already has (it skips every city slug
that exists). Cities are written a chunk at a time, each chunk in one transaction: a city
exists with all its rows or not at all, and an interrupted run is finished by running again.

Rows go in through `bulk_create` layer by layer (cities, then their organisations and people,
then their activities, ...), a few dozen INSERTs per chunk of cities, never one per row. The
model methods that write one row at a time with its history (`CityActivity.start()`,
`Event.register()`, `Evaluator.score()`...) would take hours at this size, so this module
writes the same rows they would, history included, and sets what their `save()` would compute
(a risk's score, an event's plan defaults) itself.

Where a city stands: city `index` has reached `stage(index)`: activities 1..stage are finished
(a few optional ones skipped with a reason), activity stage+1 is in progress, the rest have not
started. City 1 has finished the plan, city 2 is at stage 10 and city 3 at stage 4, so a small
N still covers every kind of page; the others are drawn at random, most of them far along.
What exists follows the stage, as it would in real use (see `counts_for()`, which the tests
check): meetings for the event and SLD activities that have started, the assessment once
activity 5 started, the call for proposals once activity 9 started, its screening, conflict
declarations and scores once the call closed (activity 9 finished), the shortlist and the
funder's decisions once activity 10 finished.
"""
import datetime as dt
import random
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment
from apps.assessments.models import Assessment, RiskRating, ScopeGroup, ScopeHazard, ScopeSystem
from apps.core.dates import add_months
from apps.demo.network_data import boundary
from apps.events.models import Event, EventChange, Registration
from apps.networks.models import City, Network
from apps.people.models import Membership, Organisation, Person, WorkingGroup
from apps.monitoring.models import Criterion as MECriterion
from apps.monitoring.models import Indicator, Period, Report, Target, Value
from apps.monitoring.models import ReportChange as MEReportChange
from apps.pilots.models import Pilot, PilotBudgetLine, PilotIndicator
from apps.practices.models import Hazard, Practice, Sector
from apps.progress.models import ActivityChange, CityActivity, Status, shift_end
from apps.proposals.models import (
    BudgetLine, Call, CallChange, Conflict, Criterion, Decision, EligibilityCheck,
    EligibilityRule, Evaluator, Proposal, ProposalIndicator, Score, Shortlist, ShortlistEntry,
)

# The network's plan started this many months before the current month: four years of
# programme, so pilots have several years of quarterly indicator values.
MONTHS_INTO_PLAN = 48
CHUNK = 50  # cities per transaction
BATCH = 2000  # rows per INSERT
FIXED_STAGES = {1: 15, 2: 10, 3: 4}
# Plan activities carried out as a meeting of the city, with how many people may come.
MEETINGS = {2: 80, 3: 50, 4: 40, 7: 40, 10: 50, 12: 40}
SKIPPABLE = {3: "รวมกับการประชุมเปิดตัวโครงการ", 8: "ใช้ผลการศึกษาของจังหวัดแทน",
             14: "ไม่มีงบประมาณเดินทาง"}
WORKING_GROUP = (10, 15)
OTHER_PEOPLE = (30, 60)
RISKS = (6, 10)
PROPOSALS = 4
EVALUATORS = 3

ORGANISATIONS = [  # key, kind, Thai, English
    ("municipality", "government", "เทศบาล{}", "{} Municipality"),
    ("university", "academia", "มหาวิทยาลัยราชภัฏ{}", "{} Rajabhat University"),
    ("community", "community", "เครือข่ายชุมชน{}", "{} Community Network"),
    ("ngo", "ngo", "มูลนิธิพัฒนา{}", "{} Development Foundation"),
    ("business", "private", "หอการค้า{}", "{} Chamber of Commerce"),
]
PROVINCES = [("เชียงราย", "Chiang Rai"), ("สงขลา", "Songkhla"), ("อุดรธานี", "Udon Thani"),
             ("ขอนแก่น", "Khon Kaen"), ("นครราชสีมา", "Nakhon Ratchasima"),
             ("ภูเก็ต", "Phuket"), ("สุราษฎร์ธานี", "Surat Thani"), ("ลำปาง", "Lampang"),
             ("อยุธยา", "Ayutthaya"), ("ชลบุรี", "Chon Buri"), ("นครสวรรค์", "Nakhon Sawan"),
             ("อุบลราชธานี", "Ubon Ratchathani")]
FIRST = [("สุดารัตน์", "Sudarat", "female"), ("กมลวรรณ", "Kamonwan", "female"),
         ("นภาพร", "Napaporn", "female"), ("อรทัย", "Orathai", "female"),
         ("พรทิพย์", "Pornthip", "female"), ("รัตนา", "Rattana", "female"),
         ("สมชาย", "Somchai", "male"), ("ประยูร", "Prayoon", "male"),
         ("ณรงค์", "Narong", "male"), ("สุรชัย", "Surachai", "male"),
         ("ชัยวัฒน์", "Chaiwat", "male"), ("พงศกร", "Phongsakorn", "male")]
LAST = [("ทองดี", "Thongdee"), ("ศรีสวัสดิ์", "Srisawat"), ("บุญมาก", "Boonmak"),
        ("แสงทอง", "Saengthong"), ("ชัยชนะ", "Chaichana"), ("อินทร์แก้ว", "Inkaew"),
        ("สุขสม", "Suksom"), ("มณีวงศ์", "Maneewong"), ("ปัญญาดี", "Panyadee")]
SECTORS = ["administration", "disaster", "water", "planning", "environment", "health",
           "social", "economy", "education", "infrastructure"]
HAZARDS = ["flood", "flash_flood", "drought", "water_shortage", "heat", "storm", "landslide",
           "haze"]
SYSTEMS = ["water_supply", "drainage", "energy", "transport", "health", "food", "housing",
           "ecosystems", "economy"]
GROUPS = [("ผู้สูงอายุที่อยู่ลำพัง", "Elderly living alone"),
          ("ชุมชนริมน้ำ", "Riverside communities"), ("แรงงานนอกระบบ", "Informal workers"),
          ("เด็กเล็กในศูนย์พัฒนาเด็ก", "Young children in day-care centres")]
CRITERIA = [("ตอบสนองความเสี่ยงที่ประเมินไว้", "Addresses the assessed risks", 3),
            ("ประโยชน์ต่อกลุ่มเปราะบาง", "Benefits vulnerable groups", 2),
            ("ความเป็นไปได้และความคุ้มค่า", "Feasibility and value for money", 2),
            ("ความยั่งยืนและการขยายผล", "Sustainability and replication", 1)]
RULES = [("หน่วยงานผู้เสนอดำเนินงานในพื้นที่", "The agency works in the city"),
         ("งบประมาณไม่เกินเพดาน", "The budget is within the ceiling"),
         ("มีแผนติดตามและประเมินผล", "There is a monitoring plan")]
PILOT_IDEAS = [("ระบบเตือนภัยน้ำท่วมโดยชุมชน", "Community flood early warning"),
               ("ธนาคารน้ำใต้ดิน", "Groundwater recharge banks"),
               ("แผนที่ความเสี่ยงระดับชุมชน", "Community risk maps"),
               ("ศูนย์พักพิงสำหรับผู้สูงอายุ", "Shelters for the elderly"),
               ("สวนซับน้ำในเขตเมือง", "Urban rain gardens"),
               ("อาสาสมัครเฝ้าระวังหมอกควัน", "Haze watch volunteers")]


def stage(index, rng):
    """How far city `index` has got: the number of plan activities it has finished."""
    if index in FIXED_STAGES:
        return FIXED_STAGES[index]
    roll = rng.random()
    if roll < 0.25:
        return 15
    if roll < 0.75:
        return rng.randint(11, 14)
    if roll < 0.92:
        return rng.randint(5, 10)
    return rng.randint(0, 4)


def counts_for(stage_):
    """The rows a city at this stage has, whatever its random draws (the tests check them)."""
    reached = stage_ + 1  # the activity in progress has its rows too
    meetings = sum(1 for n in MEETINGS if n <= reached)
    return {
        "activities": 15,
        "finished": stage_,
        "in_progress": 1 if stage_ < 15 else 0,
        "organisations": len(ORGANISATIONS),
        "working_groups": 1,
        "meetings_at_most": meetings,  # a skipped meeting activity has no meeting
        "assessments": 1 if reached >= 5 else 0,
        "calls": 1 if reached >= 9 else 0,
        "proposals": PROPOSALS if reached >= 9 else 0,
        "evaluators": EVALUATORS if reached >= 9 else 0,
        # Eligible proposals x evaluators x criteria, once the call closed.
        "scores": (PROPOSALS - 1) * EVALUATORS * len(CRITERIA) if stage_ >= 9 else 0,
        "shortlists": 1 if stage_ >= 10 else 0,
        "decisions": 3 if stage_ >= 10 else 0,
        "pilots": 2 if stage_ >= 10 else 0,
        # M&E framework agreed at SLD 3 (activity 12): two city-wide indicators and one per
        # pilot, reported every quarter since the pilots started.
        "me_indicators": 4 if stage_ >= 12 else 0,
        "reports_per_quarter": 3 if stage_ >= 12 else 0,
        "values_per_quarter": 6 if stage_ >= 12 else 0,
        # Lessons shared once the pilots were evaluated (activity 13): one published practice.
        "practices": 1 if stage_ >= 13 else 0,
    }


def chart_url(city):
    """The progress chart of the city's disaggregated indicator (for benchmarks/load.py)."""
    from django.urls import reverse

    indicator = Indicator.objects.filter(city=city, code="TRAINED").first()
    return indicator and reverse("monitoring:progress-indicator",
                                 kwargs={"slug": city.slug, "pk": indicator.pk})


def quarters(first_day, today):
    """(start, end) of each calendar quarter from the one holding `first_day` to the last one
    that ended before `today`."""
    start = dt.date(first_day.year, 3 * ((first_day.month - 1) // 3) + 1, 1)
    while True:
        end = add_months(start, 3) - dt.timedelta(days=1)
        if end >= today:
            return
        yield start, end
        start = end + dt.timedelta(days=1)


@dataclass
class Rows:
    """The rows of one chunk, by model, in the order they must be inserted."""

    by_model: dict = field(default_factory=dict)

    def add(self, obj):
        self.by_model.setdefault(type(obj), []).append(obj)
        return obj

    def through(self, model, obj):
        self.by_model.setdefault(model, []).append(obj)


ORDER = [City, Organisation, WorkingGroup, get_user_model(), RoleAssignment, Person, Membership,
         CityActivity, ActivityChange, Event, EventChange, Registration, Assessment, ScopeHazard,
         ScopeSystem, ScopeGroup, RiskRating, Call, EligibilityRule, Criterion, Proposal,
         BudgetLine, ProposalIndicator, EligibilityCheck, Evaluator, Conflict, Score, Shortlist,
         ShortlistEntry, Decision, CallChange, Pilot, PilotBudgetLine, PilotIndicator,
         MECriterion, Indicator, Period, Target, Report, MEReportChange, Value, Practice]


class ScaleSeeder:
    def __init__(self, network_slug="scale", today=None, out=None):
        self.slug = network_slug
        self.today = today or timezone.localdate()
        self.now = timezone.now()
        self.out = out or (lambda message: None)
        self.password = make_password(None)  # unusable: nobody logs in to a generated account
        self.inserted = {}

    # -- the network ----------------------------------------------------------------------
    def network(self):
        """The network, its plan, national coordinator and funder (found or created)."""
        from apps.demo.management.commands.seed_demo import Seeder

        plan = Seeder(today=self.today).load_plan()  # the published ACCCRN plan, shared
        coordinator, _ = Organisation.objects.get_or_create(
            name_th="สถาบันสิ่งแวดล้อมไทย", city=None,
            defaults={"name_en": "Thailand Environment Institute", "short_name": "TEI",
                      "kind": "ngo"})
        network, created = Network.objects.get_or_create(
            slug=self.slug, defaults={
                "name_th": f"เครือข่ายทดสอบขนาดใหญ่ ({self.slug})",
                "name_en": f"Scale test network ({self.slug})", "coordinator": coordinator})
        if created or network.plan_id is None:
            start = add_months(self.today.replace(day=1), -MONTHS_INTO_PLAN)
            # No city yet: adoption only records the plan and its start on the network.
            CityActivity.objects.adopt(network, plan, start=start)
        User = get_user_model()
        self.users = {}
        for key, role in (("coordinator", Role.NATIONAL_COORDINATOR),
                          ("funder", Role.FUNDER_REVIEWER)):
            user, _ = User.objects.get_or_create(
                username=f"{self.slug}-{key}",
                defaults={"email": f"{self.slug}-{key}@example.org", "password": self.password,
                          "first_name": key.title()})
            RoleAssignment.objects.get_or_create(user=user, role=role, network=network)
            self.users[key] = user
        self.network_ = network
        self.plan = network.plan
        self.activities = {a.number: a for a in self.plan.activities.all()}
        self.shift = (network.plan_start.year - self.plan.reference_start.year) * 12 + (
            network.plan_start.month - self.plan.reference_start.month)
        return network

    # -- the run -----------------------------------------------------------------------------
    def run(self, cities, chunk=CHUNK):
        """Top the network up to `cities` cities; return (rows inserted, seconds)."""
        started = time.monotonic()
        network = self.network()
        existing = set(City.objects.filter(network=network).values_list("slug", flat=True))
        missing = [i for i in range(1, cities + 1) if self.city_slug(i) not in existing]
        self.out(f"{network.slug}: {len(existing)} cities exist, {len(missing)} to create.")
        total = 0
        for first in range(0, len(missing), chunk):
            indexes = missing[first:first + chunk]
            with transaction.atomic():
                rows = Rows()
                for index in indexes:
                    CityBuilder(self, index, rows).build()
                count = self.insert(rows)
            total += count
            seconds = time.monotonic() - started
            self.out(f"  cities {first + len(indexes)}/{len(missing)}: {total} rows, "
                     f"{seconds:.0f} s, {total / max(seconds, 1e-9):.0f} rows/s")
        if total and connection.vendor == "postgresql":
            # Fresh statistics for the planner: right after a bulk load it believes the big
            # tables are still small, and picks plans for that.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return total, time.monotonic() - started

    def insert(self, rows):
        count = 0
        for model in ORDER + [m for m in rows.by_model if m not in ORDER]:
            objs = rows.by_model.get(model)
            if objs:
                if model is Shortlist:  # the frozen ranking names the proposals by key
                    for obj in objs:
                        obj.ranking = [{"proposal": p.pk, "title": p.title_th, "rank": rank,
                                        "total": total}
                                       for rank, (p, total) in enumerate(obj.scale_ranked, 1)]
                model.objects.bulk_create(objs, batch_size=BATCH)
                count += len(objs)
                name = model._meta.label
                self.inserted[name] = self.inserted.get(name, 0) + len(objs)
        return count

    def city_slug(self, index):
        return f"{self.slug}-{index:05d}"

    def planned(self, number):
        activity = self.activities[number]
        start = add_months(activity.window_start, self.shift)
        end = activity.window_end and shift_end(activity.window_end, self.shift)
        return start, end


class CityBuilder:
    """The rows of one city, drawn from the city's own random stream."""

    def __init__(self, seeder, index, rows):
        self.s = seeder
        self.index = index
        self.rows = rows
        # A repeatable synthetic data set, not a secret.
        self.rng = random.Random(f"{seeder.slug}:{index}")  # nosec B311
        self.stage = stage(index, self.rng)

    def build(self):
        self.city()
        self.people()
        self.progress()
        self.meetings()
        if self.stage + 1 >= 5:
            self.assessment()
        if self.stage + 1 >= 9:
            self.call()
        if self.stage >= 10:
            self.pilots()
        if self.stage >= 12:
            self.monitoring()
        if self.stage >= 13:
            self.practice()

    def moment(self, day, hour, minute=0):
        value = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
        return min(value, self.s.now)

    def user(self, key, role=None):
        User = get_user_model()
        user = self.rows.add(User(
            username=f"{self.slug}-{key}", email=f"{self.slug}-{key}@example.org",
            password=self.s.password))
        if role:
            self.rows.add(RoleAssignment(user=user, role=role, city=self.city_))
        return user

    # -- city, organisations, people -----------------------------------------------------
    def city(self):
        rng = self.rng
        self.slug = self.s.city_slug(self.index)
        province = rng.choice(PROVINCES)
        latitude = round(rng.uniform(6.5, 19.5), 5)
        longitude = round(rng.uniform(98.5, 104.5), 5)
        self.name = (f"เมืองทดสอบ {self.index}", f"Test town {self.index}")
        self.city_ = self.rows.add(City(
            network=self.s.network_, slug=self.slug, name_th=self.name[0],
            name_en=self.name[1], country="TH", province_th=province[0],
            province_en=province[1], population=rng.randint(8_000, 300_000),
            latitude=Decimal(str(latitude)), longitude=Decimal(str(longitude)),
            boundary=boundary(latitude, longitude, rng.uniform(2, 8)),
            participation=City.Participation.PROGRAMME))
        self.orgs = {key: self.rows.add(Organisation(
            name_th=th.format(self.name[0]), name_en=en.format(self.name[1]), kind=kind,
            city=self.city_)) for key, kind, th, en in ORGANISATIONS}
        self.coordinator = self.user("coordinator", Role.CITY_COORDINATOR)

    def people(self):
        rng = self.rng
        size = rng.randint(*WORKING_GROUP)
        others = rng.randint(*OTHER_PEOPLE)
        self.people_ = []
        orgs = list(self.orgs.values())
        for n in range(size + others):
            first_th, first_en, gender = rng.choice(FIRST)
            last_th, last_en = rng.choice(LAST)
            self.people_.append(self.rows.add(Person(
                full_name_th=f"{first_th} {last_th} {n + 1}",
                full_name_en=f"{first_en} {last_en} {n + 1}", city=self.city_,
                organisation=orgs[n % len(orgs)], sector=rng.choice(SECTORS),
                position="ผู้แทนหน่วยงาน", gender=gender,
                email=f"{first_en}.{last_en}.{n + 1}.{self.slug}@example.org".lower())))
        self.members = self.people_[:size]
        start = self.s.network_.plan_start
        self.group = self.rows.add(WorkingGroup(city=self.city_))
        for n, person in enumerate(self.members):
            role = (Membership.GroupRole.CHAIR if n == 0 else
                    Membership.GroupRole.SECRETARY if n == 1 else Membership.GroupRole.MEMBER)
            self.rows.add(Membership(group=self.group, person=person, role=role, start=start))

    # -- progress ------------------------------------------------------------------------
    def progress(self):
        rng = self.rng
        self.activity = {}
        for number in range(1, 16):
            planned_start, planned_end = self.s.planned(number)
            ca = self.rows.add(CityActivity(
                city=self.city_, plan_activity=self.s.activities[number],
                planned_start=planned_start, planned_end=planned_end))
            self.activity[number] = ca
            if number > self.stage + 1:
                continue
            began = min(planned_start + dt.timedelta(days=rng.randint(0, 20)), self.s.today)
            if number <= self.stage and number in SKIPPABLE and rng.random() < 0.08:
                ca.status, ca.skip_reason = Status.SKIPPED, SKIPPABLE[number]
                self.change(ca, "skip", self.moment(began, 10), {"status": "not_started"},
                            {"status": "skipped", "skip_reason": ca.skip_reason})
                continue
            ca.status, ca.actual_start = Status.IN_PROGRESS, began
            self.change(ca, "start", self.moment(began, 9),
                        {"status": "not_started", "actual_start": None},
                        {"status": "in_progress", "actual_start": began.isoformat()})
            if number > self.stage:
                continue
            end = (planned_end or planned_start) + dt.timedelta(days=rng.randint(-3, 30))
            ended = min(max(end, began), self.s.today)
            ca.status, ca.actual_end = Status.DONE, ended
            self.change(ca, "complete", self.moment(ended, 16),
                        {"status": "in_progress", "actual_end": None},
                        {"status": "done", "actual_start": began.isoformat(),
                         "actual_end": ended.isoformat()})
            if rng.random() < 0.7:
                ca.published = True
                self.change(ca, "publish", self.moment(ended, 16, 30), {"published": False},
                            {"published": True})
        first = self.activity[1]
        self.group.established = first.actual_end
        self.group.published = first.published

    def change(self, ca, action, at, before, after):
        self.rows.add(ActivityChange(city_activity=ca, action=action, at=at,
                                     by=self.coordinator, before=before, after=after))

    # -- meetings: the launch, the seminar, the SLDs, the selection meeting ---------------
    def meetings(self):
        rng = self.rng
        self.events = {}
        for number, cap in MEETINGS.items():
            ca = self.activity[number]
            if ca.status not in (Status.IN_PROGRESS, Status.DONE):
                continue
            step = self.s.activities[number]
            held = ca.status == Status.DONE
            day = ca.actual_start if held else self.s.today + dt.timedelta(
                days=rng.randint(7, 40))
            starts = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
            event = self.rows.add(Event(
                city_activity=ca, title_th=f"{step.name_th} {self.name[0]}",
                title_en=f"{step.name_en}, {self.name[1]}", starts_at=starts,
                ends_at=starts + dt.timedelta(hours=7), place_th=f"ศาลาว่าการ{self.name[0]}",
                place_en=f"{self.name[1]} town hall", organiser=self.orgs["municipality"],
                capacity=step.participant_cap or cap, cap_per_city=step.cap_per_city,
                status=Event.Status.HELD if held else Event.Status.SCHEDULED,
                published=True, uid=uuid.UUID(int=rng.getrandbits(128)),
                created_by=self.coordinator, minutes="บันทึกการประชุม" if held else ""))
            self.events[number] = event
            created = self.moment(day - dt.timedelta(days=30), 10)
            self.rows.add(EventChange(event=event, action="create", at=created,
                                      by=self.coordinator,
                                      after={"title": event.title_th,
                                             "starts_at": starts.isoformat()}))
            # The working group always comes; others fill the room up to its places.
            others = self.people_[len(self.members):]
            wanted = min(event.capacity, len(self.people_)) - len(self.members)
            come = self.members + rng.sample(others, max(0, min(wanted, len(others))))
            if number in (4, 7, 12):  # SLDs are smaller
                come = come[:rng.randint(25, 40)]
            for position, person in enumerate(come, 1):
                checked = held and rng.random() < 0.9
                self.rows.add(Registration(
                    event=event, person=person, status=Registration.Status.CONFIRMED,
                    position=position, registered_at=created,
                    checked_in_at=starts + dt.timedelta(minutes=position % 40) if checked
                    else None))
            event.last_position = len(come)

    # -- the vulnerability assessment ----------------------------------------------------------
    def assessment(self):
        rng = self.rng
        ca = self.activity[5]
        final = ca.status == Status.DONE
        self.assessment_ = self.rows.add(Assessment(
            city=self.city_, lead=self.orgs["university"],
            status=Assessment.Status.FINAL if final else Assessment.Status.DRAFT,
            published=final and ca.published, created_by=self.coordinator))
        hazards = rng.sample(HAZARDS, 3)
        systems = rng.sample(SYSTEMS, 4)
        for order, hazard in enumerate(hazards, 1):
            self.rows.add(ScopeHazard(assessment=self.assessment_, hazard=hazard, order=order))
        for order, system in enumerate(systems, 1):
            self.rows.add(ScopeSystem(assessment=self.assessment_, system=system, order=order))
        for order, (th, en) in enumerate(rng.sample(GROUPS, 2), 1):
            self.rows.add(ScopeGroup(assessment=self.assessment_, name_th=th, name_en=en,
                                     order=order))
        pairs = rng.sample([(h, s) for h in hazards for s in systems], rng.randint(*RISKS))
        self.risks = []
        for hazard, system in pairs:
            likelihood, consequence = rng.randint(1, 5), rng.randint(1, 5)
            self.risks.append(self.rows.add(RiskRating(
                assessment=self.assessment_, hazard=hazard, system=system,
                likelihood=likelihood, consequence=consequence,
                score=likelihood * consequence,  # what RiskRating.save() computes
                justification_th="จากข้อมูลเหตุการณ์ย้อนหลังและการประชุม SLD 1",
                rated_by=self.coordinator)))

    # -- the call for pilot proposals, its evaluation and selection ------------------------------
    def call(self):
        rng = self.rng
        s = self.s
        ca9, ca10 = self.activity[9], self.activity[10]
        closed = ca9.status == Status.DONE
        opens = self.moment(ca9.actual_start, 9)
        closes = (self.moment(ca9.actual_end, 17) if closed
                  else timezone.make_aware(dt.datetime.combine(
                      s.today + dt.timedelta(days=rng.randint(7, 30)), dt.time(17))))
        if closes <= opens:
            closes = opens + dt.timedelta(days=1)
        call = self.rows.add(Call(
            city=self.city_, title_th=f"เปิดรับข้อเสนอโครงการนำร่อง {self.name[0]}",
            title_en=f"Call for pilot projects, {self.name[1]}", opens_at=opens,
            closes_at=closes, quota=2, budget_ceiling=Decimal(1_000_000), published=True,
            created_by=self.coordinator))
        for risk in self.risks[:2]:
            self.rows.through(Call.risks.through, Call.risks.through(call=call, riskrating=risk))
        log = []
        log.append(CallChange(call=call, action="create", by=self.coordinator, at=opens))
        log.append(CallChange(call=call, action="publish", by=self.coordinator, at=opens))
        rules = [self.rows.add(EligibilityRule(call=call, order=n, text_th=th, text_en=en))
                 for n, (th, en) in enumerate(RULES, 1)]
        criteria = [self.rows.add(Criterion(call=call, order=n, name_th=th, name_en=en,
                                            weight=Decimal(w)))
                    for n, (th, en, w) in enumerate(CRITERIA, 1)]
        org_keys = ["community", "university", "ngo", "business"]
        proposals = []
        for n, (th, en) in enumerate(rng.sample(PILOT_IDEAS, PROPOSALS)):
            proponent = self.user(f"proponent{n + 1}", Role.PROPONENT)
            submitted = opens + dt.timedelta(days=rng.randint(1, 20))
            eligible = n < PROPOSALS - 1  # the last one misses a rule, and is told why
            proposal = self.rows.add(Proposal(
                call=call, proponent=proponent, organisation=self.orgs[org_keys[n]],
                title_th=th, title_en=en, problem_th="ชุมชนได้รับผลกระทบซ้ำทุกปี",
                objectives_th="ลดความเสียหายของครัวเรือนเปราะบาง",
                status=Proposal.Status.SUBMITTED, submitted_at=min(submitted, closes),
                eligibility=(Proposal.Eligibility.PENDING if not closed else
                             Proposal.Eligibility.ELIGIBLE if eligible
                             else Proposal.Eligibility.INELIGIBLE),
                screened_at=closes + dt.timedelta(days=1) if closed else None,
                screened_by=self.coordinator if closed else None))
            proposals.append(proposal)
            amount = rng.randrange(200_000, 900_000, 10_000)
            self.rows.add(BudgetLine(proposal=proposal, item="ค่าวัสดุและอุปกรณ์",
                                     amount=Decimal(amount)))
            self.rows.add(BudgetLine(proposal=proposal, item="ค่าอบรม",
                                     amount=Decimal(rng.randrange(20_000, 90_000, 5_000))))
            self.rows.add(ProposalIndicator(proposal=proposal, name="ครัวเรือนที่ได้ประโยชน์",
                                            unit="ครัวเรือน", target=str(rng.randint(50, 500))))
            log.append(CallChange(call=call, proposal=proposal, action="submit",
                                  by=proponent, at=proposal.submitted_at))
            if closed:
                for rule in rules:
                    ok = eligible or rule is not rules[-1]
                    self.rows.add(EligibilityCheck(
                        proposal=proposal, rule=rule, eligible=ok,
                        reason="" if ok else "ไม่มีแผนติดตามและประเมินผล"))
                log.append(CallChange(call=call, proposal=proposal, action="screen",
                                      by=self.coordinator, at=proposal.screened_at))
        evaluators = []
        for n, person in enumerate(self.members[2:2 + EVALUATORS]):
            user = self.user(f"evaluator{n + 1}", Role.EXPERT)
            person.user = user
            evaluators.append(self.rows.add(Evaluator(
                call=call, user=user, organisation=person.organisation)))
        log.append(CallChange(call=call, action="assign", by=self.coordinator, at=opens))
        if closed:
            self.evaluate(call, closes, evaluators, proposals[:-1], criteria, log)
        if ca10.status == Status.DONE:
            self.select(call, proposals[:-1], evaluators, criteria, log)
        for change in log:
            self.rows.add(change)

    def evaluate(self, call, closes, evaluators, eligible, criteria, log):
        rng = self.rng
        self.marks = {}
        for evaluator in evaluators:
            declared = closes + dt.timedelta(days=2)
            evaluator.declared_at = declared
            evaluator.submitted_at = declared + dt.timedelta(days=rng.randint(1, 10))
            for proposal in eligible:
                self.rows.add(Conflict(evaluator=evaluator, proposal=proposal, conflicted=False))
                for criterion in criteria:
                    value = rng.randint(2, 5)
                    self.marks.setdefault(id(proposal), []).append(
                        (float(criterion.weight), value))
                    self.rows.add(Score(evaluator=evaluator, proposal=proposal,
                                        criterion=criterion, value=value, at=declared))
            log.append(CallChange(call=call, action="declare", by=evaluator.user, at=declared))
            log.append(CallChange(call=call, action="scores", by=evaluator.user,
                                  at=evaluator.submitted_at))

    def select(self, call, eligible, evaluators, criteria, log):
        """The selection meeting's shortlist (a weighted mean of the scores, the frozen
        record of the ranking) and the funder's decisions: the top two approved."""
        meeting = self.events[10]
        totals = {id(p): sum(w * v for w, v in self.marks[id(p)])
                  / sum(w for w, _v in self.marks[id(p)]) for p in eligible}
        ranked = sorted(eligible, key=lambda p: -totals[id(p)])
        at = meeting.ends_at
        shortlist = self.rows.add(Shortlist(
            call=call, event=meeting, method=Call.Method.WEIGHTED_SUM,
            weights={c.name_th: float(c.weight) for c in criteria},
            ranking=[],  # filled once the proposals have their keys (`insert`)
            recorded_by=self.coordinator, recorded_at=at,
            note_th="ที่ประชุมคัดเลือกตามลำดับคะแนน"))
        shortlist.scale_ranked = [(p, round(totals[id(p)], 4)) for p in ranked]
        self.approved = []
        for rank, proposal in enumerate(ranked, 1):
            self.rows.add(ShortlistEntry(shortlist=shortlist, proposal=proposal, rank=rank,
                                         total=round(totals[id(proposal)], 4)))
            approved = rank <= call.quota
            decision = self.rows.add(Decision(
                proposal=proposal, outcome="approved" if approved else "rejected",
                approved_budget=Decimal(500_000) if approved else None,
                reason_th="" if approved else "เกินโควตาของเมือง",
                decided_by=self.s.users["funder"], decided_at=at + dt.timedelta(days=14)))
            if approved:
                self.approved.append((proposal, decision))
        log.append(CallChange(call=call, action="shortlist", by=self.coordinator, at=at))
        log.append(CallChange(call=call, action="decide", by=self.s.users["funder"],
                              at=at + dt.timedelta(days=14)))

    # -- pilots and their monitoring ---------------------------------------------------------
    def pilots(self):
        """What PilotQuerySet.follow_decision() makes of each approval: the pilot, its budget
        lines and indicators copied from the proposal."""
        ca11 = self.activity[11]
        self.pilot_rows = []
        for proposal, decision in self.approved:
            start = ca11.actual_start or decision.decided_at.date()
            pilot = self.rows.add(Pilot(
                city=self.city_, proposal=proposal, decision=decision,
                title_th=proposal.title_th, title_en=proposal.title_en,
                approved_budget=decision.approved_budget,
                status=Pilot.Status.DONE if self.stage == 15 else Pilot.Status.RUNNING,
                published=True, start_date=start, end_date=add_months(start, 24)))
            self.rows.add(PilotBudgetLine(pilot=pilot, item="ค่าวัสดุและอุปกรณ์",
                                          amount=Decimal(400_000)))
            self.rows.add(PilotBudgetLine(pilot=pilot, item="ค่าอบรม", amount=Decimal(100_000)))
            self.rows.add(PilotIndicator(pilot=pilot, name="ครัวเรือนที่ได้ประโยชน์",
                                         unit="ครัวเรือน", target="500"))
            self.pilot_rows.append((pilot, proposal.proponent))

    def monitoring(self):
        rng = self.rng
        city = self.city_
        preparedness = self.rows.add(MECriterion(
            city=city, name_th="การเตรียมความพร้อมของชุมชน", name_en="Community preparedness",
            order=1))
        results = self.rows.add(MECriterion(
            city=city, name_th="ผลของโครงการนำร่อง", name_en="Results of the pilots", order=2))
        common = {"city": city, "unit": "คน", "cumulative": True, "min_value": Decimal(0),
                  "frequency": "quarterly"}
        households = self.rows.add(Indicator(
            **{**common, "unit": "ครัวเรือน"}, criterion=preparedness, code="HH-PLAN", order=1,
            name_th="ครัวเรือนที่มีแผนรับมือภัยพิบัติ",
            name_en="Households with a disaster plan"))
        trained = self.rows.add(Indicator(
            **common, criterion=preparedness, code="TRAINED", order=2,
            name_th="ผู้ผ่านการอบรมการรับมือภัยพิบัติ", name_en="People trained in disaster response",
            disaggregation={"gender": ["women", "men"]}))
        per_pilot = [(pilot, team, self.rows.add(Indicator(
            **{**common, "unit": "ครัวเรือน"}, criterion=results, pilot=pilot,
            code=f"P{n}-HH", order=n, name_th="ครัวเรือนที่ได้ประโยชน์",
            name_en="Households benefiting")))
            for n, (pilot, team) in enumerate(self.pilot_rows, 1)]
        first_day = self.activity[11].actual_start
        periods = list(quarters(first_day, self.s.today))
        for number, (start, end) in enumerate(periods, 1):
            quarter = (start.month - 1) // 3 + 1
            period = self.rows.add(Period(
                city=city, start=start, end=end, label_th=f"ไตรมาส {quarter}/{start.year + 543}",
                label_en=f"Q{quarter} {start.year}"))
            last = number == len(periods)
            for indicator in (households, trained, *(i for _p, _t, i in per_pilot)):
                self.rows.add(Target(indicator=indicator, period=period,
                                     value=Decimal(60 * number)))
            women = rng.randint(5, 40)
            men = rng.randint(5, 40)
            city_report = self.report(period, None, self.coordinator, end, last)
            self.rows.add(Value(report=city_report, indicator=households, category="",
                                number=Decimal(rng.randint(10, 80))))
            for category, value in (("", women + men), ("gender:women", women),
                                    ("gender:men", men)):
                self.rows.add(Value(report=city_report, indicator=trained, category=category,
                                    number=Decimal(value)))
            for pilot, team, indicator in per_pilot:
                report = self.report(period, pilot, team, end, last)
                self.rows.add(Value(report=report, indicator=indicator, category="",
                                    number=Decimal(rng.randint(5, 60))))

    def report(self, period, pilot, by, end, last):
        """A report handed in after its quarter; approved by the city, except the latest,
        still waiting for review."""
        submitted = self.moment(end + dt.timedelta(days=self.rng.randint(3, 20)), 10)
        reviewed = submitted + dt.timedelta(days=self.rng.randint(1, 10))
        report = self.rows.add(Report(
            city=self.city_, pilot=pilot, period=period,
            status=Report.Status.SUBMITTED if last else Report.Status.APPROVED,
            submitted_by=by, submitted_at=submitted,
            reviewed_by=None if last else self.coordinator,
            reviewed_at=None if last else reviewed))
        self.rows.add(MEReportChange(report=report, by=by, at=submitted, from_status="draft",
                                     to_status="submitted"))
        if not last:
            self.rows.add(MEReportChange(report=report, by=self.coordinator, at=reviewed,
                                         from_status="submitted", to_status="approved"))
        return report

    # -- the good-practice library (activity 13) -------------------------------------------
    def practice(self):
        """One published good practice drawn from the city's pilot: the library a national
        network's visitors search in Thai."""
        pilot = self.pilot_rows[0][0] if getattr(self, "pilot_rows", None) else None
        self.rows.add(practice_for(self.city_, pilot, self.rng, self.s.now))


MEASURES = [("ระบบเตือนภัยล่วงหน้า", "early warning system"),
            ("การขุดลอกคูคลองและทางระบายน้ำ", "dredging canals and drains"),
            ("ธนาคารน้ำใต้ดิน", "groundwater recharge banks"),
            ("การปลูกป่าชายเลน", "mangrove planting"),
            ("แผนที่ความเสี่ยงชุมชน", "community risk maps"),
            ("ถังเก็บน้ำฝนในโรงเรียน", "rainwater tanks in schools")]


def practice_for(city, pilot, rng, now):
    """A published practice with varied Thai and English text, indexed for search as save()
    would (PyThaiNLP segmentation), for bulk_create."""
    measure_th, measure_en = rng.choice(MEASURES)
    hazards = sorted(rng.sample(list(Hazard.values), 2))
    sectors = sorted(rng.sample(list(Sector.values), 2))
    hazard_th = " ".join(str(Hazard(h).label) for h in hazards)
    practice = Practice(
        city=city, pilot=pilot, status=Practice.Status.PUBLISHED, published_at=now,
        title_th=f"{measure_th} {city.name_th}", title_en=f"{measure_en}, {city.name_en}",
        problem_th=f"ชุมชนริมน้ำมีความเสี่ยงจาก{hazard_th}ซ้ำทุกปี",
        problem_en="Riverside communities are hit by the same hazards every year.",
        what_was_done_th=f"<p>เทศบาลร่วมกับชุมชนจัดทำ{measure_th}และฝึกอบรมอาสาสมัคร</p>",
        what_was_done_en=f"<p>The municipality and the communities set up {measure_en} and "
                         "trained volunteers.</p>",
        results_th="ครัวเรือนกลุ่มเปราะบางได้รับการแจ้งเตือนและเตรียมพร้อมได้เร็วขึ้น",
        results_en="Vulnerable households are warned and ready sooner.",
        cost=Decimal(rng.randrange(200, 2000) * 1000),
        replication_conditions_th="ต้องมีอาสาสมัครในชุมชนและงบประมาณดูแลรักษาประจำปี",
        replication_conditions_en="Needs community volunteers and a yearly upkeep budget.",
        hazards=hazards, sectors=sectors, contact_name=f"กองช่าง {city.name_th}")
    practice.refresh_index()
    return practice
