"""The evaluations app's pages and endpoints in the central permission matrices (tests/).

prepare() gives each target city two unpublished evaluations of its programme: a draft with a
question, a finding, an outcome and a recommendation (the forms write to it), and a signed-off
one (for publishing and reopening). Reopening is the national coordinator's alone
("network-admin-record"); others who may read the city get 403, the rest 404.
"""
from django.utils import timezone

from apps.evaluations.models import (
    Evaluation, EvaluationChange, Finding, Outcome, Question, Recommendation,
)

PAGE_SPECS = {
    "evaluations:list": [("get", "public", None)],
    "evaluations:new": [("get", "city-assess", None),
                        ("post", "city-assess", {"title_th": "การประเมินใหม่"})],
    "evaluations:strategy": [("get", "public", None)],
    "evaluations:detail": [("get", "private-read", None)],
    "evaluations:pdf": [("get", "private-read", None)],
    "evaluations:edit": [("get", "city-assess", None),
                         ("post", "city-assess", {"title_th": "ชื่อใหม่"})],
    "evaluations:part-add": [("post", "city-assess",
                              {"criterion": "relevance", "question_th": "คำถามใหม่"})],
    "evaluations:part-remove": [("post", "city-assess", {})],
    "evaluations:sign-off": [("post", "city-assess", {})],
    "evaluations:publish": [("post", "city-edit", {"published": "1"})],
    "evaluations:reopen": [("post", "network-admin-record", {"note": "ตัวเลขผิด"})],
}

API_SPECS = {
    ("get", "/api/evaluations"): ("list", "evaluation"),
    ("get", "/api/evaluations/{evaluation_id}"): ("private-read", None),
}


def prepare(world):
    for target, city in world.cities.items():
        draft = Evaluation.objects.create(city=city, title_th=f"การประเมิน {target}")
        question = Question.objects.create(evaluation=draft, criterion="relevance",
                                           question_th="ตรงกับความเสี่ยงหรือไม่")
        Finding.objects.create(question=question, finding_th="ตรง", rating=3)
        Outcome.objects.create(evaluation=draft, description_th="น้ำท่วมขังสั้นลง",
                               change="unknown")
        recommendation = Recommendation.objects.create(evaluation=draft, text_th="บรรจุในแผน",
                                                       target="plan")
        signed = Evaluation.objects.create(city=city, title_th=f"การประเมินที่ลงนาม {target}")
        Question.objects.create(evaluation=signed, criterion="impact", question_th="ผลกระทบ")
        Evaluation.objects.filter(pk=signed.pk).update(status="signed",
                                                       signed_off_at=timezone.now())
        world.objects[target].update(evaluation_draft=draft, evaluation_signed=signed,
                                     evaluation_recommendation=recommendation)


def page_kwargs(name, world, target):
    if not name.startswith("evaluations:"):
        return None
    objects = world.objects[target]
    base = {"slug": world.cities[target].slug}
    draft = {**base, "pk": objects["evaluation_draft"].pk}
    signed = {**base, "pk": objects["evaluation_signed"].pk}
    return {
        "evaluations:detail": draft, "evaluations:pdf": draft, "evaluations:edit": draft,
        "evaluations:sign-off": draft,
        "evaluations:part-add": {**draft, "kind": "question"},
        "evaluations:part-remove": {**draft, "kind": "recommendation",
                                    "row": objects["evaluation_recommendation"].pk},
        "evaluations:publish": signed, "evaluations:reopen": signed,
    }.get(name, base)


def api_path(path, world, target):
    if "{evaluation_id}" not in path:
        return None
    return path.replace("{evaluation_id}", str(world.objects[target]["evaluation_draft"].pk))


def listed(payload, what, world, target):
    if what != "evaluation":
        return None
    pk = world.objects[target]["evaluation_draft"].pk
    return any(item["id"] == pk for item in payload["items"])


def fingerprint():
    return (
        list(Evaluation.objects.order_by("pk").values_list("pk", "title_th", "status",
                                                            "published")),
        Question.objects.count(), Finding.objects.count(), Outcome.objects.count(),
        Recommendation.objects.count(), EvaluationChange.objects.count(),
    )
