from django.contrib import admin

from apps.plans.models import PlanActivity, PlanTemplate


class PlanActivityInline(admin.StackedInline):
    model = PlanActivity
    extra = 0
    filter_horizontal = ["prerequisites"]


@admin.register(PlanTemplate)
class PlanTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "name_en", "status", "owner"]
    inlines = [PlanActivityInline]
