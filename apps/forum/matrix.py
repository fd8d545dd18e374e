"""The forum app's pages and endpoints in the central permission matrices (tests/).

A synthesis belongs to a network: prepare() gives each target city's network an unpublished
synthesis with stored files and a recommendation (own and sibling share network A, foreign is
network B). "forum-read": the network's national coordinator (and the superuser) read it, anyone
else gets 404 (an unpublished synthesis, like a missing page); "forum-admin": the same people
change it, anonymous users are sent to log in, everyone else gets 404.
"""
from django.core.files.base import ContentFile

from apps.forum.models import ForumSynthesis, PolicyRecommendation
from tests.test_permission_matrix import NETWORK_ADMIN

PAGE_SPECS = {
    "forum:list": [("get", "public", None)],
    "forum:new": [("post", "forum-admin", {"title_th": "สังเคราะห์ใหม่"})],
    "forum:stakeholders": [("get", "forum-admin", None),
                           ("post", "forum-admin", {"organisation": "0", "influence": "5"})],
    "forum:detail": [("get", "forum-read", None)],
    "forum:progress": [("get", "forum-read", None)],
    "forum:file": [("get", "forum-read", None)],
    "forum:rebuild": [("post", "forum-admin", {})],
    "forum:publish": [("post", "forum-admin", {"published": "1"})],
    "forum:recommendation-add": [("post", "forum-admin", {"text_th": "ข้อเสนอใหม่"})],
    "forum:recommendation-remove": [("post", "forum-admin", {})],
}

API_SPECS = {
    ("get", "/api/forum/syntheses"): ("list", "forum_synthesis"),
    ("get", "/api/forum/syntheses/{synthesis_id}"): ("forum-read", None),
}


def _admin(role, target):
    return target in NETWORK_ADMIN.get(role, set())


def expected(kind, role, target):
    if kind == "forum-read":
        return 200 if _admin(role, target) else 404
    if kind == "forum-admin":
        if role == "anonymous":
            return 302
        return "ok" if _admin(role, target) else 404
    return None


def api_expected(kind, role, target):
    if kind == "forum-read":
        return 200 if _admin(role, target) else 404
    return None


def listed_for(what, role, target):
    return _admin(role, target) if what == "forum_synthesis" else None


def prepare(world):
    for target, city in world.cities.items():
        synthesis = ForumSynthesis.objects.create(
            network=city.network, title_th=f"สังเคราะห์ {target}", status="done", progress=100)
        synthesis.pdf.save(f"m-{synthesis.pk}.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
        recommendation = PolicyRecommendation.objects.create(synthesis=synthesis, order=1,
                                                             text_th="บรรจุในแผนชาติ")
        world.objects[target].update(forum_synthesis=synthesis,
                                     forum_recommendation=recommendation)


def page_kwargs(name, world, target):
    if not name.startswith("forum:"):
        return None
    objects = world.objects[target]
    if name in ("forum:list", "forum:new", "forum:stakeholders"):
        return {"slug": world.cities[target].network.slug}
    base = {"pk": objects["forum_synthesis"].pk}
    if name == "forum:file":
        return {**base, "kind": "pdf"}
    if name == "forum:recommendation-remove":
        return {**base, "row": objects["forum_recommendation"].pk}
    return base


def api_path(path, world, target):
    if "{synthesis_id}" not in path:
        return None
    return path.replace("{synthesis_id}", str(world.objects[target]["forum_synthesis"].pk))


def listed(payload, what, world, target):
    if what != "forum_synthesis":
        return None
    pk = world.objects[target]["forum_synthesis"].pk
    return any(item["id"] == pk for item in payload["items"])


def fingerprint():
    return (
        list(ForumSynthesis.objects.order_by("pk").values_list("pk", "title_th", "status",
                                                               "published")),
        list(PolicyRecommendation.objects.order_by("pk").values_list("pk", "text_th")),
    )
