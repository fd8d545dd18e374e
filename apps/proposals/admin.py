from django.contrib import admin

from apps.core.admin import ReadOnlyAdmin
from apps.proposals.models import Call, CallChange, Proposal


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title_th", "city", "opens_at", "closes_at", "published"]
    list_filter = ["published", "city__network"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title_th", "call", "organisation", "status", "eligibility"]
    list_filter = ["status", "eligibility"]


@admin.register(CallChange)
class CallChangeAdmin(ReadOnlyAdmin):
    """The audit trail, readable by superusers, never editable."""

    list_display = ["at", "call", "action", "by"]
