"""The API's plumbing: OpenAPI, who is calling (token, session, anonymous), error languages."""
import pytest
from django.test import Client

from apps.accounts.models import ApiToken


PATHS = [
    "/api/me", "/api/networks", "/api/networks/{slug}", "/api/cities", "/api/cities/{slug}",
    "/api/plans", "/api/plans/{plan_id}", "/api/city-activities",
    "/api/city-activities/{activity_id}", "/api/city-activities/{activity_id}/evidence",
    "/api/organisations", "/api/people", "/api/people/{person_id}", "/api/working-groups",
    "/api/working-groups/{slug}", "/api/working-groups/{slug}/members",
    "/api/memberships/{membership_id}/end",
]


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_openapi_schema_lists_every_path(client, db):
    schema = client.get("/api/openapi.json").json()
    assert (schema["info"]["title"], schema["info"]["version"]) == ("Resilience Workbench API", "1")
    assert set(PATHS) <= set(schema["paths"])
    assert {"BearerToken", "Session"} <= set(schema["components"]["securitySchemes"])


def test_interactive_docs_load(client, db):
    assert client.get("/api/docs").status_code == 200


def test_anonymous_caller(client, db):
    assert client.get("/api/me").json() == {"authenticated": False, "username": None, "roles": []}


def test_token_authenticates(client, world):
    token, key = ApiToken.issue(world.user("coordinator"), "laptop")
    body = client.get("/api/me", **bearer(key)).json()
    assert body["username"] == "coordinator"
    # Thai is the default language; English on request.
    assert body["roles"] == [{"role": "city_coordinator", "label": "ผู้ประสานงานระดับเมือง",
                              "network": None, "city": "a1"}]
    english = client.get("/api/me", HTTP_ACCEPT_LANGUAGE="en", **bearer(key)).json()
    assert english["roles"][0]["label"] == "City coordinator"
    token.refresh_from_db()
    assert token.last_used is not None


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer ", "Basic Zm9vOmJhcg=="])
def test_bad_credentials_are_401_not_anonymous(client, world, header):
    response = client.get("/api/city-activities", HTTP_AUTHORIZATION=header,
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid API token."}


def test_token_of_inactive_user_is_refused(client, world):
    user = world.user("coordinator")
    _, key = ApiToken.issue(user, "old")
    user.is_active = False
    user.save()
    assert client.get("/api/me", **bearer(key)).status_code == 401


def test_token_writes_need_no_csrf(world):
    _, key = ApiToken.issue(world.user("coordinator"), "script")
    client = Client(enforce_csrf_checks=True)
    response = client.patch("/api/cities/a1", {"population": 5}, content_type="application/json",
                            **bearer(key))
    assert response.status_code == 200


def test_session_writes_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("coordinator"))
    assert client.get("/api/me").json()["username"] == "coordinator"  # reads need no token
    response = client.patch("/api/cities/a1", {"population": 5}, content_type="application/json")
    assert response.status_code == 403


def test_anonymous_writes_are_401(client, world):
    response = client.patch("/api/cities/a1", {"population": 5}, content_type="application/json",
                            HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json() == {"detail": "Log in or send an API token to make changes."}


def test_schema_errors_say_where_in_the_callers_language(client, world):
    client.force_login(world.user("coordinator"))
    response = client.patch("/api/cities/a1", {"population": "many"},
                            content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "Some fields are invalid."
    assert body["detail"][0]["loc"] == ["body", "population"]


def test_business_rule_errors_come_back_in_thai_or_english(client, world):
    # Django's own validator message is already translated to Thai; ours will follow in locale/th.
    client.force_login(world.user("coordinator"))

    def error(lang):
        response = client.patch("/api/cities/a1", {"latitude": 95},
                                content_type="application/json", HTTP_ACCEPT_LANGUAGE=lang)
        assert response.status_code == 422
        return response.json()

    thai, english = error("th"), error("en")
    assert thai["detail"] == [
        {"loc": ["body", "latitude"], "msg": "ค่านี้ต้องน้อยกว่าหรือเท่ากับ 90"}
    ]
    assert english["detail"] == [
        {"loc": ["body", "latitude"], "msg": "Ensure this value is less than or equal to 90."}
    ]
    assert english["message"] == "Ensure this value is less than or equal to 90."
