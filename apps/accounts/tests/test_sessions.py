"""Sessions end after 8 hours without activity; activity pushes the end forward."""
import time

from django.conf import settings

from apps.accounts.middleware import REFRESHED_KEY
from apps.core.testing import PASSWORD


def test_idle_timeout_is_eight_hours_by_default():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is False
    assert "apps.accounts.middleware.IdleSessionMiddleware" in settings.MIDDLEWARE
    middleware = settings.MIDDLEWARE
    assert middleware.index("apps.accounts.middleware.IdleSessionMiddleware") == (
        middleware.index("django.contrib.sessions.middleware.SessionMiddleware") + 1)


def test_activity_pushes_the_expiry_forward(world, client):
    client.post("/accounts/login/", {"username": "member", "password": PASSWORD})
    session = client.session
    assert abs(session.get_expiry_age() - 8 * 3600) < 5
    # A request soon after sign-in writes nothing; one after the refresh interval does.
    response = client.get("/accounts/security/")
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    session[REFRESHED_KEY] = int(time.time()) - 600
    session.save()
    response = client.get("/accounts/security/")
    assert settings.SESSION_COOKIE_NAME in response.cookies
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 3600
    assert client.session[REFRESHED_KEY] >= int(time.time()) - 5


def test_an_expired_session_signs_out(world, client):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.post("/accounts/login/", {"username": "member", "password": PASSWORD})
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get("/accounts/security/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
