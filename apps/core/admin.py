from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are only ever added by the app (audit trails, erasure logs): readable in
    the back office, never added, changed or deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
