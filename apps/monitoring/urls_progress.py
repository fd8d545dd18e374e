"""The M&E progress pages (added to apps.monitoring.urls, namespace "monitoring")."""
from django.urls import path

from apps.monitoring import views_progress as views

urlpatterns = [
    path("c/<slug:slug>/monitoring/progress/", views.city_progress, name="progress"),
    path("c/<slug:slug>/monitoring/progress/refresh/", views.refresh, name="progress-refresh"),
    path("c/<slug:slug>/monitoring/progress/<int:pk>/", views.indicator_progress,
         name="progress-indicator"),
    path("n/<slug:slug>/monitoring/progress/", views.network_progress, name="network-progress"),
]
