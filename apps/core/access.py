"""Page access, declared on every view so the permission matrix test can find and check it.

Kinds:
- "public": anyone; the page itself filters unpublished records through visible_to().
- "login": any signed-in user.
- "city-edit": the city's coordinator or the network's national coordinator.
- "city-assess": the above, and the city's experts (assessment work: apps assessments, climate).
- "network-admin": the network's national coordinator.
- "plan-admin": the national coordinator of the network owning the plan.
- "proposal-own": the proponent who wrote the proposal (apps.proposals).
- "evaluator": an evaluator assigned to the call.
- "funder": the network's funder reviewers.
- "selection": who reads a call's ranking: the city's coordinators, the national coordinator,
  evaluators who have submitted their scores, funder reviewers once the shortlist is recorded.
"""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from apps.accounts.scope import scope_of
from apps.core.audit import acting

ACCESS_KINDS = {"public", "login", "city-edit", "city-assess", "network-admin", "plan-admin",
                "proposal-own", "evaluator", "funder", "selection"}


def access(kind):
    """Tag a view with its access kind; "login" and stricter kinds require a signed-in user."""
    if kind not in ACCESS_KINDS:  # not an assert: python -O would drop it
        raise ValueError(f"Unknown access kind {kind!r}; one of {sorted(ACCESS_KINDS)}.")

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if kind != "public" and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            # Logs written by model signals (roles, memberships) name the user acting.
            with acting(request.user):
                return view(request, *args, **kwargs)

        wrapper.access = kind
        return wrapper

    return decorate


def require(condition):
    if not condition:
        raise PermissionDenied


def require_city_edit(request, city):
    require(scope_of(request.user).can_edit_city(city))


def require_city_assess(request, city):
    require(scope_of(request.user).can_assess_city(city))


def require_network_admin(request, network):
    require(scope_of(request.user).can_admin_network(network))
