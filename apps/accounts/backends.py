from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from apps.accounts.models import LoginThrottle


def client_address(request):
    header = settings.LOGIN_CLIENT_ADDRESS_HEADER
    value = request.META.get(header, "") if header else ""
    # A proxy's X-Forwarded-For lists addresses; the first is the client's.
    return value.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")


class ThrottledModelBackend(ModelBackend):
    """The usual username/password check, refused while the account or the client address is
    locked out by too many failures (our sign-in page and the admin's alike).

    Without a request (management commands, the test client's login()) nothing is counted:
    there is no client address, and no one on the other side to guess.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return super().authenticate(request, username, password, **kwargs)
        if username is None:
            username = kwargs.get(self.user_model().USERNAME_FIELD)
        address = client_address(request)
        until = LoginThrottle.objects.locked_until(username, address)
        if until:
            request.login_locked_until = until
            raise PermissionDenied  # stops authenticate(): no other backend is tried
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            until = LoginThrottle.objects.record_failure(username, address)
            if until:
                request.login_locked_until = until
        else:
            LoginThrottle.objects.record_success(username)
        return user

    @staticmethod
    def user_model():
        from django.contrib.auth import get_user_model

        return get_user_model()
