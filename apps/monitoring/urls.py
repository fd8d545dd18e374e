from django.urls import path  # noqa: F401  (pages are added here)

app_name = "monitoring"
urlpatterns = []

from apps.monitoring import urls_progress  # noqa: E402  (the progress pages)
urlpatterns += urls_progress.urlpatterns
