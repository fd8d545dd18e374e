"""Demo evaluations for the demo network of apps.demo: Chiang Rai's programme evaluated at the
end of the pilot period (signed off and published: five DAC questions with findings, two
outcomes on the assessed flood and haze risks, three recommendations, two of them for the
development strategy and plan), and Hat Yai's evaluation just started (a draft). The texts are
illustrative, not findings. Safe to run twice: a city that has an evaluation is left alone."""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from apps.assessments.models import RiskRating
from apps.evaluations.models import (
    Evaluation, EvaluationChange, Finding, Outcome, Question, Recommendation,
)
from apps.networks.models import City
from apps.pilots.models import Pilot

# criterion, question (th, en), finding (th, en), rating 1-4
CHIANG_RAI_QUESTIONS = [
    ("relevance",
     "โครงการนำร่องตอบความเสี่ยงที่ประเมินไว้ (น้ำท่วมและหมอกควัน) และความต้องการของกลุ่มเปราะบางหรือไม่",
     "Did the pilots answer the assessed risks (floods, haze) and the needs of vulnerable groups?",
     "ตอบตรงประเด็น: โครงการมุ่งที่ชุมชนริมแม่น้ำกกและผู้สูงอายุซึ่ง SLD 1 และการประเมินความเปราะบางระบุไว้",
     "Yes: the pilots target the Kok riverbank communities and the elderly that SLD 1 and the "
     "vulnerability assessment identified.", 4),
    ("effectiveness",
     "โครงการบรรลุผลที่ตั้งไว้ในข้อเสนอโครงการเพียงใด",
     "How far did the pilots reach the results their proposals set?",
     "ระบบเตือนภัยน้ำท่วมชุมชนใช้งานได้ 9 จาก 12 ชุมชน ส่วนการสื่อสารความเสี่ยงหมอกควันยังไปไม่ถึงแรงงานนอกระบบ",
     "The community flood warning works in 9 of 12 communities; haze risk messages do not yet "
     "reach informal workers.", 3),
    ("efficiency",
     "ใช้งบประมาณและเวลาอย่างคุ้มค่าหรือไม่",
     "Were the budget and time used well?",
     "ใช้งบประมาณร้อยละ 94 ตามแผน แต่การจัดซื้อสถานีวัดระดับน้ำล่าช้าสามเดือน",
     "94% of the budget spent as planned, but buying the water-level gauges took three months "
     "longer.", 2),
    ("impact",
     "เมืองรับมือกับผลกระทบจากสภาพภูมิอากาศได้ดีขึ้นหรือไม่",
     "Does the city cope better with the climate impacts?",
     "ในน้ำท่วมเดือนกันยายน ชุมชนที่มีระบบเตือนภัยอพยพได้เร็วขึ้นและความเสียหายต่อครัวเรือนลดลง",
     "In the September flood, communities with warnings evacuated sooner and household losses "
     "fell.", 3),
    ("sustainability",
     "ผลของโครงการจะคงอยู่หลังสิ้นสุดการสนับสนุนหรือไม่",
     "Will the results last after the funding ends?",
     "เทศบาลรับค่าบำรุงรักษาสถานีวัดระดับน้ำไว้ในงบประมาณปีถัดไปแล้ว แต่อาสาสมัครชุมชนยังขาดการฝึกอบรมต่อเนื่อง",
     "The municipality has put gauge maintenance in next year's budget; community volunteers "
     "still lack regular training.", 2),
]
# (hazard, system) of the assessed risk, outcome (th, en), change, evidence (th, en), indicator
CHIANG_RAI_OUTCOMES = [
    (("flood", "housing"),
     "ครัวเรือนริมแม่น้ำกกได้รับการเตือนล่วงหน้าและขนย้ายทรัพย์สินได้ทัน",
     "Kok riverbank households are warned in time and move their belongings.",
     "better",
     "เวลาเตือนล่วงหน้าเพิ่มจากราว 1 ชั่วโมงเป็น 6 ชั่วโมง; ครัวเรือนที่รายงานความเสียหายลดจาก 410 เหลือ 260 ครัวเรือน (สำรวจหลังน้ำท่วม ก.ย.)",
     "Warning lead time rose from about 1 hour to 6; households reporting losses fell from 410 "
     "to 260 (post-flood survey, September).",
     "ครัวเรือนที่รายงานความเสียหายจากน้ำท่วม"),
    (("haze", "health"),
     "ผู้สูงอายุและเด็กเล็กได้รับข่าวสารค่าฝุ่นและหน้ากากในช่วงวิกฤต",
     "The elderly and young children get PM2.5 alerts and masks in the worst weeks.",
     "same",
     "ผู้ป่วยโรคทางเดินหายใจช่วงมีนาคมใกล้เคียงปีก่อน; ยังแยกผลของโครงการออกจากความรุนแรงของหมอกควันแต่ละปีไม่ได้",
     "March respiratory cases were close to last year's; the pilot's effect cannot yet be told "
     "apart from each year's haze severity.",
     "ผู้ป่วยโรคทางเดินหายใจเดือนมีนาคม (โรงพยาบาลเชียงรายประชานุเคราะห์)"),
]
# target, priority, text (th, en)
CHIANG_RAI_RECOMMENDATIONS = [
    ("strategy", 1,
     "บรรจุระบบเตือนภัยน้ำท่วมชุมชนเป็นยุทธศาสตร์ด้านความยืดหยุ่นของเมือง ครอบคลุมทุกชุมชนริมน้ำกกภายใน 3 ปี",
     "Make community flood warning part of the city's resilience strategy, covering every Kok "
     "riverbank community within three years."),
    ("plan", 2,
     "ตั้งงบประมาณประจำปีในแผนพัฒนาเทศบาลสำหรับบำรุงรักษาสถานีวัดระดับน้ำและฝึกอาสาสมัคร",
     "Set a yearly line in the municipal development plan for gauge maintenance and volunteer "
     "training."),
    ("next_pilot", 2,
     "โครงการนำร่องถัดไปควรทดลองห้องปลอดฝุ่นในศูนย์เด็กเล็กและวัดผลด้วยข้อมูลผู้ป่วยรายสัปดาห์",
     "The next pilot should try clean-air rooms in childcare centres, measured with weekly "
     "patient data."),
]


def seed_evaluations(network):
    User = get_user_model()
    tei = User.objects.filter(username="tei").first()
    expert = User.objects.filter(username="expert").first()
    cities = {c.slug: c for c in City.objects.filter(network=network,
                                                     slug__in=["chiang-rai", "hat-yai"])}
    with transaction.atomic():
        if "chiang-rai" in cities and not cities["chiang-rai"].evaluations.exists():
            _chiang_rai(cities["chiang-rai"], tei)
        if "hat-yai" in cities and not cities["hat-yai"].evaluations.exists():
            _hat_yai(cities["hat-yai"], expert)


def _chiang_rai(city, by):
    now = timezone.now()
    evaluation = Evaluation.objects.create(
        city=city, pilot=Pilot.objects.filter(city=city).order_by("pk").first(),
        title_th="การประเมินผลโครงการนำร่องเมืองเชียงราย เมื่อสิ้นสุดระยะนำร่อง",
        title_en="Evaluation of Chiang Rai's pilot programme at the end of the pilot period",
        evaluator_names="รศ.ดร. สมศักดิ์ อินทวงศ์ (มหาวิทยาลัยแม่ฟ้าหลวง)\n"
                        "ดร. อรทัย บุญมา (สถาบันสิ่งแวดล้อมไทย)",
        scope_th="โครงการนำร่องด้านน้ำท่วมและหมอกควันของเมืองเชียงราย ตั้งแต่เริ่มดำเนินการจนสิ้นสุดระยะนำร่อง",
        scope_en="Chiang Rai's flood and haze pilots, from their start to the end of the pilot "
                 "period.",
        method_th="ทบทวนเอกสารและรายงานความก้าวหน้า สัมภาษณ์คณะทำงาน 14 คน สนทนากลุ่มใน 4 ชุมชน "
                  "และเปรียบเทียบตัวชี้วัดกับค่าฐานในข้อเสนอโครงการ",
        method_en="Document and progress-report review, 14 working-group interviews, focus "
                  "groups in 4 communities, indicators compared with the proposals' baselines.",
        created_by=by, created_at=now - timedelta(days=40))
    for criterion, q_th, q_en, f_th, f_en, rating in CHIANG_RAI_QUESTIONS:
        question = Question.objects.create(evaluation=evaluation, criterion=criterion,
                                           question_th=q_th, question_en=q_en)
        Finding.objects.create(question=question, finding_th=f_th, finding_en=f_en,
                               rating=rating)
    risks = {(r.hazard, r.system): r for r in RiskRating.objects.filter(assessment__city=city)}
    for key, d_th, d_en, change, e_th, e_en, indicator in CHIANG_RAI_OUTCOMES:
        Outcome.objects.create(evaluation=evaluation, risk=risks.get(key), description_th=d_th,
                               description_en=d_en, change=change, evidence_th=e_th,
                               evidence_en=e_en, indicator=indicator)
    for target, priority, t_th, t_en in CHIANG_RAI_RECOMMENDATIONS:
        Recommendation.objects.create(evaluation=evaluation, target=target, priority=priority,
                                      text_th=t_th, text_en=t_en)
    evaluation.sign_off(by)
    evaluation.set_published(by, True)
    # The story: signed off two weeks ago, published a few days later.
    Evaluation.objects.filter(pk=evaluation.pk).update(signed_off_at=now - timedelta(days=14))
    EvaluationChange.objects.filter(evaluation=evaluation, action="sign").update(
        at=now - timedelta(days=14))
    EvaluationChange.objects.filter(evaluation=evaluation, action="publish").update(
        at=now - timedelta(days=11))


def _hat_yai(city, by):
    evaluation = Evaluation.objects.create(
        city=city, pilot=Pilot.objects.filter(city=city).order_by("pk").first(),
        title_th="การประเมินผลโครงการนำร่องเมืองหาดใหญ่ (ร่าง)",
        title_en="Evaluation of Hat Yai's pilot programme (draft)",
        scope_th="การเตรียมรับมือน้ำท่วมฉับพลันของเมืองหาดใหญ่ ลุ่มคลองอู่ตะเภา",
        scope_en="Hat Yai's flash-flood preparedness in the Khlong U-Tapao basin.",
        created_by=by)
    if by is not None:
        evaluation.evaluators.add(by)
    Question.objects.create(
        evaluation=evaluation, criterion="effectiveness",
        question_th="ระบบแจ้งเตือนระดับน้ำคลองอู่ตะเภาช่วยให้ประชาชนอพยพทันเวลาหรือไม่",
        question_en="Does the U-Tapao water-level alert get people out in time?")
