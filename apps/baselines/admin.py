from django.contrib import admin

from apps.baselines.models import (
    BaselineProfile, ClimateNormal, EconomicSector, LandUse, PastDisaster,
)


class SectorInline(admin.TabularInline):
    model = EconomicSector
    extra = 0


class LandUseInline(admin.TabularInline):
    model = LandUse
    extra = 0


class DisasterInline(admin.TabularInline):
    model = PastDisaster
    extra = 0


class NormalInline(admin.TabularInline):
    model = ClimateNormal
    extra = 0
    max_num = 12


@admin.register(BaselineProfile)
class BaselineProfileAdmin(admin.ModelAdmin):
    list_display = ["city", "population", "population_year", "published", "updated_at"]
    list_filter = ["published", "city__network"]
    search_fields = ["city__name_th", "city__name_en"]
    inlines = [SectorInline, LandUseInline, DisasterInline, NormalInline]
    raw_id_fields = ["updated_by"]
