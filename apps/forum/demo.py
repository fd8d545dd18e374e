"""Demo data for forum, safe to run twice: the demo network's forum synthesis with three policy
recommendations. It is not built here (no Chromium during seed_demo): the national coordinator
presses "Build" on its page, which builds it in the background."""
from apps.assessments.models import RiskRating
from apps.forum.models import ForumSynthesis, PolicyRecommendation
from apps.pilots.models import Pilot

TITLE = "สังเคราะห์ผลการดำเนินงานของเมืองเพื่อเวทีระดับชาติ"
RECOMMENDATIONS = [
    ("บรรจุการลดความเสี่ยงน้ำท่วมในแผนพัฒนาจังหวัดและแผนพัฒนาเทศบาล",
     "Integrate flood risk reduction into provincial and municipal development plans", "risk"),
    ("สนับสนุนงบประมาณต่อเนื่องสำหรับระบบเตือนภัยล่วงหน้าที่ชุมชนดำเนินการเอง",
     "Fund community-run early warning systems beyond the pilot period", "pilot"),
    ("ให้กลุ่มเปราะบางมีผู้แทนในคณะทำงานด้านการปรับตัวต่อการเปลี่ยนแปลงภูมิอากาศของเมือง",
     "Give vulnerable groups a seat in the cities' climate working groups", None),
]


def seed_forum(network):
    """Called by seed_demo after the good-practice library is seeded."""
    synthesis, _created = ForumSynthesis.objects.get_or_create(
        network=network, title_th=TITLE,
        defaults={"title_en": "The cities' results for the national forum"})
    risk = (RiskRating.objects.filter(assessment__city__network=network,
                                      assessment__published=True)
            .select_related("assessment").order_by("-score", "pk").first())
    pilot = Pilot.objects.filter(city__network=network, published=True).order_by("pk").first()
    for order, (text_th, text_en, link) in enumerate(RECOMMENDATIONS, 1):
        links = {}
        if link == "risk" and risk:
            links = {"risk": risk, "city_id": risk.assessment.city_id}
        if link == "pilot" and pilot:
            links = {"pilot": pilot, "city_id": pilot.city_id}
        PolicyRecommendation.objects.update_or_create(
            synthesis=synthesis, order=order,
            defaults={"text_th": text_th, "text_en": text_en, **links})
