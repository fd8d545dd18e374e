"""Every API endpoint x every role x own / sibling / foreign city, reads and writes.

Endpoints are discovered from the OpenAPI schema: one missing from SPECS fails
`test_every_endpoint_is_in_the_matrix`. Lists are checked by content (the target city's
unpublished row is listed exactly for those who may read it); refused writes must leave the
database unchanged. Expectations come from the tables in test_permission_matrix.
"""
import pytest

from apps.accounts.models import ApiToken
from apps.people.models import Organisation, Person
from apps.progress.models import CityActivity
from tests.test_permission_matrix import (  # noqa: F401 (matrix_world is a fixture)
    ASSESS, EDIT, READ, ROLES, TARGETS, app_matrices, fingerprint, matrix_world,
)
from workbench.api import api

# (method, path) -> (kind, body). Kinds: "public" read; "private-read" detail of an
# unpublished record; "list" a list whose rows are scoped; "city-edit" a write on a city's
# record (404 to those who may not read it); "public-parent-edit" a write on, or under, a
# city itself, which is public (403 to those who may not edit it).
SPECS = {
    ("get", "/api/me"): ("public", None),
    ("get", "/api/networks"): ("public", None),
    ("get", "/api/networks/{slug}"): ("public", None),
    ("get", "/api/cities"): ("public", None),
    ("get", "/api/cities/{slug}"): ("public", None),
    ("patch", "/api/cities/{slug}"): ("public-parent-edit", {"population": 123456}),
    ("get", "/api/plans"): ("public", None),
    ("get", "/api/plans/{plan_id}"): ("public", None),
    ("get", "/api/city-activities"): ("list", "activity"),
    ("get", "/api/city-activities/{activity_id}"): ("private-read", None),
    ("patch", "/api/city-activities/{activity_id}"): ("city-edit", {"action": "start"}),
    ("post", "/api/city-activities/{activity_id}/evidence"): (
        "city-edit", {"kind": "note", "title": "t", "text": "x"}),
    ("get", "/api/organisations"): ("list", "organisation"),
    ("post", "/api/organisations"): ("public-parent-edit", {"name_th": "องค์กรใหม่", "kind": "ngo"}),
    ("get", "/api/people"): ("list", "person"),
    ("post", "/api/people"): ("public-parent-edit", {"full_name_th": "คนใหม่", "gender": "female"}),
    ("patch", "/api/people/{person_id}"): ("city-edit", {"position": "ผู้อำนวยการ"}),
    ("get", "/api/working-groups"): ("list", "group"),
    ("get", "/api/working-groups/{slug}"): ("private-read", None),
    ("post", "/api/working-groups/{slug}/members"): ("city-edit", {"start": "2010-01-01"}),
    ("post", "/api/memberships/{membership_id}/end"): ("city-edit", {"on": "2017-01-01"}),
}


for _module in app_matrices():
    SPECS.update(getattr(_module, "API_SPECS", {}))


def endpoints():
    schema = api.get_openapi_schema()
    return {(method, path) for path, methods in schema["paths"].items() for method in methods}


def test_every_endpoint_is_in_the_matrix():
    assert endpoints() - set(SPECS) == set(), "API endpoints missing from the matrix"
    assert set(SPECS) - endpoints() == set(), "matrix entries for endpoints that are gone"


def fill(path, world, target):
    for module in app_matrices():
        found = getattr(module, "api_path", lambda *a: None)(path, world, target)
        if found is not None:
            return found
    city = world.cities[target]
    objects = world.objects[target]
    activity = CityActivity.objects.get(city=city, plan_activity__number=1)
    slug = city.network.slug if path.startswith("/api/networks/") else city.slug
    return (path.replace("{slug}", slug).replace("{plan_id}", str(world.plan.pk))
            .replace("{activity_id}", str(activity.pk))
            .replace("{person_id}", str(objects["person"].pk))
            .replace("{membership_id}", str(objects["membership"].pk)))


def listed(payload, what, world, target):
    for module in app_matrices():
        found = getattr(module, "listed", lambda *a: None)(payload, what, world, target)
        if found is not None:
            return found
    city = world.cities[target]
    items = payload["items"] if isinstance(payload, dict) else payload
    if what == "activity":
        pk = CityActivity.objects.get(city=city, plan_activity__number=1).pk
        return any(item["id"] == pk for item in items)
    if what == "person":
        return any(item["id"] == world.objects[target]["person"].pk for item in items)
    if what == "organisation":
        pk = world.objects[target]["organisation"].pk
        return any(item["id"] == pk for item in items)
    if what == "group":
        return any(item["city"] == city.slug for item in items)
    raise AssertionError(what)


def want_for(kind, role, target):
    for module in app_matrices():  # apps with access kinds of their own declare them
        found = getattr(module, "api_expected", lambda *a: None)(kind, role, target)
        if found is not None:
            return found
    readable = target in READ.get(role, set())
    editable = target in EDIT.get(role, set())
    if kind == "public":
        return 200
    if kind == "private-read":
        return 200 if readable else 404
    if role == "anonymous":
        return 401
    if kind == "city-edit":
        return "ok" if editable else (403 if readable else 404)
    if kind == "city-assess":
        return "ok" if target in ASSESS.get(role, set()) else (403 if readable else 404)
    if kind == "public-parent-edit":
        return "ok" if editable else 403
    raise AssertionError(kind)


@pytest.fixture
def api_world(matrix_world):
    matrix_world.plan.publish()  # drafts are the owner's business; published plans are public
    for target, city in matrix_world.cities.items():
        matrix_world.objects[target]["organisation"] = Organisation.objects.create(
            name_th=f"องค์กร {target}", kind="ngo", city=city)
        matrix_world.objects[target]["candidate"] = Person.objects.create(
            full_name_th=f"ผู้สมัคร {target}", city=city)
    return matrix_world


@pytest.mark.parametrize("role", ROLES)
def test_api_matrix(client, api_world, role):
    world = api_world
    from django.contrib.auth import get_user_model

    headers = {}
    if role != "anonymous":
        user = get_user_model().objects.get(username=role)
        _token, key = ApiToken.issue(user, "matrix")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client.get("/api/me", **headers)  # the token's first use is recorded once
    failures = []
    for (method, path), (kind, body) in SPECS.items():
        for target in TARGETS:
            url = fill(path, world, target)
            data = dict(body or {}) if kind != "list" else None
            if path == "/api/organisations" or path == "/api/people":
                if method == "post":
                    data["city"] = world.cities[target].slug
            if path.endswith("/members"):
                data["person"] = world.objects[target]["candidate"].pk
            before = fingerprint()
            if method == "get":
                response = client.get(url, **headers)
            else:
                response = getattr(client, method)(url, data, content_type="application/json",
                                                   **headers)
            got = response.status_code
            if kind == "list":
                readable = target in READ.get(role, set())
                for module in app_matrices():  # lists with a visibility rule of their own
                    rule = getattr(module, "listed_for", lambda *a: None)(body, role, target)
                    readable = readable if rule is None else rule
                if got != 200:
                    failures.append(f"GET {url} as {role}: {got}")
                elif listed(response.json(), body, world, target) is not readable:
                    failures.append(f"GET {url} as {role}: {target}'s unpublished {body} "
                                    f"{'missing' if readable else 'leaked'}")
                continue
            want = want_for(kind, role, target)
            ok = 200 <= got < 300 if want == "ok" else got == want
            if not ok:
                failures.append(f"{method.upper()} {url} as {role} on {target}: got {got}, want {want}")
            if want != "ok" and method != "get" and fingerprint() != before:
                failures.append(f"{method.upper()} {url} as {role}: refused but changed data")
    assert not failures, "\n".join(failures)
