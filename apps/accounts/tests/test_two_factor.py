"""Optional two-step sign-in: enrolment with a QR code and a key, then password + code."""
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts import twofactor
from apps.accounts.models import LoginThrottle
from apps.core.testing import PASSWORD


def code_for(device, offset=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


@pytest.fixture
def enrolled(world):
    """The coordinator with two-step sign-in on, and their recovery codes."""
    device = twofactor.pending_device(world.user("coordinator"))
    codes = twofactor.confirm(device, code_for(device))
    device.refresh_from_db()
    device.last_t = -1  # the enrolment code is spent; tests sign in with fresh ones
    device.save()
    return device, codes


def password_step(client, username="coordinator", next_url=""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


def test_enrolment_shows_a_qr_code_and_key_and_needs_a_code(world, client):
    user = world.user("coordinator")
    client.force_login(user)
    page = client.get("/accounts/security/two-step/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "<svg" in text and "<script" not in text and " onload=" not in text
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert twofactor.manual_key(device) in text
    # Reloading keeps the same key (the user may have scanned it already).
    client.get("/accounts/security/two-step/")
    assert TOTPDevice.objects.filter(user=user).count() == 1

    response = client.post("/accounts/security/two-step/", {"code": "000000"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert "does not match" in response.content.decode()
    assert not twofactor.has_two_factor(user)

    device.throttle_reset()  # the failure above slows the next try by a second
    response = client.post("/accounts/security/two-step/", {"code": code_for(device)},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert twofactor.has_two_factor(user)
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in response.content.decode() for code in codes)


def test_without_enrolment_the_password_is_enough(world, client):
    response = password_step(client, "member")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" in client.session


def test_enrolled_users_need_a_valid_code(world, client, enrolled):
    device, _codes = enrolled
    response = password_step(client, next_url="/accounts/tokens/")
    assert response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session  # not signed in on the password alone
    assert client.get("/accounts/tokens/").status_code == 302

    response = client.post("/accounts/login/code/", {"code": "123456"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "not right or was already used" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginThrottle.objects.get(kind="account", key="coordinator").failures == 1

    device.refresh_from_db()
    device.throttle_reset()
    response = client.post("/accounts/login/code/", {"code": code_for(device)})
    assert response["Location"] == "/accounts/tokens/"  # where the sign-in was headed
    assert client.session["_auth_user_id"] == str(world.user("coordinator").pk)
    assert not LoginThrottle.objects.filter(kind="account").exists()


def test_a_code_cannot_be_replayed(world, client, enrolled):
    device, _codes = enrolled
    code = code_for(device)
    password_step(client)
    assert client.post("/accounts/login/code/", {"code": code}).status_code == 302
    client.logout()
    password_step(client)
    response = client.post("/accounts/login/code/", {"code": code}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "not right or was already used" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_works_once(world, client, enrolled):
    _device, codes = enrolled
    password_step(client)
    response = client.post("/accounts/login/code/", {"code": codes[0]}, follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")
    assert "recovery code; 9 left" in response.content.decode()
    client.logout()
    password_step(client)
    response = client.post("/accounts/login/code/", {"code": codes[0]})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_wrong_codes_lock_the_account_like_wrong_passwords(world, client, enrolled, settings):
    settings.LOGIN_FAILURE_LIMIT_ACCOUNT = 2
    device, _codes = enrolled
    password_step(client)
    client.post("/accounts/login/code/", {"code": "111111"})
    response = client.post("/accounts/login/code/", {"code": "222222"})
    assert response["Location"] == "/accounts/login/"  # the started sign-in is dropped
    device.refresh_from_db()
    device.throttle_reset()
    response = password_step(client)
    assert response.status_code == 429


def test_the_code_step_expires(world, client, enrolled, settings):
    device, _codes = enrolled
    password_step(client)
    session = client.session
    session["pending_login"]["at"] -= settings.LOGIN_CODE_MINUTES * 60 + 1
    session.save()
    response = client.post("/accounts/login/code/", {"code": code_for(device)})
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_the_code_step_without_a_password_goes_to_the_login_page(client, db):
    assert client.get("/accounts/login/code/")["Location"] == "/accounts/login/"


def test_coordinators_and_funders_are_encouraged(world, client):
    for name in ("coordinator", "national", "funder"):
        response = password_step(client, name)
        client.get(response["Location"])  # the notice shows on the next page
        page = client.get("/accounts/security/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "please turn on two-step sign-in" in page, name
        client.logout()
    response = client.post("/accounts/login/", {"username": "member", "password": PASSWORD},
                           follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "two-step sign-in" not in response.content.decode()
    response = client.post("/accounts/login/", {"username": "national", "password": PASSWORD},
                           follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "protect your account with two-step sign-in" in response.content.decode()


def test_turning_off_needs_the_password(world, client, enrolled):
    client.force_login(world.user("coordinator"))
    response = client.post("/accounts/security/", {"action": "off", "password": "nope"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert "That is not your password." in response.content.decode()
    assert twofactor.has_two_factor(world.user("coordinator"))
    client.post("/accounts/security/", {"action": "off", "password": PASSWORD})
    assert not twofactor.has_two_factor(world.user("coordinator"))
    assert not StaticToken.objects.exists()


def test_new_recovery_codes_replace_the_old(world, client, enrolled):
    _device, old = enrolled
    client.force_login(world.user("coordinator"))
    response = client.post("/accounts/security/", {"action": "recovery"})
    new = set(StaticToken.objects.values_list("token", flat=True))
    assert len(new) == 10 and not new & set(old)
    assert all(code in response.content.decode() for code in new)
