from django.contrib import admin

from apps.accounts.models import ApiToken, RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "network", "city"]
    list_filter = ["role", "network", "city"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "created", "last_used"]
    readonly_fields = ["key_hash"]
