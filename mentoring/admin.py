"""Staff admin for mentoring data (the portal pages are the normal way to work)."""

from django.contrib import admin

from .models import Assignment, ExpertProfile, FollowUp, OfferedSlot, Participation, Rating, Session


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["company", "cohort", "state", "created_at"]
    list_filter = ["state", "cohort"]
    search_fields = ["company__legal_name"]
    readonly_fields = ["application", "cohort", "company", "audit", "state", "dropped_reason"]


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "capacity", "jurisdictions", "updated_at"]
    search_fields = ["user__username", "user__last_name"]
    filter_horizontal = ["conflicts"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["participation", "expert", "role", "score", "assigned_at", "ended_at"]
    list_filter = ["role", "participation__cohort"]
    readonly_fields = ["participation", "expert", "role", "score", "assigned_by"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["participation", "number", "starts_at", "mode", "status", "expert"]
    list_filter = ["status", "mode", "participation__cohort"]
    readonly_fields = ["uid", "sequence"]


admin.site.register(FollowUp)
admin.site.register(Rating)
admin.site.register(OfferedSlot)
