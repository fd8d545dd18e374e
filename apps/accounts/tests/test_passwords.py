"""Password rules: 12 characters at least, not common, not digits only, not the user name,
with our own messages (Thai by default, English on request)."""
import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.core.testing import PASSWORD


def errors(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return list(error.messages)
    return []


def test_rules_in_english(world):
    with translation.override("en"):
        assert errors("short-pw-1") == [
            "This password is too short: use at least 12 characters."]
        assert errors("123456789012345") == ["This password is only digits: add letters or words."]
        assert "This password is one of the most common ones: choose another." in errors(
            "password1234")
        assert errors("coordinator-2553", world.user("coordinator")) == [
            "This password is too close to your username."]
        assert errors(PASSWORD) == []
        assert errors("demo-pass-2553") == []  # the demo logins' password still passes


def test_changing_the_password_applies_the_rules(world, client):
    client.force_login(world.user("member"))
    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "short-pw-1", "new_password2": "short-pw-1"},
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    new = "monsoon-river-lantern-7"
    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": new, "new_password2": new + "x"},
        HTTP_ACCEPT_LANGUAGE="en")
    assert "The two new passwords are not the same." in response.content.decode()
    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    world.user("member").refresh_from_db()
    assert world.user("member").check_password(new)


@pytest.mark.parametrize("page", ["/accounts/password/"])
def test_the_rules_are_explained_on_the_form(world, client, page):
    client.force_login(world.user("member"))
    text = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Use at least 12 characters" in text
