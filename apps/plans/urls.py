from django.urls import path

from apps.plans import views

app_name = "plans"
urlpatterns = [
    path("plans/<int:pk>/", views.plan_detail, name="detail"),
    path("plans/<int:pk>/new-version/", views.new_version, name="new-version"),
    path("plans/<int:pk>/publish/", views.publish, name="publish"),
    path("plans/<int:pk>/activities/<int:number>/edit/", views.activity_edit,
         name="activity-edit"),
]
