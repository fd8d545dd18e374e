from django.urls import path

from apps.baselines import views

app_name = "baselines"
BASE = "c/<slug:slug>/baseline/"
urlpatterns = [
    path(BASE, views.profile_detail, name="profile"),
    path(BASE + "edit/", views.edit, name="edit"),
    path(BASE + "climate/", views.climate, name="climate"),
    path(BASE + "publish/", views.publish, name="publish"),
    path(BASE + "disasters/add/", views.disaster_add, name="disaster-add"),
    path(BASE + "disasters/<int:pk>/remove/", views.disaster_remove, name="disaster-remove"),
    path(BASE + "disasters/import/", views.import_view, name="import"),
    path(BASE + "datasheet.pdf", views.datasheet, name="datasheet"),
    path("n/<slug:slug>/baselines/datasheets.pdf", views.network_datasheets,
         name="network-datasheets"),
]
