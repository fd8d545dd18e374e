from django.contrib import admin

from apps.assessments.models import Assessment, AssessmentScale


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["city", "status", "published", "updated_at"]
    list_filter = ["status", "published"]


admin.site.register(AssessmentScale)
