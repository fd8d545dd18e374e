from django.contrib import admin

from apps.climate.models import Analysis, SeriesUpload, Station


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "city", "source", "published"]
    list_filter = ["published", "city"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(SeriesUpload)
class SeriesUploadAdmin(admin.ModelAdmin):
    list_display = ["original_name", "station", "uploaded_at", "rows", "missing_days"]
    list_select_related = ["station"]
    readonly_fields = ["summary"]


@admin.register(Analysis)
class AnalysisAdmin(admin.ModelAdmin):
    list_display = ["pk", "station", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["station"]
    readonly_fields = ["results", "error", "error_params"]
