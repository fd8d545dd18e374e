"""The strategies app's pages and endpoints in the central permission matrices (tests/).

prepare() gives each target city an unpublished draft strategy with a strategic issue and an
intervention linked to a risk of the city's assessment, a saved version, and an evidence file.
"""
from django.core.files.base import ContentFile

from apps.assessments.models import Assessment, RiskRating
from apps.strategies.devplan_models import DevPlan, PlanItem
from apps.strategies.funding import generate
from apps.strategies.funding_models import FunderProposal, FunderSubmission
from apps.strategies.models import (
    FeasibilityCriterion, Intervention, ResilienceCharacteristic, StrategicIssue, Strategy,
    StrategyVersion,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

PAGE_SPECS = {
    "strategies:detail": [("get", "private-read", None)],
    "strategies:edit": [("get", "city-edit", None),
                        ("post", "city-edit", {"vision_th": "เมืองที่พร้อมรับมือ"})],
    "strategies:issue-add": [("post", "city-edit", {"title_th": "ประเด็นใหม่"})],
    "strategies:issue-remove": [("post", "city-edit", {})],
    "strategies:intervention-add": [("get", "city-edit", None),
                                    ("post", "city-edit", {"title_th": "มาตรการใหม่"})],
    "strategies:intervention-edit": [("get", "city-edit", None),
                                     ("post", "city-edit", {"title_th": "มาตรการแก้ไข"})],
    "strategies:intervention-remove": [("post", "city-edit", {})],
    "strategies:ranking": [("get", "private-read", None)],
    "strategies:versions": [("get", "private-read", None)],
    "strategies:save-version": [("post", "city-edit", {"note": "ฉบับร่าง"})],
    "strategies:status": [("post", "city-edit", {"status": "submitted"})],
    # A draft needs no new version: the allowed get the message back (a redirect).
    "strategies:new-version": [("post", "city-edit", {})],
    "strategies:evidence": [("get", "private-read", None)],
    "strategies:pdf": [("get", "private-read", None)],
    "strategies:devplan": [("get", "private-read", None)],
    # Without a file the allowed get the form's message back (200); imports are tested in
    # apps/strategies/tests/test_devplan.py.
    "strategies:devplan-import": [("post", "city-edit", {"title": "แผนพัฒนา"})],
    "strategies:devplan-template": [("get", "public", None)],
    # The network's scales: its national coordinator only (403 for everyone else).
    "strategies:scales": [("get", "network-admin", None),
                          ("post", "network-admin", {
                              "kind": "characteristic", "characteristic-new-name_th": "ความรู้",
                              "characteristic-new-weight": "2",
                              "characteristic-new-active": "on"})],
    "strategies:proposal-generate": [("post", "city-edit", {})],
    "strategies:proposal": [("get", "private-read", None)],
    "strategies:proposal-edit": [("get", "city-edit", None),
                                 ("post", "city-edit", {"title_th": "ข้อเสนอแก้ไข"})],
    "strategies:submission-add": [("post", "city-edit", {"funder": "มูลนิธิ", "status": "preparing"})],
    "strategies:proposal-docx": [("get", "private-read", None)],
    "strategies:proposal-pdf": [("get", "private-read", None)],
}

API_SPECS = {
    ("get", "/api/strategies"): ("list", "strategy"),
    ("get", "/api/strategies/{strategy_id}"): ("private-read", None),
    ("post", "/api/strategies/{strategy_id}/interventions"): (
        "city-edit", {"title_th": "มาตรการจาก API"}),
}


def prepare(world):
    for target, city in world.cities.items():
        assessment = (world.objects[target].get("assessment")
                      or Assessment.objects.filter(city=city).first()
                      or Assessment.objects.create(city=city))
        risk = RiskRating.objects.filter(assessment=assessment).first() or \
            RiskRating.objects.create(assessment=assessment, hazard="haze", system="health",
                                      likelihood=4, consequence=4, justification_th="หมอกควัน")
        strategy = Strategy.objects.create(city=city, vision_th=f"วิสัยทัศน์ {target}")
        issue = StrategicIssue.objects.create(strategy=strategy, title_th="ประเด็น")
        intervention = Intervention.objects.create(strategy=strategy, issue=issue,
                                                   title_th="มาตรการ")
        intervention.risks.add(risk)
        strategy.save_version(None, "v1")
        strategy.evidence.save("resolution.pdf", ContentFile(PDF), save=False)
        strategy.evidence_type = "pdf"
        strategy.save()
        # The proposal hangs off another intervention: "intervention-remove" deletes the first.
        funded = Intervention.objects.create(strategy=strategy, title_th="มาตรการขอทุน")
        proposal = generate(funded, None)
        world.objects[target].update(strategy=strategy, strategy_issue=issue,
                                     strategy_intervention=intervention,
                                     strategy_funded=funded, strategy_proposal=proposal)


def page_kwargs(name, world, target):
    if not name.startswith("strategies:"):
        return None
    objects = world.objects[target]
    base = {"slug": world.cities[target].slug}
    return {
        "strategies:issue-remove": {**base, "pk": objects["strategy_issue"].pk},
        "strategies:intervention-edit": {**base, "pk": objects["strategy_intervention"].pk},
        "strategies:intervention-remove": {**base, "pk": objects["strategy_intervention"].pk},
        "strategies:devplan-template": {},
        "strategies:scales": {"slug": world.cities[target].network.slug},
        "strategies:proposal-generate": {**base, "pk": objects["strategy_funded"].pk},
        "strategies:proposal": {**base, "pk": objects["strategy_proposal"].pk},
        "strategies:proposal-edit": {**base, "pk": objects["strategy_proposal"].pk},
        "strategies:submission-add": {**base, "pk": objects["strategy_proposal"].pk},
        "strategies:proposal-docx": {**base, "pk": objects["strategy_proposal"].pk},
        "strategies:proposal-pdf": {**base, "pk": objects["strategy_proposal"].pk},
    }.get(name, base)


def api_path(path, world, target):
    if "{strategy_id}" not in path:
        return None
    return path.replace("{strategy_id}", str(world.objects[target]["strategy"].pk))


def listed(payload, what, world, target):
    if what != "strategy":
        return None
    return any(item["id"] == world.objects[target]["strategy"].pk for item in payload["items"])


def fingerprint():
    return (
        list(Strategy.objects.order_by("pk").values_list("pk", "vision_th", "status",
                                                         "published")),
        list(StrategicIssue.objects.order_by("pk").values_list("pk", "title_th")),
        list(Intervention.objects.order_by("pk").values_list("pk", "title_th", "strategy")),
        list(StrategyVersion.objects.order_by("pk").values_list("pk", "number")),
        Intervention.risks.through.objects.count(),
        list(DevPlan.objects.order_by("pk").values_list("pk", "title")),
        PlanItem.objects.count(),
        list(FunderProposal.objects.order_by("pk").values_list("pk", "title_th")),
        list(FunderSubmission.objects.order_by("pk").values_list("pk", "funder", "status")),
        list(ResilienceCharacteristic.objects.order_by("pk").values_list(
            "pk", "network", "code", "name_th", "weight", "active")),
        list(FeasibilityCriterion.objects.order_by("pk").values_list(
            "pk", "network", "code", "name_th", "weight", "active")),
    )
