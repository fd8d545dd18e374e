from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin
from apps.pilots.models import Expense, Pilot, ProgressReport, ReportChange


@admin.register(Pilot)
class PilotAdmin(admin.ModelAdmin):
    list_display = ["title_th", "city", "status", "approved_budget", "start_date", "end_date",
                    "published"]
    list_filter = ["status", "published"]


@admin.register(Expense)
class ExpenseAdmin(admin.ModelAdmin):
    list_display = ["line", "amount", "date", "recorded_by"]
    raw_id_fields = ["line"]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["pilot", "period", "status", "percent"]
    list_filter = ["status"]


@admin.register(ReportChange)
class ReportChangeAdmin(ReadOnlyAdmin):  # the report history is append-only
    list_display = ["report", "from_status", "to_status", "by", "at"]
