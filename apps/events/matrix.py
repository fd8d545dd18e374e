"""The events app in the central permission matrices (tests/test_permission_matrix.py and
tests/test_api_permission_matrix.py).

Each target city gets an unpublished event on its activity 2, running since an hour ago (so
check-in and "mark held" are possible), with two registrations, an agenda item, a file and an
invitation whose raw token the invitation page is opened with.
"""
import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from apps.events.models import (
    AgendaItem, Event, EventChange, Invitation, Material, Registration,
)
from apps.people.models import Person
from apps.progress.models import CityActivity

WHEN = {"starts_at_0": "01/01/2560", "starts_at_1": "09:00",
        "ends_at_0": "01/01/2560", "ends_at_1": "16:00"}

PAGE_SPECS = {
    "events:city-list": [("get", "public", None)],
    "events:network-list": [("get", "public", None)],
    "events:create": [("get", "city-edit", None),
                      ("post", "city-edit", {"title_th": "งานใหม่", "language": "th", **WHEN})],
    "events:network-create": [("get", "network-admin", None),
                              ("post", "network-admin",
                               {"title_th": "งานเครือข่าย", "language": "en", **WHEN})],
    "events:detail": [("get", "private-read", None)],
    "events:edit": [("get", "city-edit", None),
                    ("post", "city-edit", {"title_th": "แก้ชื่อ", "language": "th"})],
    "events:move": [("get", "city-edit", None),
                    ("post", "city-edit", {**WHEN, "place_th": "ห้องใหม่"})],
    "events:publish": [("post", "city-edit", {"published": "1"})],
    "events:agenda-add": [("post", "city-edit", {"day": "1", "time": "09:00",
                                                 "title_th": "เปิดงาน"})],
    "events:agenda-delete": [("post", "city-edit", {})],
    "events:material-add": [("post", "city-edit", {"kind": "file", "title": "สไลด์",
                                                   "url": "https://example.org/slides"})],
    "events:material": [("get", "private-read", None)],
    "events:invite": [("get", "city-edit", None), ("post", "city-edit", {})],
    "events:register": [("post", "city-edit", {})],
    "events:register-self": [("get", "login-private-read", None)],
    "events:check-in": [("get", "city-edit", None)],
    "events:check-in-person": [("post", "city-edit", {})],
    "events:sign-in-sheet": [("get", "login-private-read", None)],
    "events:cancel-registration": [("post", "city-edit", {})],
    "events:held": [("post", "city-edit", {"minutes": "ประชุมเรียบร้อย"})],
    "events:cancel": [("post", "city-edit", {"reason": "น้ำท่วม"})],
    # The link in an invitation works for whoever holds it, signed in or not.
    "events:invitation": [("get", "public", None), ("post", "public-redirect",
                                                     {"action": "decline"})],
}

API_SPECS = {
    ("get", "/api/events"): ("list", "event"),
    ("get", "/api/events/{event_id}"): ("private-read", None),
    ("post", "/api/events/{event_id}/registrations/{person_id}"): ("city-edit", None),
    ("get", "/api/registrations"): ("list", "registration"),
    ("post", "/api/registrations/{registration_id}/check-in"): ("city-edit", {}),
    ("post", "/api/registrations/{registration_id}/cancel"): ("city-edit", None),
}


def prepare(world):
    now = timezone.now()
    for target, city in world.cities.items():
        activity = CityActivity.objects.get(city=city, plan_activity__number=2)
        event = Event(city_activity=activity, title_th=f"งาน {target}", capacity=10,
                      starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(days=1))
        event.create(None)
        attendee = Person.objects.create(full_name_th=f"ผู้เข้าร่วม {target}", city=city)
        leaver = Person.objects.create(full_name_th=f"ผู้ยกเลิก {target}", city=city)
        guest = Person.objects.create(full_name_th=f"แขก {target}", city=city,
                                      email=f"guest-{target}@example.org")
        invitation = Invitation(event=event, person=guest)
        token = invitation.new_token()
        invitation.save()
        material = Material(event=event, kind=Material.Kind.FILE, title="agenda")
        material.file.save("agenda.pdf", ContentFile(b"%PDF-1.4"), save=False)
        material.save()
        world.objects[target].update(
            event=event,
            registration=event.register(attendee),
            registration_to_cancel=event.register(leaver),
            agenda=AgendaItem.objects.create(event=event, time=dt.time(9), title_th="เปิดงาน"),
            material=material,
            invitation_token=token,
        )


def page_kwargs(name, world, target):
    if not name.startswith("events:"):
        return None
    city, objects = world.cities[target], world.objects[target]
    event = {"pk": objects["event"].pk}
    return {
        "events:city-list": {"slug": city.slug},
        "events:network-list": {"slug": city.network.slug},
        "events:network-create": {"slug": city.network.slug},
        "events:create": {"slug": city.slug, "number": 2},
        "events:check-in-person": {**event, "registration": objects["registration"].pk},
        "events:cancel-registration": {"pk": objects["registration_to_cancel"].pk},
        "events:agenda-delete": {**event, "item": objects["agenda"].pk},
        "events:material": {**event, "item": objects["material"].pk},
        "events:invitation": {"token": objects["invitation_token"]},
    }.get(name, event)


def api_path(path, world, target):
    if not path.startswith(("/api/events", "/api/registrations")):
        return None
    objects = world.objects[target]
    registration = objects["registration_to_cancel" if path.endswith("/cancel")
                           else "registration"]
    return (path.replace("{event_id}", str(objects["event"].pk))
            .replace("{person_id}", str(objects["person"].pk))
            .replace("{registration_id}", str(registration.pk)))


def listed(payload, what, world, target):
    if what not in ("event", "registration"):
        return None
    items = payload["items"] if isinstance(payload, dict) else payload
    pk = world.objects[target][what].pk
    return any(item["id"] == pk for item in items)


def fingerprint():
    return (
        list(Event.objects.order_by("pk").values_list(
            "pk", "title_th", "status", "published", "starts_at", "place_th", "capacity")),
        list(Registration.objects.order_by("pk").values_list("pk", "status", "checked_in_at")),
        list(Invitation.objects.order_by("pk").values_list("pk", "status", "token_hash")),
        AgendaItem.objects.count(), Material.objects.count(), EventChange.objects.count(),
    )
