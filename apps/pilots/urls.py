from django.urls import path

from apps.pilots import views

app_name = "pilots"
urlpatterns = [
    path("pilots/<int:pk>/", views.detail, name="detail"),
]
