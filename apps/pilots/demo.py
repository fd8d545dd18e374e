"""Demo pilot projects, safe to run twice.

Chiang Rai's call (apps/proposals/demo.py) gets its selection: the coordinator (`chiangrai`)
records the shortlist of the three eligible proposals at the selection meeting, and the funder
reviewer (`funder`) approves two of them, which makes two pilots. The third stays undecided,
for the funder to try in the demo. Then the pilots run:

- the Kok River early warning (team: `proponent`) is about half done: two components, one
  milestone overdue; spending on both lines, the training line overspent; two progress
  reports, one accepted (with a photo), one submitted and awaiting the coordinator's review;
- the risk maps (team: `cr-agency-mfu`) have just started: a small workplan, one expense.

The early-warning pilot's first volunteer training is an event linked to it, held, with the
volunteers' attendance and a few self-declared vulnerable groups (apps/events/demo.py).
"""
import datetime as dt
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from apps.events import mail as event_mail
from apps.events.demo import seed_pilot_events
from apps.events.models import Event
from apps.networks.models import City

WORKPLANS = {  # proposal's English title -> [(component th, en, weight, [milestones])]
    # milestone: (th, en, start offset, end offset (days from today), status, percent)
    "Community flood early warning on the Kok River": [
        ("ติดตั้งเครื่องวัดระดับน้ำอัตโนมัติ", "Install automatic water-level gauges", 2, [
            ("สำรวจจุดติดตั้ง 6 จุด", "Survey the six sites", -150, -120, "done", 100),
            ("จัดซื้ออุปกรณ์", "Procure the gauges", -120, -80, "done", 100),
            ("ติดตั้งและเชื่อมต่อระบบแจ้งเตือน", "Install and connect the alert system", -80, 40,
             "under_way", 30),
            ("ทดสอบระบบกับชุมชน", "Test the system with the communities", 40, 90,
             "not_started", 0)]),
        ("อบรมอาสาสมัครเตือนภัย", "Train warning volunteers", 1, [
            ("จัดทำหลักสูตร", "Write the curriculum", -140, -110, "done", 100),
            ("อบรม 3 รุ่น", "Three training rounds", -100, -20, "delayed", 0)]),
    ],
    "Community flood and haze risk maps": [
        ("สำรวจข้อมูลชุมชน", "Community survey", 1, [
            ("เตรียมแบบสำรวจ", "Prepare the questionnaire", -30, -10, "done", 100),
            ("ลงพื้นที่ 12 ชุมชน", "Field work in 12 communities", -10, 60, "under_way", 10)]),
        ("จัดทำแผนที่ความเสี่ยง", "Draw the risk maps", 2, [
            ("แผนที่ร่างและประชาพิจารณ์", "Draft maps and public hearing", 60, 150,
             "not_started", 0)]),
    ],
}


def seed_pilots(network):
    from apps.proposals.models import Call, Shortlist

    city = City.objects.filter(network=network, slug="chiang-rai").first()
    call = Call.objects.filter(city=city).order_by("pk").first() if city else None
    if call is None:
        return  # no call to select from
    if not Shortlist.objects.filter(call=call).exists():  # else already done (second run)
        User = get_user_model()
        coordinator = User.objects.filter(username="chiangrai").first()
        funder = User.objects.filter(username="funder").first()
        meeting = Event.objects.filter(
            city_activity__city=city, title_en="Chiang Rai pilot project selection meeting",
        ).first()
        if coordinator is None or funder is None or meeting is None:
            return
        with event_mail.muted(), transaction.atomic():
            _select(call, coordinator, funder, meeting)
    # The early-warning pilot's first training, with its attendance (apps/events/demo.py).
    seed_pilot_events(city)


def _select(call, coordinator, funder, meeting):
    from apps.pilots.models import Pilot
    from apps.proposals.models import Proposal, decide

    eligible = list(call.proposals.filter(eligibility=Proposal.Eligibility.ELIGIBLE)
                    .order_by("pk"))
    call.record_shortlist(coordinator, meeting, eligible,
                          note_th="ที่ประชุมเห็นชอบเสนอทั้งสามโครงการต่อแหล่งทุน",
                          note_en="The meeting put all three to the funder.")
    today = timezone.localdate()
    for proposal in eligible:
        plan = WORKPLANS.get(proposal.title_en)
        if plan is None:
            continue
        budget = sum((line.amount for line in proposal.budget_lines.all()), Decimal("0"))
        decide(proposal, funder, "approved", budget=budget,
               conditions_th="รายงานความก้าวหน้าทุกไตรมาส และเปิดข้อมูลระดับน้ำให้ชุมชน",
               conditions_en="Quarterly progress reports; water-level data open to the "
                             "communities.")
        pilot = Pilot.objects.get(proposal=proposal)
        first = proposal.title_en.startswith("Community flood early")
        pilot.status = Pilot.Status.RUNNING
        pilot.published = first
        pilot.start_date = today - dt.timedelta(days=150 if first else 30)
        pilot.end_date = pilot.start_date + dt.timedelta(days=365)
        pilot.save()
        _workplan(pilot, plan, today)
        if first:
            _spending(pilot, proposal.proponent, today, overspend=True)
            _reports(pilot, proposal.proponent, coordinator, today)
        else:
            _spending(pilot, proposal.proponent, today, overspend=False)


def _workplan(pilot, plan, today):
    from apps.pilots.models import Milestone, PilotComponent

    for th, en, weight, milestones in plan:
        component = PilotComponent.objects.create(pilot=pilot, title_th=th, title_en=en,
                                                  weight=weight)
        for mth, men, start, end, status, percent in milestones:
            Milestone.objects.create(
                component=component, title_th=mth, title_en=men, status=status,
                percent=percent, planned_start=today + dt.timedelta(days=start),
                planned_end=today + dt.timedelta(days=end))


def _spending(pilot, by, today, overspend):
    from apps.pilots.models import Expense

    lines = list(pilot.budget_lines.order_by("pk"))
    if not lines:
        return
    if not overspend:
        rows = [(lines[0], "120000", -10, "ค่าจ้างผู้ช่วยสำรวจภาคสนาม 12 ชุมชน")]
    elif len(lines) > 1:
        rows = [(lines[0], "250000", -70, "ค่าเครื่องวัดระดับน้ำ 6 ชุด (งวดที่ 1)"),
                (lines[0], "95000", -40, "ค่าติดตั้งและระบบส่งข้อความ"),
                (lines[1], "120000", -90, "ค่าจัดอบรมอาสาสมัคร รุ่นที่ 1-2"),
                (lines[1], "75000", -25, "ค่าเดินทางและอาหารอาสาสมัคร")]  # over 180,000
    else:
        rows = []
    for line, amount, days, description in rows:
        Expense(line=line, amount=Decimal(amount), date=today + dt.timedelta(days=days),
                description=description).record(by)


def _photo():
    from PIL import Image, ImageDraw

    from apps.core.images import reencode_image

    im = Image.new("RGB", (640, 400), (170, 200, 225))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 280, 640, 400), fill=(90, 120, 70))  # the river bank
    draw.rectangle((300, 120, 320, 300), fill=(80, 80, 80))  # the gauge's pole
    draw.rectangle((285, 100, 335, 130), fill=(240, 240, 240))  # its sensor box
    out = io.BytesIO()
    im.save(out, format="JPEG")
    return reencode_image(SimpleUploadedFile("gauge.jpg", out.getvalue(),
                                             content_type="image/jpeg"))


def _reports(pilot, team, coordinator, today):
    from apps.pilots.models import PilotPhoto, ProgressReport

    first = ProgressReport.objects.create(
        pilot=pilot, period="ไตรมาสที่ 1", period_end=today - dt.timedelta(days=60),
        narrative_th="สำรวจจุดติดตั้งครบ 6 จุด จัดซื้อเครื่องวัดระดับน้ำแล้ว เริ่มอบรมอาสาสมัครรุ่นแรก",
        narrative_en="All six sites surveyed, gauges bought, first volunteer training started.",
        percent=35, issues="ผู้ขายส่งอุปกรณ์ล่าช้า 2 สัปดาห์", created_by=team)
    PilotPhoto.objects.create(report=first, image=_photo(),
                              caption="เครื่องวัดระดับน้ำจุดที่ 1 สะพานแม่ฟ้าหลวง")
    first.submit(team)
    first.send_back(coordinator, "ขอให้เพิ่มจำนวนอาสาสมัครที่ผ่านการอบรมแยกชาย หญิง")
    ProgressReport.objects.filter(pk=first.pk).update(
        narrative_th=first.narrative_th + " อาสาสมัครผ่านการอบรม 24 คน (หญิง 14 ชาย 10)")
    first.submit(team)
    first.accept(coordinator, "ขอบคุณ")
    second = ProgressReport.objects.create(
        pilot=pilot, period="ไตรมาสที่ 2", period_end=today - dt.timedelta(days=5),
        narrative_th="ติดตั้งเครื่องวัดแล้ว 2 จาก 6 จุด การอบรมรุ่นที่ 2-3 เลื่อนเพราะน้ำท่วมเดือนสิงหาคม",
        narrative_en="Two of six gauges installed; training rounds 2-3 postponed by the August "
                     "flood.",
        percent=55, issues="ค่าอบรมเกินงบประมาณ ต้องขอปรับงบระหว่างหมวด", created_by=team)
    second.submit(team)
