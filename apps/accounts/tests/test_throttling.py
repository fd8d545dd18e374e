"""Repeated failed sign-ins lock the account (from anywhere) and the address (whatever account),
with a message saying when to try again; counts live in the database, not in a process."""
import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.models import LoginThrottle
from apps.core.testing import PASSWORD

LOGIN = "/accounts/login/"


def attempt(client, username, password="wrong-password-123"):
    return client.post(LOGIN, {"username": username, "password": password})


def from_address(address):
    # English pages: the assertions below read the English messages.
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def limits(settings):
    settings.LOGIN_FAILURE_LIMIT_ACCOUNT = 3
    settings.LOGIN_FAILURE_LIMIT_ADDRESS = 5
    settings.LOGIN_LOCKOUT_MINUTES = 15
    return settings


def test_the_account_locks_after_its_limit_even_from_other_addresses(world, limits):
    for n in range(2):
        response = attempt(from_address(f"10.0.0.{n}"), "coordinator")
        assert response.status_code == 200
        assert "do not match" in response.content.decode()
    response = attempt(from_address("10.0.0.3"), "Coordinator")  # case does not escape the count
    assert response.status_code == 429
    assert "Try again after" in response.content.decode()
    # Locked: even the right password is refused, from a fresh address.
    response = attempt(from_address("10.0.0.9"), "coordinator", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in response.client.session
    # Other accounts are not affected.
    assert attempt(from_address("10.0.0.9"), "member", PASSWORD).status_code == 302


def test_the_address_locks_whatever_account_it_tries(world, limits):
    client = from_address("192.0.2.7")
    names = ["a1", "a2", "a3", "a4"]
    for name in names:
        assert attempt(client, name).status_code == 200
    response = attempt(client, "a5")
    assert response.status_code == 429
    text = response.content.decode()
    until = LoginThrottle.objects.get(kind="address", key="192.0.2.7").locked_until
    assert timezone.localtime(until).strftime("%H:%M") in text
    assert "(in about 15 minutes)" in text
    # A real account's right password is refused from that address, accepted from another.
    assert attempt(client, "member", PASSWORD).status_code == 429
    assert attempt(from_address("192.0.2.8"), "member", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_window(world, limits):
    client = from_address("198.51.100.1")
    for _ in range(3):
        attempt(client, "coordinator")
    assert attempt(client, "coordinator", PASSWORD).status_code == 429
    LoginThrottle.objects.update(locked_until=timezone.now() - dt.timedelta(seconds=1),
                                 window_start=timezone.now() - dt.timedelta(minutes=16))
    assert attempt(client, "coordinator", PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_account_count_but_not_the_address(world, limits):
    client = from_address("203.0.113.5")
    attempt(client, "coordinator")
    attempt(client, "coordinator")
    assert attempt(client, "coordinator", PASSWORD).status_code == 302
    assert not LoginThrottle.objects.filter(kind="account").exists()
    assert LoginThrottle.objects.get(kind="address").failures == 2
    client.logout()
    # Two more failures do not lock the account (its count restarted) ...
    attempt(client, "coordinator")
    attempt(client, "coordinator")
    assert LoginThrottle.objects.get(kind="account").locked_until is None
    # ... but the address has now failed 4 times: one more and it is locked.
    assert attempt(client, "someone-else").status_code == 429


def test_the_message_is_thai_by_default(world, limits):
    client = from_address("10.1.1.1")
    for _ in range(3):
        response = attempt(client, "coordinator")
    assert response.status_code == 429
    assert 'lang="th"' in response.content.decode()


def test_the_admin_sign_in_goes_through_the_throttled_page(world, client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_default_limits_are_sane():
    from django.conf import settings

    assert 3 <= settings.LOGIN_FAILURE_LIMIT_ACCOUNT <= 10
    assert settings.LOGIN_FAILURE_LIMIT_ADDRESS >= settings.LOGIN_FAILURE_LIMIT_ACCOUNT
    assert 5 <= settings.LOGIN_LOCKOUT_MINUTES <= 60
