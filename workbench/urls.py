from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path

from apps.networks import views as network_views
from workbench.api import api
from workbench.health import healthz

admin.site.site_header = "Resilience Workbench"
# The back office is for superusers only: the admin does not know our city scoping, so staff
# accounts of a city must not reach it.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser
# Signing in to the admin goes through our own page, so its throttling and two-step codes
# apply there too.
admin.site.login = lambda request, extra_context=None: redirect_to_login(
    request.GET.get("next") or "/admin/")

handler404 = "workbench.api.page_not_found"

urlpatterns = [
    path("", network_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("apps.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("apps.networks.urls")),
    path("", include("apps.plans.urls")),
    path("", include("apps.progress.urls")),
    path("", include("apps.people.urls")),
    path("", include("apps.events.urls")),
    path("", include("apps.dialogues.urls")),
    path("", include("apps.baselines.urls")),
    path("", include("apps.assessments.urls")),
    path("", include("apps.climate.urls")),
    path("", include("apps.studies.urls")),
    path("", include("apps.proposals.urls")),
    path("", include("apps.pilots.urls")),
    path("", include("apps.monitoring.urls")),
    path("", include("apps.evaluations.urls")),
    path("", include("apps.practices.urls")),
    path("", include("apps.strategies.urls")),
    path("", include("apps.forum.urls")),
]
