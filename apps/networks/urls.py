from django.urls import path

from apps.networks import views

app_name = "networks"
urlpatterns = [
    path("n/<slug:slug>/", views.dashboard, name="dashboard"),
    path("n/<slug:slug>/adopt/", views.adopt, name="adopt"),
    path("c/<slug:slug>/", views.city, name="city"),
    path("c/<slug:slug>/edit/", views.city_edit, name="city-edit"),
]
