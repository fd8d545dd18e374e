from django.contrib import admin

from apps.progress.models import ActivityChange, CityActivity, Evidence


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0


@admin.register(CityActivity)
class CityActivityAdmin(admin.ModelAdmin):
    list_display = ["city", "plan_activity", "status", "planned_start", "planned_end", "published"]
    list_filter = ["status", "published", "city__network", "city"]
    inlines = [EvidenceInline]


@admin.register(ActivityChange)
class ActivityChangeAdmin(admin.ModelAdmin):
    list_display = ["city_activity", "action", "by", "at"]
    # History is evidence: readable in the back office, never edited there.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
