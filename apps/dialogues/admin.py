from django.contrib import admin

from apps.dialogues.models import (
    Dialogue, DialogueChange, DialogueItem, FollowUpAction, Indicator, Nomination, Risk,
    RiskArea, VulnerableGroup,
)
from apps.dialogues.votes import Ballot, BallotEntry, Vote, VoteOption


class ItemInline(admin.TabularInline):
    model = DialogueItem
    extra = 0


class RiskInline(admin.TabularInline):
    model = Risk
    extra = 0


class GroupInline(admin.TabularInline):
    model = VulnerableGroup
    extra = 0


class AreaInline(admin.StackedInline):
    model = RiskArea
    extra = 0


class NominationInline(admin.TabularInline):
    model = Nomination
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


class ActionInline(admin.TabularInline):
    model = FollowUpAction
    extra = 0


@admin.register(Dialogue)
class DialogueAdmin(admin.ModelAdmin):
    list_display = ["city_activity", "date", "published"]
    list_filter = ["published", "city_activity__city"]
    inlines = [ItemInline, RiskInline, GroupInline, AreaInline, NominationInline,
               IndicatorInline, ActionInline]


class OptionInline(admin.TabularInline):
    model = VoteOption
    extra = 0


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["title_th", "dialogue", "method", "status", "held_on"]
    list_filter = ["method", "status"]
    inlines = [OptionInline]


class EntryInline(admin.TabularInline):
    model = BallotEntry
    extra = 0


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    list_display = ["vote", "person", "recorded_by", "updated_at"]
    inlines = [EntryInline]

    # A ballot is a voter's own act: readable in the back office, never edited there.
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(DialogueChange)
class DialogueChangeAdmin(admin.ModelAdmin):
    list_display = ["dialogue", "action", "detail", "by", "at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
