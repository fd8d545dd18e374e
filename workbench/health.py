"""`/healthz`: what a load balancer or nginx asks each app server before sending it users.

It answers 200 only when this server can reach the database (and the shared cache, when one is
configured), 503 otherwise, so a server that lost its database is taken out of rotation rather
than serving errors. It reveals nothing beyond ok / unavailable.
"""
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from apps.core.access import access


@never_cache
@access("public")
def healthz(request):
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # nosec B110 - any failure means "not ready"; details go to the log
        checks["database"] = "unavailable"
    if settings.CACHE_URL:
        try:
            cache.set("healthz", "1", 5)
            checks["cache"] = "ok" if cache.get("healthz") == "1" else "unavailable"
        except Exception:  # nosec B110
            checks["cache"] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks},
                        status=200 if healthy else 503)
