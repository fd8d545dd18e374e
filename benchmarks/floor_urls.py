"""The application's URLs plus `/_floor/`: a Django view returning a constant, through the
same middleware as every page (sessions, CSRF, security headers, CSP, locale). What it serves
per second is the most any page can serve on this machine: the benchmark's floor."""
from django.http import HttpResponse
from django.urls import include, path

from apps.core.access import access


@access("public")
def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("_floor/", floor),
    path("", include("workbench.urls")),
]
handler404 = "workbench.api.page_not_found"
