from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BaselinesConfig(AppConfig):
    name = "apps.baselines"
    label = "baselines"
    verbose_name = _("City baselines")
