"""Every page x every role x own / sibling / foreign city, for reading and writing.

The URL patterns are discovered from the URL configuration: a page missing from SPECS fails
`test_every_page_is_in_the_matrix`, so a new page cannot escape the matrix. Expectations come
from the tables below, written independently of apps.accounts.scope, and every refused write
is checked to have changed nothing in the database.
"""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

from apps.accounts.models import ApiToken
from apps.core.testing import PASSWORD, make_world
from apps.networks.models import City
from apps.people.models import Membership, Organisation, Person
from apps.progress.models import ActivityChange, CityActivity, Evidence

ROLES = ["anonymous", "national", "coordinator", "member", "expert", "proponent", "funder",
         "outsider", "stranger", "admin"]
TARGETS = ["own", "sibling", "foreign"]  # city A1, A2 (same network), B1 (other network)

READ = {  # who may read a city's unpublished records
    "national": {"own", "sibling"}, "coordinator": {"own"}, "member": {"own"}, "expert": {"own"},
    "outsider": {"sibling"}, "stranger": {"foreign"}, "admin": set(TARGETS),
}
EDIT = {
    "national": {"own", "sibling"}, "coordinator": {"own"}, "outsider": {"sibling"},
    "stranger": {"foreign"}, "admin": set(TARGETS),
}
ASSESS = {**EDIT, "expert": {"own"}}  # assessment work: the city's experts too
NETWORK_ADMIN = EDIT.copy()
NETWORK_ADMIN.pop("coordinator")
NETWORK_ADMIN.pop("outsider")


def expected(kind, role, target):
    """The status code a role should get for a URL of this kind on this target."""
    for module in app_matrices():  # apps with access kinds of their own declare them
        found = getattr(module, "expected", lambda *a: None)(kind, role, target)
        if found is not None:
            return found
    readable = target in READ.get(role, set())
    editable = target in EDIT.get(role, set())
    if kind == "public":
        return 200
    if kind == "private-read":  # public page showing a city's unpublished record
        return 200 if readable else 404
    if role == "anonymous":
        return 302  # to the login page
    if kind == "login":
        return 200
    if kind == "login-private-read":
        return 200 if readable else 404
    if kind == "city-edit":
        return "ok" if editable else (403 if readable else 404)
    if kind == "city-assess":
        assessable = target in ASSESS.get(role, set())
        return "ok" if assessable else (403 if readable else 404)
    if kind == "city-edit-public":  # editing the city itself, which everyone may see
        return "ok" if editable else 403
    if kind == "network-admin":
        return "ok" if target in NETWORK_ADMIN.get(role, set()) else 403
    if kind == "network-admin-record":  # the coordinator's step on a city's unpublished record
        return "ok" if target in NETWORK_ADMIN.get(role, set()) else (403 if readable else 404)
    if kind == "plan-admin":  # the plan belongs to network A
        return "ok" if role in ("national", "admin") else 403
    if kind == "superuser":
        return 200 if role == "admin" else 302
    raise AssertionError(kind)


# url name -> [(method, kind, data)]; kwargs come from KWARGS below.
SPECS = {
    "home": [("get", "public", None)],
    "healthz": [("get", "public", None)],
    "networks:dashboard": [("get", "public", None)],
    "networks:city": [("get", "public", None)],
    "networks:city-edit": [("get", "city-edit-public", None),
                           ("post", "city-edit-public", {"name_th": "แก้", "name_en": "x"})],
    "networks:adopt": [("get", "network-admin", None), ("post", "network-admin", {})],
    "progress:activity": [("get", "private-read", None)],
    "progress:status": [("post", "city-edit", {"action": "start"})],
    "progress:schedule": [("post", "city-edit", {"planned_start": "01/01/2553"})],
    "progress:publish": [("post", "city-edit", {"published": "1"})],
    "progress:performers": [("post", "city-edit", {"organisations": []})],
    "progress:evidence": [("post", "city-edit", {"kind": "note", "title": "t", "text": "x"})],
    "progress:evidence-file": [("get", "private-read", None)],
    "people:group": [("get", "private-read", None)],
    "people:add-member": [("post", "city-edit", {"role": "member", "start": "01/01/2553"})],
    "people:end-membership": [("post", "city-edit", {"end": "01/01/2560"})],
    "people:people": [("get", "login-private-read", None),
                      ("post", "city-edit", {"full_name_th": "ใหม่", "gender": "female"})],
    "people:person-edit": [("get", "city-edit", None),
                           ("post", "city-edit", {"full_name_th": "แก้", "gender": "male"})],
    "people:organisations": [("get", "login", None)],
    # The person themself may also read their data; the world's people have no account.
    "people:person-data": [("get", "city-edit", None)],
    "people:person-export": [("get", "city-edit", None)],
    # Without the confirmation the form only re-renders: the matrix erases no one.
    "people:person-erase": [("get", "city-edit", None), ("post", "city-edit", {})],
    "plans:detail": [("get", "public", None)],
    "plans:new-version": [("post", "plan-admin", {})],
    "plans:publish": [("post", "plan-admin", {})],
    "plans:activity-edit": [("get", "plan-admin", None)],
    "accounts:login": [("get", "public", None)],
    "accounts:logout": [("post", "public-redirect", {})],
    "accounts:tokens": [("get", "login", None)],
    "accounts:revoke-token": [("post", "own-token", {})],
    "accounts:login-code": [("get", "public-redirect", None)],  # to the login page unless a sign-in waits
    "accounts:security": [("get", "login", None)],
    "accounts:two-factor-setup": [("get", "login", None)],
    "accounts:password-change": [("get", "login", None)],
    "accounts:password-reset": [("get", "public", None)],
    "accounts:password-reset-done": [("get", "public", None)],
    "accounts:password-reset-confirm": [("get", "public", None)],  # an invalid link: 200
    "accounts:password-reset-complete": [("get", "public", None)],
    "set_language": [("post", "public-redirect", {"language": "en"})],
    "admin": [("get", "superuser", None)],
}


def app_matrices():
    """Apps added later declare their pages in `apps/<app>/matrix.py`: PAGE_SPECS (like SPECS),
    page_kwargs(name, world, target), prepare(world), which adds the app's records for each
    target city to world.objects[target], and fingerprint(), a summary of the app's rows. API_SPECS, api_path() and listed() do the same for
    the API matrix."""
    import importlib
    from importlib.util import find_spec

    from django.apps import apps

    modules = []
    for config in apps.get_app_configs():
        if config.name.startswith("apps.") and find_spec(f"{config.name}.matrix"):
            modules.append(importlib.import_module(f"{config.name}.matrix"))
    return modules


for _module in app_matrices():
    SPECS.update(getattr(_module, "PAGE_SPECS", {}))


@pytest.fixture
def matrix_world(db, monkeypatch):
    # The matrix checks who may fetch a PDF, not how it is printed (the apps' own tests print
    # real ones): printing through Chromium would take seconds per request, hundreds of times.
    monkeypatch.setattr("apps.events.pdf.html_to_pdf", lambda html: b"%PDF-1.4 matrix")
    world = make_world()
    User = get_user_model()
    User.objects.create_superuser("admin", "admin@example.org", PASSWORD)
    world.plan.owner = world.network
    world.plan.status = "draft"  # editable, so plan-admin pages answer 200 when allowed
    world.plan.save()
    world.cities = {"own": world.city, "sibling": world.other_city, "foreign": world.far_city}
    world.objects = {}
    for target, city in world.cities.items():
        person = Person.objects.create(full_name_th=f"คน {target}", city=city,
                                       email=f"{target}@example.org")
        membership = Membership.objects.create(group=city.working_group, person=person,
                                               start=dt.date(2009, 12, 1))
        activity = CityActivity.objects.get(city=city, plan_activity__number=1)
        evidence = Evidence(city_activity=activity, kind="file", title="f")
        evidence.file.save("minutes.pdf", ContentFile(b"%PDF-1.4"), save=False)
        evidence.record(world.user("national") if target != "foreign" else world.user("stranger"))
        world.objects[target] = {"person": person, "membership": membership, "evidence": evidence}
    for module in app_matrices():
        if hasattr(module, "prepare"):
            module.prepare(world)
    return world


def kwargs_for(name, world, target):
    for module in app_matrices():
        found = getattr(module, "page_kwargs", lambda *a: None)(name, world, target)
        if found is not None:
            return found
    city = world.cities[target]
    objects = world.objects[target]
    network = city.network
    return {
        "networks:dashboard": {"slug": network.slug},
        "networks:adopt": {"slug": network.slug},
        "networks:city": {"slug": city.slug},
        "networks:city-edit": {"slug": city.slug},
        "progress:activity": {"slug": city.slug, "number": 1},
        "progress:status": {"slug": city.slug, "number": 1},
        "progress:schedule": {"slug": city.slug, "number": 1},
        "progress:publish": {"slug": city.slug, "number": 1},
        "progress:performers": {"slug": city.slug, "number": 1},
        "progress:evidence": {"slug": city.slug, "number": 1},
        "progress:evidence-file": {"slug": city.slug, "number": 1,
                                   "pk": objects["evidence"].pk},
        "people:group": {"slug": city.slug},
        "people:add-member": {"slug": city.slug},
        "people:end-membership": {"pk": objects["membership"].pk},
        "people:people": {"slug": city.slug},
        "people:person-edit": {"pk": objects["person"].pk},
        "people:person-data": {"pk": objects["person"].pk},
        "people:person-export": {"pk": objects["person"].pk},
        "people:person-erase": {"pk": objects["person"].pk},
        "plans:detail": {"pk": world.plan.pk},
        "plans:new-version": {"pk": world.plan.pk},
        "plans:publish": {"pk": world.plan.pk},
        "plans:activity-edit": {"pk": world.plan.pk, "number": 1},
        "accounts:password-reset-confirm": {"uidb64": "MQ", "token": "invalid-token"},
    }.get(name, {})


def discover(resolver=None, prefix=""):
    """(url name, pattern, view) for every named page, the admin counted once as 'admin'."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            if namespace == "admin":
                yield "admin", entry, None
                continue
            if namespace == "api":
                continue  # the API has its own matrix, discovered from the OpenAPI schema
            inner = f"{prefix}{namespace}:" if namespace else prefix
            yield from discover(entry, inner)
        elif isinstance(entry, URLPattern):
            yield f"{prefix}{entry.name}", entry, entry.callback


def fingerprint():
    """Enough of the database to notice any write."""
    return (
        list(CityActivity.objects.order_by("pk").values_list("pk", "status", "planned_start",
                                                              "published")),
        ActivityChange.objects.count(), Evidence.objects.count(),
        list(Membership.objects.order_by("pk").values_list("pk", "end")),
        list(Person.objects.order_by("pk").values_list("pk", "full_name_th", "position")),
        list(City.objects.order_by("pk").values_list("pk", "name_th", "population", "boundary")),
        Organisation.objects.count(), world_plans(), ApiToken.objects.count(),
        # Each app's own records (matrix.fingerprint()), so their refused writes are caught too.
        [module.fingerprint() for module in app_matrices() if hasattr(module, "fingerprint")],
    )


def world_plans():
    from apps.plans.models import PlanTemplate

    return list(PlanTemplate.objects.order_by("pk").values_list("pk", "status"))


def test_every_page_is_in_the_matrix():
    names = {name for name, _pattern, _view in discover()}
    assert names - set(SPECS) == set(), "pages missing from the permission matrix"
    assert set(SPECS) - names == set(), "matrix entries for pages that no longer exist"


def test_every_page_declares_its_access():
    for name, _pattern, view in discover():
        if name in ("admin", "set_language"):
            continue  # Django's own views, checked by behaviour below
        assert getattr(view, "access", None), f"{name} has no @access(...) declaration"


CASES = [(name, method, kind, data, role, target)
         for name, specs in SPECS.items() for method, kind, data in specs
         for role in ROLES for target in TARGETS]


def url_of(name, world, target):
    from django.urls import reverse

    if name == "admin":
        return "/admin/"
    return reverse(name, kwargs=kwargs_for(name, world, target))


@pytest.mark.parametrize("role", ROLES)
def test_matrix(client, matrix_world, role):
    world = matrix_world
    failures = []
    for name, specs in SPECS.items():
        for method, kind, data in specs:
            for target in TARGETS:
                client.logout()
                if role != "anonymous":
                    assert client.login(username=role, password=PASSWORD)
                if kind == "own-token":
                    owner = world.user(role) if role not in ("anonymous", "admin") else None
                    token, _raw = ApiToken.issue(owner or world.user("national"), "t")
                    url = f"/accounts/tokens/{token.pk}/revoke/"
                    want = 302 if owner else (302 if role == "anonymous" else 404)
                else:
                    url = url_of(name, world, target)
                    want = 302 if kind == "public-redirect" else expected(kind, role, target)
                    if kind == "public" and name == "home":
                        want = 200
                before = fingerprint()
                data = dict(data or {})
                if name == "people:add-member":
                    data["person"] = world.objects[target]["person"].pk
                response = getattr(client, method)(url, data) if method == "post" else client.get(url)
                got = response.status_code
                ok = got in (200, 302) if want == "ok" else got == want
                if want != "ok" and method == "post" and kind not in ("public-redirect", "own-token"):
                    if fingerprint() != before:
                        failures.append(f"{method.upper()} {url} as {role}: refused ({got}) but changed data")
                if not ok:
                    failures.append(f"{method.upper()} {url} as {role} on {target}: got {got}, want {want}")
                if kind in ("public", "login", "superuser", "plan-admin", "public-redirect",
                            "own-token") and name not in ("networks:dashboard", "networks:city"):
                    break  # not city-specific: one target is enough
    assert not failures, "\n".join(failures)
