"""Read-mostly admin for staff; state changes go through the services, never the admin."""

from django.contrib import admin

from .models import Application, Conflict, EligibilityCheck, Review, RubricCriterion, Score


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EligibilityInline(admin.TabularInline):
    model = EligibilityCheck
    extra = 0
    can_delete = False
    readonly_fields = ["rule", "passed", "detail", "checked_at"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["company", "cohort", "state", "size_class", "submitted_at"]
    list_filter = ["cohort", "state", "tech_area", "size_class"]
    search_fields = ["company__legal_name", "company__local_name", "tech_title"]
    inlines = [EligibilityInline]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["application", "reviewer", "state", "abstained", "submitted_at"]
    list_filter = ["state", "application__cohort"]


@admin.register(RubricCriterion)
class RubricCriterionAdmin(ReadOnlyAdmin):
    list_display = ["cohort", "name", "weight", "order"]
    list_filter = ["cohort"]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["review", "criterion", "value"]


@admin.register(Conflict)
class ConflictAdmin(ReadOnlyAdmin):
    list_display = ["reviewer", "company", "declared_at", "resolved_at"]
