from django.contrib.auth import views as auth_views
from django.urls import path

from apps.accounts import views, views_audit, views_security
from apps.core.access import access

app_name = "accounts"
urlpatterns = [
    path("login/", views_security.login, name="login"),
    path("login/code/", views_security.login_code, name="login-code"),
    path("logout/", access("public")(auth_views.LogoutView.as_view()), name="logout"),
    path("security/", views_security.security, name="security"),
    path("security/two-step/", views_security.two_factor_setup, name="two-factor-setup"),
    path("password/", views_security.password_change, name="password-change"),
    path("password/reset/", views_security.password_reset, name="password-reset"),
    path("password/reset/sent/", views_security.password_reset_done, name="password-reset-done"),
    path("password/reset/<uidb64>/<token>/", views_security.password_reset_confirm,
         name="password-reset-confirm"),
    path("password/reset/done/", views_security.password_reset_complete,
         name="password-reset-complete"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke-token"),
    path("audit/", views_audit.audit_trail, name="audit"),
]
