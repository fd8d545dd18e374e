"""Who is calling: GET /me, and the login check every write endpoint starts with."""
from django.utils.translation import gettext
from ninja import Router
from ninja.errors import AuthenticationError

from apps.accounts.schemas import MeOut

router = Router(tags=["accounts"])


def require_login(request):
    """The calling user, or 401: reads may be anonymous, writes never."""
    if not request.user.is_authenticated:
        raise AuthenticationError(message=gettext("Log in or send an API token to make changes."))
    return request.user


@router.get("/me", response=MeOut)
def me(request):
    user = request.user
    if not user.is_authenticated:
        return {"authenticated": False, "username": None, "roles": []}
    roles = user.roles.select_related("network", "city")
    return {
        "authenticated": True,
        "username": user.get_username(),
        "roles": [
            {"role": r.role, "label": r.get_role_display(),
             "network": r.network and r.network.slug, "city": r.city and r.city.slug}
            for r in roles
        ],
    }
