"""The JSON API: one NinjaAPI, who is calling, and how errors look.

Callers are resolved in this order: a Bearer token, else the Django session, else an anonymous
reader. Whichever wins is put on `request.user`, so endpoints ask the same Scope as the pages
do (apps.accounts.scope) and anonymous callers simply see published records. Writes call
`require_login` and get 401 without a user.

Error bodies: `{"detail": "..."}` for 401/403/404, and for 422
`{"detail": [{"loc": [...], "msg": "..."}], "message": "..."}`, always in the caller's language
(LocaleMiddleware picks it from Accept-Language; Thai by default).
"""
import json
import re

import ninja.openapi.schema
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext
from django.views import defaults
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.schema import NinjaGenerateJsonSchema
from ninja.security import HttpBearer, SessionAuth

from apps.accounts.api import router as accounts_router
from apps.assessments.api import router as assessments_router
from apps.baselines.api import router as baselines_router
from apps.climate.api import router as climate_router
from apps.dialogues.api import router as dialogues_router
from apps.evaluations.api import router as evaluations_router
from apps.events.api import router as events_router
from apps.forum.api import router as forum_router
from apps.accounts.models import ApiToken
from apps.monitoring.api import router as monitoring_router
from apps.networks.api import router as networks_router
from apps.people.api import router as people_router
from apps.pilots.api import router as pilots_router
from apps.plans.api import router as plans_router
from apps.practices.api import router as practices_router
from apps.progress.api import router as progress_router
from apps.proposals.api import router as proposals_router
from apps.strategies.api import router as strategies_router
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


class Error(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str | None = None


class FieldErrors(Schema):
    detail: list[FieldError]
    message: str


def schema_ref(model, components):
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(schema.pop("$defs", {}))
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


class QualifiedNames(NinjaGenerateJsonSchema):
    """Definitions named by module, class and mode ("apps.plans.models.Plan.Status|validation").
    pydantic names them by class alone and ninja merges every model's into one `components`, so
    two apps' `RiskOut`, or every model's `Status` choices, became one component (the last one
    generated). WorkbenchAPI shortens the names again where that is unambiguous.
    Times of day are RFC 3339 partial times."""

    def get_defs_ref(self, core_mode_ref):
        core_ref, mode = core_mode_ref
        name = f"{re.sub(r':-?[0-9]+', '', core_ref)}|{mode}"
        self._prioritized_defsref_choices[name] = [name]
        return name

    def time_schema(self, schema):
        # Times of day carry no offset ("09:00:00"); JSON Schema's "time" requires one.
        return {"type": "string", "format": "partial-time"}


ninja.openapi.schema.NinjaGenerateJsonSchema = QualifiedNames


def short_names(qualified, contents):
    """Each qualified name's component name: the class name ("RiskOut"), else with its outer
    class or app ("PlanStatus", "DialoguesRiskOut"), else with its mode, whichever is the first
    to name one schema only."""
    def levels(name):
        path, mode = name.rsplit("|", 1)
        parts = re.sub(r"\[.*", "", path).split(".")
        generic = path[len(re.sub(r"\[.*", "", path)):]
        short = re.sub(r"(?:[^.[\],]+\.)+([^.[\],]+)", r"\1", generic)
        outer = parts[-2] if len(parts) > 1 and parts[-2][:1].isupper() else (
            parts[1].capitalize() if parts[0] == "apps" and len(parts) > 2 else "")
        yield parts[-1] + short
        yield outer + parts[-1] + short
        yield outer + parts[-1] + short + {"validation": "Input"}.get(mode, "Output")
        yield re.sub(r"[^a-zA-Z0-9_]", "_", name)

    candidates = {name: list(levels(name)) for name in qualified}
    chosen = {}
    for name in qualified:
        for level, candidate in enumerate(candidates[name]):
            same = {contents[other] for other in qualified if candidates[other][level] == candidate}
            if len(same) == 1:
                chosen[name] = candidate
                break
    return chosen


class WorkbenchAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The error answers of the handlers below, documented on every operation they can
        come from: 401 anywhere (a bad token), 422 and 404 where there is input (a path or filter
        naming a record that is not there, or not the caller's to see), 403 on changes. An endpoint's own declaration wins."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        contents = {name: json.dumps(body, sort_keys=True) for name, body in components.items()}
        renamed = short_names(list(components), contents)
        prefix = "#/components/schemas/"

        def rename(node):
            if isinstance(node, dict):
                return {key: (prefix + renamed.get(value[len(prefix):], value[len(prefix):])
                              if key == "$ref" and isinstance(value, str) else rename(value))
                        for key, value in node.items()}
            if isinstance(node, list):
                return [rename(item) for item in node]
            return node

        schema["paths"] = rename(schema["paths"])
        schema["components"]["schemas"] = components = {
            renamed[name]: rename(body) for name, body in components.items()}
        error = {"content": {"application/json": {"schema": schema_ref(Error, components)}}}
        invalid = {"content": {"application/json": {"schema": schema_ref(FieldErrors, components)}}}
        for path, methods in schema["paths"].items():
            for method, operation in methods.items():
                declared = operation["responses"]
                codes = {401: (gettext("Unauthorized"), error)}
                if operation.get("parameters") or operation.get("requestBody") or method != "get":
                    codes[422] = (gettext("Unprocessable Content"), invalid)
                    codes[404] = (gettext("Not Found"), error)
                if method != "get":
                    codes[403] = (gettext("Forbidden"), error)
                for code, (description, body) in codes.items():
                    declared.setdefault(code, {"description": description, **body})
        return schema


api = WorkbenchAPI(
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
               climate_router, studies_router, proposals_router, monitoring_router,
               evaluations_router, practices_router, pilots_router, strategies_router,
               forum_router):
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


@api.exception_handler(UnicodeEncodeError)
def unstorable_text(request, exc):
    """Text with unpaired UTF-16 surrogates (\\ud965) parses as JSON but no database can
    store it: the write fails there, inside its transaction, and is answered as bad input."""
    return api.create_response(request, {"detail": gettext(
        "The text contains characters that cannot be stored (unpaired surrogates).")},
        status=422)


def page_not_found(request, exception):
    """URLs under /api/ that match no route (an id the route does not take, such as -1) answer
    in the API's JSON, as documented, rather than with the site's HTML page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)
