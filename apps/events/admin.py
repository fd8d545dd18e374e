from django.contrib import admin

from apps.events.models import AgendaItem, Event, EventChange, Invitation, Material, Registration


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ["speaker", "organisation"]


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title_th", "starts_at", "status", "published", "capacity"]
    list_filter = ["status", "published", "language"]
    search_fields = ["title_th", "title_en"]
    # Status, places and positions change only through the model's methods (locks, history,
    # emails); the back office shows them.
    readonly_fields = ["status", "sequence", "last_position", "uid", "created_by"]
    inlines = [AgendaInline, MaterialInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["person", "event", "status", "position", "checked_in_at"]
    list_filter = ["status"]
    search_fields = ["person__full_name_th", "person__full_name_en", "event__title_th"]
    readonly_fields = ["event", "person", "status", "position", "registered_at",
                       "promoted_at", "cancelled_at", "checked_in_at", "reminder_sent_at"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["person", "event", "status", "language", "invited_at"]
    list_filter = ["status", "language"]
    readonly_fields = ["token_hash"]


admin.site.register(EventChange)
