from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin
from apps.core.audit import ActingAdminMixin
from apps.people.models import (
    Membership, MembershipChange, Organisation, Person, PersonErasure, WorkingGroup,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name_th", "name_en", "kind", "city"]
    list_filter = ["kind", "city"]
    search_fields = ["name_th", "name_en", "short_name"]


@admin.register(Person)
class PersonAdmin(ActingAdminMixin, admin.ModelAdmin):
    list_display = ["full_name_th", "full_name_en", "city", "organisation", "gender"]
    list_filter = ["city", "gender", "sector"]
    search_fields = ["full_name_th", "full_name_en", "email"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ActingAdminMixin, admin.ModelAdmin):
    list_display = ["city", "established", "published"]
    inlines = [MembershipInline]


@admin.register(PersonErasure)
class PersonErasureAdmin(ReadOnlyAdmin):
    """The erasure log, read-only: erasing goes through the person's data page."""

    list_display = ["person", "at", "by", "reason"]


@admin.register(MembershipChange)
class MembershipChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "person", "city", "by"]
    list_filter = ["action"]
