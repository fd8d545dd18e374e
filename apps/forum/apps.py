from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "apps.forum"
    label = "forum"
    verbose_name = _("National forum")

    def ready(self):
        # Built syntheses are rebuilt when their data changes (apps.forum.rebuild).
        from apps.forum import rebuild

        rebuild.connect()
