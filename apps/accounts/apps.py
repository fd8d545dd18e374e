from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from apps.accounts.middleware import mark_refreshed

        user_logged_in.connect(mark_refreshed, dispatch_uid="accounts.mark_refreshed")
