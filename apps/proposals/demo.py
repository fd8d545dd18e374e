"""Demo calls for proposals (activities 9 and 10), safe to run twice.

- Chiang Rai: a call that closed five days ago, targeting the flood and haze risks of its
  published assessment. Four agencies proposed; three are eligible, one is not (no monitoring
  plan, told so). Three working-group members have declared their conflicts (one is from the
  university that proposed) and submitted their scores, one of them far off the others on one
  criterion. The shortlist is not recorded yet: the coordinator (`chiangrai`) records it with
  the selection meeting, then the funder reviewer (`funder`) approves up to two.
- Hat Yai: a call open for another three weeks, no proposal yet.

Proponents log in as `proponent` (Kok River Community Network) or cr-agency-mfu,
cr-agency-dpm, cr-agency-chamber (password demo-pass-2553).
"""
import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment
from apps.assessments.models import Assessment
from apps.demo.people_data import PASSWORD
from apps.events import mail as event_mail
from apps.events.models import Event
from apps.networks.models import City
from apps.people.models import Organisation, Person
from apps.progress.models import CityActivity
from apps.proposals.models import (
    BudgetLine, Call, Conflict, Criterion, EligibilityCheck, EligibilityRule, Evaluator,
    Proposal, ProposalActivity, ProposalIndicator, Score,
)

CRITERIA = [  # Thai, English, weight
    ("ตอบสนองความเสี่ยงที่ประเมินไว้", "Addresses the assessed risks", 3),
    ("ประโยชน์ต่อกลุ่มเปราะบาง", "Benefits vulnerable groups", 2),
    ("ความเป็นไปได้และความคุ้มค่า", "Feasibility and value for money", 2),
    ("ความยั่งยืนและการขยายผล", "Sustainability and replication", 1),
]
RULES = [
    ("หน่วยงานผู้เสนอมีที่ตั้งหรือดำเนินงานในจังหวัดเชียงราย",
     "The proposing agency is based or works in Chiang Rai"),
    ("งบประมาณที่ขอไม่เกินเพดานของประกาศ", "The budget requested is within the ceiling"),
    ("มีแผนติดตามและประเมินผลพร้อมตัวชี้วัด", "There is a monitoring plan with indicators"),
]
# username, organisation key, Thai title, English title, problem, budget lines, eligible
PROPOSALS = [
    ("proponent", "community", "ระบบเตือนภัยน้ำท่วมล่วงหน้าโดยชุมชนริมแม่น้ำกก",
     "Community flood early warning on the Kok River",
     "ชุมชนริมน้ำได้รับแจ้งเตือนช้า อพยพผู้สูงอายุไม่ทันเมื่อระดับน้ำขึ้นเร็ว",
     [("เครื่องวัดระดับน้ำอัตโนมัติ 6 จุด", 420_000, 80_000, "เทศบาลนครเชียงราย"),
      ("อบรมอาสาสมัครเตือนภัย", 180_000, 0, "")], True),
    ("cr-agency-mfu", "university", "แผนที่ความเสี่ยงน้ำท่วมและหมอกควันระดับชุมชน",
     "Community flood and haze risk maps",
     "ชุมชนไม่มีข้อมูลพื้นที่เสี่ยงที่ใช้วางแผนได้ ทั้งน้ำท่วมและฝุ่น PM2.5",
     [("สำรวจและจัดทำแผนที่", 650_000, 150_000, "มหาวิทยาลัยแม่ฟ้าหลวง")], True),
    ("cr-agency-dpm", "disaster", "ศูนย์พักพิงชั่วคราวสำหรับผู้สูงอายุและผู้ป่วยติดเตียง",
     "Temporary shelters for the elderly and bedridden",
     "ผู้สูงอายุและผู้ป่วยติดเตียงไม่มีที่พักพิงที่เหมาะสมระหว่างน้ำท่วม",
     [("ปรับปรุงอาคารศูนย์พักพิง", 900_000, 200_000, "จังหวัดเชียงราย"),
      ("อุปกรณ์การแพทย์ฉุกเฉิน", 300_000, 0, "")], True),
    ("cr-agency-chamber", "business", "ตลาดสดปลอดภัยจากน้ำท่วม", "Flood-safe fresh market",
     "ตลาดสดเทศบาล 1 ถูกน้ำท่วมทุกปี ผู้ค้ารายย่อยขาดรายได้",
     [("ยกระดับพื้นแผงค้า", 1_200_000, 0, "")], False),
]
# evaluator username -> scores per proposal (by index) per criterion
SCORES = {
    "member": [[5, 5, 4, 4], [4, 3, 4, 4], [4, 5, 3, 3]],
    "cr-member-1": [[4, 5, 4, 3], [4, 3, 5, 4], [5, 5, 3, 3]],
    "cr-member-2": [[5, 4, 4, 4], None, [1, 5, 3, 3]],  # conflicted on the university's; an outlier
}


def seed_proposals(network):
    cities = {c.slug: c for c in City.objects.filter(network=network,
                                                     slug__in=["chiang-rai", "hat-yai"])}
    now = timezone.now()
    with event_mail.muted():
        if "chiang-rai" in cities and not Call.objects.filter(city=cities["chiang-rai"]).exists():
            _chiang_rai(cities["chiang-rai"], now)
        if "hat-yai" in cities and not Call.objects.filter(city=cities["hat-yai"]).exists():
            _hat_yai(cities["hat-yai"], now)


def _organisation(city, name_en):
    return Organisation.objects.filter(city=city, name_en=name_en).first()


def _proponent(city, username, organisation):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={
        "email": f"{username}@example.org"})
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role=Role.PROPONENT, city=city)
    if not Person.objects.filter(user=user).exists():
        Person.objects.create(full_name_th=f"ผู้ประสานงาน {organisation.short_name or organisation.name_th}",
                              full_name_en=f"Contact, {organisation.name_en}", city=city,
                              organisation=organisation, user=user,
                              email=f"{username}@example.org")
    return user


def _chiang_rai(city, now):
    from apps.demo.network_data import CITY_ORGANISATIONS

    User = get_user_model()
    coordinator = User.objects.filter(username="chiangrai").first()
    assessment = Assessment.objects.filter(city=city).first()
    call = Call.objects.create(
        city=city, title_th="เปิดรับข้อเสนอโครงการนำร่องด้านน้ำท่วมและหมอกควัน",
        title_en="Call for pilot projects on floods and haze",
        description_th="คณะทำงานเชิญหน่วยงานภาคีเสนอโครงการนำร่องที่ลดความเสี่ยงจากน้ำท่วมและหมอกควัน "
                       "ตามผลการประเมินความเปราะบาง โดยเฉพาะกลุ่มเปราะบางริมแม่น้ำกก",
        description_en="The working group invites partner agencies to propose pilot projects "
                       "that reduce the flood and haze risks the vulnerability assessment found, "
                       "especially for the vulnerable communities along the Kok River.",
        budget_ceiling=Decimal("1500000"), opens_at=now - dt.timedelta(days=45),
        closes_at=now - dt.timedelta(days=5), quota=2, published=True, created_by=coordinator)
    if assessment is not None:
        call.risks.set(assessment.risks.filter(hazard__in=["flood", "haze"]))
        call.groups.set(assessment.groups.all())
        call.areas.set(assessment.areas.all())
    for order, (th, en) in enumerate(RULES, 1):
        EligibilityRule.objects.create(call=call, order=order, text_th=th, text_en=en)
    criteria = [Criterion.objects.create(call=call, order=order, name_th=th, name_en=en,
                                         weight=weight)
                for order, (th, en, weight) in enumerate(CRITERIA, 1)]
    keys = {key: spec["name_en"] for key, spec in CITY_ORGANISATIONS["chiang-rai"].items()}
    proposals = []
    for number, (username, key, th, en, problem, lines, eligible) in enumerate(PROPOSALS):
        organisation = _organisation(city, keys[key])
        user = _proponent(city, username, organisation)
        proposal = Proposal.objects.create(
            call=call, proponent=user, organisation=organisation, title_th=th, title_en=en,
            problem_th=problem, objectives_th="ลดความสูญเสียและเพิ่มความสามารถในการรับมือของชุมชน",
            results_th="ชุมชนเป้าหมายรับมือเหตุการณ์ครั้งต่อไปได้ดีขึ้น",
            status=Proposal.Status.SUBMITTED, submitted_at=now - dt.timedelta(days=10 + number))
        if assessment is not None:
            proposal.risks.set(call.risks.all()[:2])
            proposal.groups.set(assessment.groups.all()[:1])
        for item, amount, cofunding, cofunder in lines:
            BudgetLine.objects.create(proposal=proposal, item=item, amount=Decimal(amount),
                                      cofunding=Decimal(cofunding), cofunder=cofunder)
        start = timezone.localdate() + dt.timedelta(days=60)
        ProposalActivity.objects.create(proposal=proposal, order=1, name="เตรียมการและสำรวจพื้นที่",
                                        starts=start, ends=start + dt.timedelta(days=60))
        ProposalActivity.objects.create(proposal=proposal, order=2, name="ดำเนินงานและติดตามผล",
                                        starts=start + dt.timedelta(days=61),
                                        ends=start + dt.timedelta(days=330))
        if eligible:
            ProposalIndicator.objects.create(proposal=proposal, name="ครัวเรือนที่ได้รับประโยชน์",
                                             unit="ครัวเรือน", baseline="0", target="500")
        for rule in call.rules.all():
            fails = not eligible and rule.order == 3
            EligibilityCheck.objects.create(
                proposal=proposal, rule=rule, eligible=not fails,
                reason="ข้อเสนอไม่มีแผนติดตามผลและตัวชี้วัด" if fails else "")
        proposal.eligibility = (Proposal.Eligibility.ELIGIBLE if eligible
                                else Proposal.Eligibility.INELIGIBLE)
        proposal.screened_at, proposal.screened_by = now - dt.timedelta(days=4), coordinator
        proposal.save()
        proposals.append(proposal)
    _evaluations(call, criteria, proposals[:3], now)
    activity = CityActivity.objects.filter(city=city, plan_activity__number=10).first()
    if activity is not None:
        meeting = Event(city_activity=activity, title_th="ประชุมคัดเลือกโครงการนำร่อง เมืองเชียงราย",
                        title_en="Chiang Rai pilot project selection meeting",
                        starts_at=now - dt.timedelta(days=1, hours=3),
                        ends_at=now - dt.timedelta(days=1), place_th="ห้องประชุมเทศบาลนครเชียงราย",
                        published=True)
        meeting.create(coordinator)


def _evaluations(call, criteria, proposals, now):
    User = get_user_model()
    for username, rows in SCORES.items():
        user = User.objects.filter(username=username).select_related("person").first()
        if user is None:
            continue
        person = getattr(user, "person", None)
        evaluator = Evaluator.objects.create(
            call=call, user=user, organisation_id=person.organisation_id if person else None,
            declared_at=now - dt.timedelta(days=3), submitted_at=now - dt.timedelta(days=2))
        for proposal, row in zip(proposals, rows):
            conflicted = row is None or evaluator.own_organisation(proposal)
            Conflict.objects.create(evaluator=evaluator, proposal=proposal, conflicted=conflicted,
                                    note="เคยร่วมงานกับผู้เสนอ" if conflicted else "")
            if conflicted:
                continue
            Score.objects.bulk_create(
                Score(evaluator=evaluator, proposal=proposal, criterion=criterion, value=value,
                      at=now - dt.timedelta(days=2))
                for criterion, value in zip(criteria, row))


def _hat_yai(city, now):
    call = Call.objects.create(
        city=city, title_th="เปิดรับข้อเสนอโครงการนำร่องลดผลกระทบน้ำท่วมคลองอู่ตะเภา",
        title_en="Call for pilot projects on Khlong U-Tapao floods",
        budget_ceiling=Decimal("1000000"), opens_at=now - dt.timedelta(days=3),
        closes_at=now + dt.timedelta(days=25), quota=2, published=True)
    assessment = Assessment.objects.filter(city=city).first()
    if assessment is not None:
        call.risks.set(assessment.risks.all())
    EligibilityRule.objects.create(call=call, order=1, text_th="หน่วยงานในจังหวัดสงขลา",
                                   text_en="An agency of Songkhla province")
    for order, (th, en, weight) in enumerate(CRITERIA, 1):
        Criterion.objects.create(call=call, order=order, name_th=th, name_en=en, weight=weight)
