"""The network's prioritisation scales are data: its national coordinator edits them on their
own page (apps.strategies.views_scales); the admin keeps a view of every network's."""
from django.contrib import admin

from apps.strategies.models import FeasibilityCriterion, ResilienceCharacteristic


@admin.register(ResilienceCharacteristic, FeasibilityCriterion)
class ScaleItemAdmin(admin.ModelAdmin):
    list_display = ["network", "code", "name_th", "name_en", "weight", "order", "active"]
    list_filter = ["network"]
