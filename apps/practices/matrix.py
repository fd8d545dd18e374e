"""The practices app's pages and endpoints in the central permission matrices (tests/).

prepare() gives each target city a submitted (unpublished) practice with one photo and one
file: the city's readers and the network's national coordinator see it, others get 404 as for
a missing one. Publishing is the national coordinator's ("network-admin-record"): readers who may
not publish get 403. The specs run in order within a role, so publish/unpublish come before
submit/back-to-draft, and the photo and file are fetched before they are removed.
"""
from django.core.files.base import ContentFile

from apps.practices.models import Practice, PracticeChange, PracticeFile, PracticePhoto

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")

PAGE_SPECS = {
    "practices:library": [("get", "public", None)],
    "practices:library-pdf": [("get", "public", None)],
    "practices:library-docx": [("get", "public", None)],
    "practices:new": [("get", "city-edit-public", None),
                      ("post", "city-edit-public", {"title_th": "แนวปฏิบัติใหม่"})],
    "practices:detail": [("get", "private-read", None)],
    "practices:pdf": [("get", "private-read", None)],
    "practices:docx": [("get", "private-read", None)],
    "practices:photo": [("get", "private-read", None)],
    "practices:file": [("get", "private-read", None)],
    "practices:edit": [("get", "city-edit", None),
                       ("post", "city-edit", {"title_th": "แก้ไขชื่อ", "hazards": ["flood"]})],
    "practices:publish": [("post", "network-admin-record", {})],
    "practices:unpublish": [("post", "network-admin-record", {})],
    "practices:submit": [("post", "city-edit", {})],
    "practices:to-draft": [("post", "city-edit", {})],
    "practices:photo-add": [("post", "city-edit", {"caption": "ไม่มีรูป"})],
    "practices:file-add": [("post", "city-edit", {"title": "ไม่มีไฟล์"})],
    "practices:photo-remove": [("post", "city-edit", {})],
    "practices:file-remove": [("post", "city-edit", {})],
}

API_SPECS = {
    ("get", "/api/practices"): ("list", "practice"),
    ("get", "/api/practices/{practice_id}"): ("private-read", None),
}


def prepare(world):
    for target, city in world.cities.items():
        practice = Practice.objects.create(
            city=city, title_th=f"แนวปฏิบัติ {target}", status=Practice.Status.SUBMITTED,
            hazards=["flood"], sectors=["drainage"])
        photo = PracticePhoto(practice=practice, content_type="image/png")
        photo.image.save("p.png", ContentFile(PNG), save=False)
        photo.save()
        item = PracticeFile(practice=practice, title="รายงาน", file_type="pdf", size=len(PDF))
        item.file.save("report.pdf", ContentFile(PDF), save=False)
        item.save()
        world.objects[target].update(practices_practice=practice, practices_photo=photo,
                                     practices_file=item)


def page_kwargs(name, world, target):
    if not name.startswith("practices:"):
        return None
    if name in ("practices:library", "practices:library-pdf", "practices:library-docx"):
        return {}
    if name == "practices:new":
        return {"slug": world.cities[target].slug}
    objects = world.objects[target]
    pk = objects["practices_practice"].pk
    extra = {
        "practices:photo": {"photo": objects["practices_photo"].pk},
        "practices:photo-remove": {"photo": objects["practices_photo"].pk},
        "practices:file": {"item": objects["practices_file"].pk},
        "practices:file-remove": {"item": objects["practices_file"].pk},
    }.get(name, {})
    return {"pk": pk, **extra}


def api_path(path, world, target):
    if "{practice_id}" not in path:
        return None
    return path.replace("{practice_id}", str(world.objects[target]["practices_practice"].pk))


def listed(payload, what, world, target):
    if what != "practice":
        return None
    pk = world.objects[target]["practices_practice"].pk
    return any(item["id"] == pk for item in payload["items"])


def fingerprint():
    return (
        list(Practice.objects.order_by("pk").values_list("pk", "status", "title_th",
                                                         "published_at", "hazards")),
        PracticeChange.objects.count(),
        list(PracticePhoto.objects.order_by("pk").values_list("pk", "caption")),
        list(PracticeFile.objects.order_by("pk").values_list("pk", "title")),
    )
