"""The network's prioritisation scales are data: edited here until a page of their own exists."""
from django.contrib import admin

from apps.strategies.models import FeasibilityCriterion, ResilienceCharacteristic


@admin.register(ResilienceCharacteristic, FeasibilityCriterion)
class ScaleItemAdmin(admin.ModelAdmin):
    list_display = ["network", "code", "name_th", "name_en", "weight", "order"]
    list_filter = ["network"]
