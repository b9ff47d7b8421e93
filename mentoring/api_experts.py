"""The mentoring stage's API for experts: officers list the experts (filters as the page's
columns) and their assignments, assign a lead or support expert and end an assignment through the
matching service; an expert reads their own profile and assignments (everyone else: 404)."""

from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from clinic.api.routes import register
from clinic.api.serializers import ModelSerializer
from clinic.api.views import ClinicViewSet
from clinic.models import GreenArea, User
from clinic.transitions import Refused

from . import permissions
from .api import AssignmentSerializer
from .models import Assignment, ExpertProfile
from .services import experts as expert_service
from .services import matching
from .services.progress import expert_rating_averages


class ExpertProfileSerializer(ModelSerializer):
    class Meta:
        model = ExpertProfile
        fields = ["bio", "expertise", "tech_areas", "languages", "jurisdictions", "capacity"]
        fields += ["conflict_note", "updated_at"]
        read_only_fields = fields


class RatingSerializer(serializers.Serializer):
    average = serializers.FloatField()
    count = serializers.IntegerField()


class ExpertSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")
    email = serializers.EmailField()
    active_assignments = serializers.IntegerField()
    profile = serializers.SerializerMethodField()
    rating = serializers.SerializerMethodField()

    @extend_schema_field(ExpertProfileSerializer(allow_null=True))
    def get_profile(self, user):
        profile = getattr(user, "expert_profile", None)
        return ExpertProfileSerializer(profile).data if profile is not None else None

    @extend_schema_field(RatingSerializer(allow_null=True))
    def get_rating(self, user):
        rating = self.context.get("ratings", {}).get(user.pk)
        if rating is None:
            return None
        return RatingSerializer({"average": rating[0], "count": rating[1]}).data


def _listed(value):
    """A JSON list holding ``value`` (technology areas, languages) on every database."""
    return f'"{value}"'


class ExpertFilter(filters.FilterSet):
    tech_area = filters.ChoiceFilter(
        choices=GreenArea.choices,
        method="filter_tech_area",
        label="Technology area the expert covers",
    )
    language = filters.CharFilter(
        max_length=10, method="filter_language", label="Language the expert mentors in"
    )
    available = filters.BooleanFilter(
        method="filter_available", label="Has a free place (fewer assignments than capacity)"
    )

    class Meta:
        model = User
        fields = []

    def filter_tech_area(self, queryset, name, value):
        return queryset.filter(expert_profile__tech_areas__icontains=_listed(value))

    def filter_language(self, queryset, name, value):
        return queryset.filter(expert_profile__languages__icontains=_listed(value))

    def filter_available(self, queryset, name, value):
        default = ExpertProfile._meta.get_field("capacity").default
        free = Q(expert_profile__isnull=True, active_assignments__lt=default) | Q(
            expert_profile__capacity__gt=F("active_assignments")
        )
        return queryset.filter(free) if value else queryset.exclude(free)


class ExpertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet):
    """Experts: officers every active expert, an expert only themselves (``experts/me/``)."""

    serializer_class = ExpertSerializer
    filterset_class = ExpertFilter
    search_fields = ["username", "first_name", "last_name", "expert_profile__jurisdictions"]
    orderings = {"id": ("id",), "username": ("username", "id")}

    def get_queryset(self):
        user = self.request.user
        experts = expert_service.expert_users()
        if not permissions.is_officer(user):
            experts = experts.filter(pk=user.pk) if permissions.is_expert(user) else experts.none()
        active = Count("mentor_assignments", filter=Q(mentor_assignments__ended_at__isnull=True))
        return experts.select_related("expert_profile").annotate(active_assignments=active)

    def get_serializer(self, *args, **kwargs):
        rows = args[0] if args else []
        rows = rows if isinstance(rows, list) else [rows]
        ids = [row.pk for row in rows if row is not None]
        ratings = expert_rating_averages(ids) if ids else {}  # none for the schema: no database
        kwargs["context"] = {**self.get_serializer_context(), "ratings": ratings}
        return self.get_serializer_class()(*args, **kwargs)

    @extend_schema(responses=ExpertSerializer)
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def me(self, request):
        """The calling expert's own profile (404 for anyone else)."""
        expert = get_object_or_404(self.get_queryset(), pk=request.user.pk)
        return Response(self.get_serializer(expert).data)


class AssignmentFilter(filters.FilterSet):
    active = filters.BooleanFilter(field_name="ended_at", lookup_expr="isnull", label="Not ended")

    class Meta:
        model = Assignment
        fields = ["participation", "expert", "role"]


class NewAssignmentSerializer(serializers.Serializer):
    participation = serializers.IntegerField(min_value=1)
    expert = serializers.IntegerField(min_value=1)
    role = serializers.ChoiceField(Assignment.Role.choices, default=Assignment.Role.LEAD)


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet):
    """Mentor assignments: officers all, an expert their own. Officers assign (a previous
    expert in the same role is ended) and end them through ``matching``."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    orderings = {"-assigned_at": ("-assigned_at", "-id"), "id": ("id",)}

    def get_queryset(self):
        user = self.request.user
        if permissions.can_match(user):
            return Assignment.objects.all()
        if permissions.is_expert(user):
            return Assignment.objects.filter(expert=user)
        return Assignment.objects.none()

    @extend_schema(request=NewAssignmentSerializer, responses={201: AssignmentSerializer})
    def create(self, request):
        """Make an expert a participant's lead or support expert (conflicts and capacity are
        refused with 409; both sides are told)."""
        if not permissions.can_match(request.user):
            raise Refused("not_found")
        data = self.read(NewAssignmentSerializer)
        participation = get_object_or_404(
            permissions.visible_participations(request.user), pk=data["participation"]
        )
        expert = get_object_or_404(expert_service.expert_users(), pk=data["expert"])
        assignment = matching.assign_expert(request.user, participation, expert, data["role"])
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the assignment (kept for the history; twice ends it once)."""
        return self.answer(matching.unassign_expert(request.user, self.get_object()))


register("experts", ExpertViewSet, "expert")
register("assignments", AssignmentViewSet, "assignment")
