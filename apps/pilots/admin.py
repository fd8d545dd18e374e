from django.contrib import admin

from apps.pilots.models import Pilot


@admin.register(Pilot)
class PilotAdmin(admin.ModelAdmin):
    list_display = ["title_th", "city", "status", "approved_budget", "published"]
    list_filter = ["status", "published"]
