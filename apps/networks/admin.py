from django.contrib import admin

from apps.networks.models import City, Network


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_th", "slug", "coordinator", "plan", "plan_start"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_th", "country", "province_en", "network", "participation"]
    list_filter = ["network", "country", "participation"]
    search_fields = ["name_en", "name_th", "slug"]
