from django.contrib import admin

from apps.accounts.models import ApiToken, LoginThrottle, RoleAssignment, RoleChange
from apps.core.admin import ReadOnlyAdmin
from apps.core.audit import ActingAdminMixin


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ActingAdminMixin, admin.ModelAdmin):
    list_display = ["user", "role", "network", "city"]
    list_filter = ["role", "network", "city"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "created", "last_used"]
    readonly_fields = ["key_hash"]


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    """Locked accounts and addresses; deleting a row lifts its lock at once."""

    list_display = ["kind", "key", "failures", "window_start", "locked_until"]
    list_filter = ["kind"]
    search_fields = ["key"]
    readonly_fields = ["kind", "key", "failures", "window_start", "locked_until"]

    def has_add_permission(self, request):
        return False


@admin.register(RoleChange)
class RoleChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "user", "role", "network", "city", "by"]
    list_filter = ["action", "role"]
