"""The studies app's pages and endpoints in the central permission matrices (tests/).

prepare() gives each target city an unpublished assessment with a small impact graph (a
hazard -> impact -> consequence -> affected chain, plus a spare impact and consequence that are
not linked), and a sector study whose round 1 is signed off and round 2 is a draft with an
attachment.

Forms whose values carry record ids the static data cannot know ("link-add", the
"attachment-add" upload) POST without them: those allowed get the form's error back (200 or a
redirect with the message), the others are refused and nothing changes. Adding links and files
is tested in apps/studies/tests/. The API's link endpoint takes both node ids in its path, so
the matrix links the spare impact to the spare consequence for real.
"""
from django.core.files.base import ContentFile

from apps.assessments.models import Assessment, ScopeGroup
from apps.studies.models import (
    ImpactLink, ImpactNode, SectorStudy, StudyAttachment, StudyVersion,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

PAGE_SPECS = {
    "studies:chains": [("get", "private-read", None)],
    "studies:chains-svg": [("get", "private-read", None)],
    "studies:node-add": [("post", "city-assess", {"kind": "hazard", "hazard": "drought"})],
    "studies:node-remove": [("post", "city-assess", {})],
    "studies:link-add": [("post", "city-assess", {})],
    "studies:link-remove": [("post", "city-assess", {})],
    "studies:list": [("get", "private-read", None)],
    "studies:new": [("get", "city-assess", None),
                    ("post", "city-assess", {"title_th": "การศึกษาใหม่", "sector": "health"})],
    "studies:study": [("get", "private-read", None)],
    "studies:settings": [("get", "city-assess", None),
                         ("post", "city-assess", {"title_th": "ชื่อใหม่", "sector": "energy"})],
    "studies:edit": [("get", "city-assess", None),
                     ("post", "city-assess", {"findings_th": "ข้อค้นพบใหม่"})],
    "studies:compare": [("get", "private-read", None)],
    "studies:sign-off": [("post", "city-assess", {})],
    "studies:attachment-add": [("post", "city-assess", {"title": "ไม่มีไฟล์"})],
    "studies:attachment": [("get", "private-read", None)],
    "studies:attachment-remove": [("post", "city-assess", {})],
}

API_SPECS = {
    ("get", "/api/studies"): ("list", "study"),
    ("get", "/api/studies/{study_id}"): ("private-read", None),
    ("get", "/api/cities/{slug}/impact-graph"): ("private-read", None),
    ("post", "/api/cities/{slug}/impact-graph/nodes"): (
        "city-assess", {"kind": "hazard", "hazard": "drought"}),
    ("post", "/api/cities/{slug}/impact-graph/links/{from_node}/{to_node}"): (
        "city-assess", {}),
}


def prepare(world):
    for target, city in world.cities.items():
        # The assessments app's matrix (earlier in INSTALLED_APPS) may have made it already.
        assessment = (world.objects[target].get("assessment")
                      or Assessment.objects.filter(city=city).first()
                      or Assessment.objects.create(city=city))
        group = ScopeGroup.objects.create(assessment=assessment, name_th="ชุมชนริมน้ำ")
        hazard = ImpactNode.objects.create(assessment=assessment, kind="hazard",
                                           text_th="น้ำท่วม", hazard="flood")
        impact = ImpactNode.objects.create(assessment=assessment, kind="impact",
                                           text_th="ท่อระบายน้ำล้น", system="drainage")
        consequence = ImpactNode.objects.create(assessment=assessment, kind="consequence",
                                                text_th="ถนนถูกตัดขาด")
        affected = ImpactNode.objects.create(assessment=assessment, kind="affected",
                                             text_th="ชุมชนริมน้ำ", group=group)
        spare_impact = ImpactNode.objects.create(assessment=assessment, kind="impact",
                                                 text_th="ไฟฟ้าดับ", system="energy")
        spare_consequence = ImpactNode.objects.create(assessment=assessment, kind="consequence",
                                                      text_th="ร้านค้าปิด")
        links = [ImpactLink.objects.create(from_node=a, to_node=b) for a, b in
                 ((hazard, impact), (impact, consequence), (consequence, affected))]
        study = SectorStudy.objects.create(assessment=assessment, title_th=f"การศึกษา {target}",
                                           sector="drainage")
        first = study.start(None)
        first.findings_th = "ข้อค้นพบรอบแรก"
        first.save()
        first.nodes.set([impact])
        first.sign_off(None)
        draft = study.draft_for_edit(None)
        attachment = StudyAttachment(version=draft, title="รายงาน", file_type="pdf",
                                     size=len(PDF))
        attachment.file.save("report.pdf", ContentFile(PDF), save=False)
        attachment.save()
        world.objects[target].update(
            assessment=assessment, study=study, node=spare_impact, link=links[-1],
            spare=(spare_impact, spare_consequence), attachment=attachment, draft=draft)


def page_kwargs(name, world, target):
    if not name.startswith("studies:"):
        return None
    objects = world.objects[target]
    base = {"slug": world.cities[target].slug}
    study = {**base, "pk": objects["study"].pk}
    return {
        "studies:node-remove": {**base, "pk": objects["node"].pk},
        "studies:link-remove": {**base, "pk": objects["link"].pk},
        "studies:study": study,
        "studies:settings": study,
        "studies:edit": study,
        "studies:compare": study,
        "studies:sign-off": {**study, "n": objects["draft"].round},
        "studies:attachment-add": {**study, "n": objects["draft"].round},
        "studies:attachment": {**study, "attachment": objects["attachment"].pk},
        "studies:attachment-remove": {**study, "attachment": objects["attachment"].pk},
    }.get(name, base)


def api_path(path, world, target):
    if "{study_id}" not in path and "impact-graph" not in path:
        return None
    objects = world.objects[target]
    spare_impact, spare_consequence = objects["spare"]
    return (path.replace("{study_id}", str(objects["study"].pk))
            .replace("{slug}", world.cities[target].slug)
            .replace("{from_node}", str(spare_impact.pk))
            .replace("{to_node}", str(spare_consequence.pk)))


def listed(payload, what, world, target):
    if what != "study":
        return None
    return any(item["id"] == world.objects[target]["study"].pk for item in payload["items"])


def fingerprint():
    return (
        list(ImpactNode.objects.order_by("pk").values_list("pk", "kind", "text_th")),
        list(ImpactLink.objects.order_by("pk").values_list("pk", "from_node", "to_node")),
        list(SectorStudy.objects.order_by("pk").values_list("pk", "title_th", "sector")),
        list(StudyVersion.objects.order_by("pk").values_list("pk", "round", "status",
                                                              "findings_th")),
        list(StudyAttachment.objects.order_by("pk").values_list("pk", "version")),
        StudyVersion.nodes.through.objects.count(), Assessment.objects.count(),
    )
