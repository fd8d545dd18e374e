from django.urls import path

from apps.progress import views

app_name = "progress"
urlpatterns = [
    path("c/<slug:slug>/activities/<int:number>/", views.activity_detail, name="activity"),
    path("c/<slug:slug>/activities/<int:number>/status/", views.update_status, name="status"),
    path("c/<slug:slug>/activities/<int:number>/schedule/", views.update_schedule,
         name="schedule"),
    path("c/<slug:slug>/activities/<int:number>/publish/", views.publish, name="publish"),
    path("c/<slug:slug>/activities/<int:number>/performers/", views.update_performers,
         name="performers"),
    path("c/<slug:slug>/activities/<int:number>/evidence/", views.add_evidence, name="evidence"),
    path("c/<slug:slug>/activities/<int:number>/evidence/<int:pk>/file/", views.evidence_file,
         name="evidence-file"),
]
