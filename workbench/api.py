"""The JSON API: one NinjaAPI, who is calling, and how errors look.

Callers are resolved in this order: a Bearer token, else the Django session, else an anonymous
reader. Whichever wins is put on `request.user`, so endpoints ask the same Scope as the pages
do (apps.accounts.scope) and anonymous callers simply see published records. Writes call
`require_login` and get 401 without a user.

Error bodies: `{"detail": "..."}` for 401/403/404, and for 422
`{"detail": [{"loc": [...], "msg": "..."}], "message": "..."}`, always in the caller's language
(LocaleMiddleware picks it from Accept-Language; Thai by default).
"""
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.security import HttpBearer, SessionAuth

from apps.accounts.api import router as accounts_router
from apps.assessments.api import router as assessments_router
from apps.baselines.api import router as baselines_router
from apps.climate.api import router as climate_router
from apps.dialogues.api import router as dialogues_router
from apps.events.api import router as events_router
from apps.accounts.models import ApiToken
from apps.networks.api import router as networks_router
from apps.people.api import router as people_router
from apps.plans.api import router as plans_router
from apps.progress.api import router as progress_router
from apps.proposals.api import router as proposals_router
from apps.studies.api import router as studies_router


class BearerToken(HttpBearer):
    def __call__(self, request):
        header = request.headers.get("Authorization")
        if not header:
            return None
        scheme, _, key = header.partition(" ")
        # Credentials we cannot check must not quietly degrade to anonymous reads.
        if scheme.lower() != "bearer" or not key.strip():
            raise AuthenticationError(message=gettext("Invalid API token."))
        return self.authenticate(request, key.strip())

    def authenticate(self, request, token):
        user = ApiToken.objects.user_for(token)
        if user is None:
            raise AuthenticationError(message=gettext("Invalid API token."))
        request.user = user
        return user


class Session(SessionAuth):
    def __call__(self, request):
        # Only a logged-in session needs (and gets) ninja's CSRF check; an anonymous caller
        # goes on to `anonymous`, so an anonymous write answers 401 rather than a CSRF 403.
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


def anonymous(request):
    return request.user  # AnonymousUser is truthy: reads go on with published data only


api = NinjaAPI(
    title="Resilience Workbench API",
    version="1",
    description=(
        "Send `Authorization: Bearer <token>` or use the site's session (with the CSRF token "
        "for changes). Without either, reads work and show published records only. Dates are "
        "ISO 8601 in the Gregorian calendar."
    ),
    urls_namespace="api",
    auth=[BearerToken(), Session(), anonymous],
)
for router in (accounts_router, networks_router, plans_router, progress_router, people_router,
               events_router, dialogues_router, baselines_router, assessments_router,
               climate_router, studies_router, proposals_router):
    api.add_router("", router)


# -- errors -----------------------------------------------------------------------------
# ninja's own English messages, said again in the caller's language.
NINJA_MESSAGES = {
    "Unauthorized": lambda: gettext("Log in or send an API token."),
    "Forbidden": lambda: gettext("You may not do this."),
    "CSRF check Failed": lambda: gettext("The CSRF check failed; send the CSRF token."),
}


@api.exception_handler(HttpError)
def http_error(request, exc):
    message = NINJA_MESSAGES.get(exc.message, lambda: exc.message)()
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request, exc):
    message = str(exc) if exc.args else gettext("Not found.")
    return api.create_response(request, {"detail": message}, status=404)


@api.exception_handler(SchemaValidationError)
def schema_error(request, exc):
    """Request fields of the wrong shape. pydantic's own texts stay English; the top-level
    message and the messages of our validators (dates) are in the caller's language."""
    detail = []
    for error in exc.errors:
        loc = list(error["loc"])
        # Every endpoint names its body `payload`; dropping the name makes these locations
        # match the business-rule errors below: ["body", field].
        if loc[:2] == ["body", "payload"]:
            loc = ["body", *loc[2:]]
        message = error["msg"]
        if error.get("type") == "value_error":  # our ValueError's text, without "Value error, "
            message = str(error.get("ctx", {}).get("error", message))
        detail.append({"loc": loc, "msg": message, "type": error.get("type", "")})
    return api.create_response(
        request, {"detail": detail, "message": gettext("Some fields are invalid.")}, status=422
    )


@api.exception_handler(DjangoValidationError)
def business_rule_error(request, exc):
    """A model's ValidationError (already translated) as 422, each message at its field."""
    fields = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    detail = [
        {"loc": ["body"] if name == NON_FIELD_ERRORS else ["body", name], "msg": message}
        for name, messages in fields.items()
        for message in messages
    ]
    return api.create_response(
        request, {"detail": detail, "message": " ".join(d["msg"] for d in detail)}, status=422
    )
