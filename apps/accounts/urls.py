from django.contrib.auth import views as auth_views
from django.urls import path

from apps.accounts import views
from apps.core.access import access

app_name = "accounts"
urlpatterns = [
    path("login/", access("public")(auth_views.LoginView.as_view()), name="login"),
    path("logout/", access("public")(auth_views.LogoutView.as_view()), name="logout"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke-token"),
]
