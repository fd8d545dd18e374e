import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY

REFRESHED_KEY = "idle_refreshed_at"
# How stale the expiry may get: the idle timeout is SESSION_COOKIE_AGE, give or take this.
REFRESH_EVERY = 300


class IdleSessionMiddleware:
    """Sessions expire after SESSION_COOKIE_AGE without a request (an idle timeout).

    Django pushes the expiry forward only when the session is saved; saving on every request
    (SESSION_SAVE_EVERY_REQUEST) would cost a database write per page, so the session is
    marked modified at most every REFRESH_EVERY seconds instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # The session's own user key: no user query on pages that never looked at the user.
        if session is not None and session.get(SESSION_KEY):
            now = int(time.time())
            if now - session.get(REFRESHED_KEY, 0) >= min(REFRESH_EVERY, settings.SESSION_COOKIE_AGE):
                session[REFRESHED_KEY] = now
        return response


def mark_refreshed(sender, request, user, **kwargs):
    """Sign-in saves the session anyway: start the clock there, not on the next page."""
    if getattr(request, "session", None) is not None:
        request.session[REFRESHED_KEY] = int(time.time())
