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


# --- assessment, action plan, plan versions, follow-up reports (read mostly) --------------------

from .models import ActionItem, Assessment, DimensionScore, FollowUpReport, PlanVersion  # noqa: E402


class DimensionScoreInline(admin.TabularInline):
    model = DimensionScore
    extra = 0
    can_delete = False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["participation", "state", "assessed_on", "submitted_at"]
    list_filter = ["state", "participation__cohort"]
    readonly_fields = ["participation", "state", "submitted_by", "returned_by", "started_by"]
    inlines = [DimensionScoreInline]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "assessment", "policy", "horizon", "due_date", "status"]
    list_filter = ["policy", "horizon", "status"]


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ["participation", "number", "language", "state", "requested_at", "signed_at"]
    list_filter = ["state", "language", "participation__cohort"]
    exclude = ["snapshot", "file", "signed_file"]
    readonly_fields = [
        "participation",
        "number",
        "language",
        "state",
        "batch",
        "requested_by",
        "requested_at",
        "queued_at",
        "started_at",
        "finished_at",
        "attempts",
        "error",
        "checksum",
        "size",
        "signed_by",
        "signed_at",
        "signed_checksum",
    ]


@admin.register(FollowUpReport)
class FollowUpReportAdmin(admin.ModelAdmin):
    list_display = ["participation", "round", "state", "due_on", "submitted_at"]
    list_filter = ["round", "state", "participation__cohort"]
