"""The assessment's pages and endpoints in the central permission matrices (tests/).

prepare() gives each target city an unpublished assessment with a group, a system, a risk
rating and a risk area. Writes are "city-assess": the city's coordinators and experts and the
network's national coordinator may; the city's other readers get 403, everyone else 404.
Publishing speaks for the city, so it is "city-edit" (experts get 403).

The upload forms are posted without a file: those allowed get the form back with the error
(200), the others are refused before the form is read; uploads themselves are tested in
apps/assessments/tests/test_areas.py.
"""
import json

from apps.assessments.models import (
    Assessment, RiskArea, RiskRating, ScopeGroup, ScopeSystem, VulnerabilityRating,
)

SQUARE = {"type": "Polygon", "coordinates": [[[100.0, 13.0], [100.01, 13.0], [100.01, 13.01],
                                              [100.0, 13.01], [100.0, 13.0]]]}
RISK = {"hazard": "flood", "system": "drainage", "likelihood": 4, "consequence": 5,
        "justification_th": "น้ำท่วมขังบ่อย"}
VULNERABILITY = {"exposure": 4, "sensitivity": 4, "capacity_agents": 2,
                 "capacity_institutions": 3}

PAGE_SPECS = {
    "assessments:overview": [("get", "private-read", None)],
    "assessments:start": [("post", "city-assess", {})],
    "assessments:edit": [("post", "city-assess", {"status": "review", "notes_th": "บันทึก"})],
    "assessments:publish": [("post", "city-edit", {"published": "1"})],
    "assessments:add": [("post", "city-assess", {"system": "energy"})],
    "assessments:remove": [("post", "city-assess", {})],
    # Posted without a source (analyses are the climate app's): allowed users get the form back.
    "assessments:cite-evidence": [("post", "city-assess", {"note": "x"})],
    "assessments:risks": [("get", "private-read", None)],
    "assessments:rate-risk": [("post", "city-assess", {**RISK, "consequence": 3})],
    "assessments:vulnerability": [("get", "private-read", None)],
    "assessments:rate-vulnerability": [
        ("post", "city-assess", {"target": "system:drainage", **VULNERABILITY})],
    "assessments:areas": [("get", "private-read", None)],
    "assessments:areas-geojson": [("get", "private-read", None)],
    "assessments:draw-area": [("post", "city-assess", {
        "name_th": "ชุมชนริมน้ำ", "hazard": "flood", "geometry": json.dumps(SQUARE)})],
    "assessments:upload-areas": [("post", "city-assess", {"hazard": "flood"})],
    "assessments:upload-layer": [("post", "city-assess", {"name": "ประชากร",
                                                          "kind": "population",
                                                          "attribute": "pop"})],
    "assessments:scale": [("get", "network-admin", None),
                          ("post", "network-admin", {
                              "risk_medium_from": 4, "risk_high_from": 9,
                              "risk_extreme_from": 16, "vulnerability_medium_from": "2",
                              "vulnerability_high_from": "3",
                              "vulnerability_extreme_from": "4"})],
}


def page_kwargs(name, world, target):
    if not name.startswith("assessments:"):
        return None
    city = world.cities[target]
    if name == "assessments:scale":
        return {"slug": city.network.slug}
    if name == "assessments:add":
        return {"slug": city.slug, "record": "system"}
    if name == "assessments:remove":
        return {"slug": city.slug, "record": "group",
                "pk": world.objects[target]["assessment_group"].pk}
    return {"slug": city.slug}


def prepare(world):
    for target, city in world.cities.items():
        assessment = Assessment.objects.create(city=city)
        group = ScopeGroup.objects.create(assessment=assessment, name_th=f"ผู้สูงอายุ {target}")
        ScopeSystem.objects.create(assessment=assessment, system="drainage")
        RiskRating.objects.create(assessment=assessment, **RISK)
        RiskArea.objects.create(assessment=assessment, name_th="ริมน้ำ", hazard="flood",
                                geometry=SQUARE)
        world.objects[target]["assessment"] = assessment
        world.objects[target]["assessment_group"] = group


def fingerprint():
    from apps.assessments.models import AssessmentScale

    return (
        sorted(Assessment.objects.values_list("pk", "status", "published", "notes_th")),
        sorted(ScopeGroup.objects.values_list("pk", flat=True)),
        sorted(ScopeSystem.objects.values_list("pk", "system")),
        sorted(RiskRating.objects.values_list("pk", "likelihood", "consequence")),
        sorted(VulnerabilityRating.objects.values_list("pk", "index")),
        sorted(RiskArea.objects.values_list("pk", flat=True)),
        sorted(AssessmentScale.objects.values_list("risk_medium_from", flat=True)),
    )


API_SPECS = {
    ("get", "/api/assessments"): ("list", "assessment"),
    ("get", "/api/assessments/{slug}"): ("private-read", None),
    ("post", "/api/assessments/{slug}/risks"): ("city-assess", {**RISK, "consequence": 2}),
    ("post", "/api/assessments/{slug}/vulnerabilities"): (
        "city-assess", {"system": "drainage", **VULNERABILITY}),
    ("post", "/api/assessments/{slug}/areas"): (
        "city-assess", {"name_th": "ชุมชน", "hazard": "flood", "geometry": SQUARE}),
}


def listed(payload, what, world, target):
    if what != "assessment":
        return None
    items = payload["items"] if isinstance(payload, dict) else payload
    return any(item["city"] == world.cities[target].slug for item in items)
