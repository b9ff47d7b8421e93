"""The mentoring stage's API: participants, sessions (never private notes) and plan versions (the
SME downloads signed ones only); the assessment, action items and follow-ups are in api_plans.py.
Thin like the views: scopes from ``permissions.py``, changes through the services."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from clinic.api.routes import register
from clinic.api.serializers import ModelSerializer
from clinic.api.views import ClinicViewSet, ReasonSerializer
from clinic.dimensions import Dimension
from clinic.limits import LONG_TEXT_MAX
from clinic.models import User
from clinic.permissions import is_officer
from clinic.transitions import Refused

from . import permissions
from .api_sessions import BookingMixin, SessionMovesMixin
from .models import (
    Assignment,
    FollowUp,
    Participation,
    PlanVersion,
    Session,
)
from .models.sessions import Mode
from .services import matching, plan_versions, session_notes
from .services import sessions as session_service
from .services.calendar import CONTENT_TYPE, ics_filename, session_ics


class ParticipationSerializer(ModelSerializer):
    class Meta:
        model = Participation
        fields = ["id", "application", "cohort", "company", "state"]
        read_only_fields = fields


class SharedNoteSerializer(serializers.Serializer):
    summary = serializers.CharField()
    dimensions = serializers.ListField(child=serializers.IntegerField())
    recommendations = serializers.CharField()
    shared_at = serializers.DateTimeField(allow_null=True)


def works_with_check(user):
    """``permissions.works_with`` for many sessions at once: participation id -> bool, with the
    caller's mentored participations read once."""
    if is_officer(user):
        return lambda participation_id: True
    if not user.is_authenticated:
        return lambda participation_id: False
    return set(permissions.mentored_participations(user).values_list("pk", flat=True)).__contains__


class SessionSerializer(ModelSerializer):
    """A session as its page shows it. Private notes are never part of it, for anyone; the
    notes show to the SME once they are shared."""

    note = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id",
            "participation",
            "expert",
            "number",
            "starts_at",
            "time_zone",
            "duration_minutes",
            "mode",
            "address",
            "meeting_url",
            "phone",
            "agenda",
            "status",
            "cancel_reason",
            "sequence",
            "note",
        ]
        read_only_fields = fields

    @extend_schema_field(SharedNoteSerializer(allow_null=True))
    def get_note(self, session):
        note = getattr(session, "note", None)
        if note is None:
            return None
        staff = self.context["staff"](session.participation_id)
        if note.shared_at is None and not staff:
            return None  # a draft stays with the expert
        return SharedNoteSerializer(note).data


class FollowUpInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    owner = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class NotesSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField([Session.Status.HELD, Session.Status.NO_SHOW])
    summary = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=LONG_TEXT_MAX
    )
    dimensions = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=len(Dimension),
    )
    recommendations = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=LONG_TEXT_MAX
    )
    follow_ups = FollowUpInputSerializer(
        many=True, required=False, default=list, max_length=FollowUp.PER_SESSION_MAX
    )
    share = serializers.BooleanField(required=False, default=False)


class SessionFilter(filters.FilterSet):
    class Meta:
        model = Session
        fields = {
            "participation": ["exact"],
            "expert": ["exact"],
            "status": ["exact"],
            "starts_at": ["gte", "lte"],
        }


@extend_schema_view(
    move=extend_schema(responses=SessionSerializer),
    reschedule=extend_schema(responses=SessionSerializer),
)
class SessionViewSet(
    SessionMovesMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet
):
    """Sessions follow their participant's scope (``permissions.visible_sessions``)."""

    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    orderings = {"starts_at": ("starts_at", "id"), "-starts_at": ("-starts_at", "-id")}

    def get_queryset(self):
        return permissions.visible_sessions(self.request.user).select_related("note")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "staff": works_with_check(self.request.user)}

    @extend_schema(request=ReasonSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Either side (or an officer) cancels a planned session; both sides are told."""
        session = self.get_object()
        data = self.read(ReasonSerializer)
        return self.answer(session_service.cancel_session(request.user, session, data["reason"]))

    @extend_schema(request=NotesSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        """The expert logs the session (held or no-show) and its shared notes. Private notes
        are never read or written through the API."""
        session = self.get_object()
        data = self.read(NotesSerializer)
        return self.answer(session_notes.save_notes(request.user, session, **data))

    @extend_schema(responses={(200, CONTENT_TYPE): OpenApiTypes.STR})
    @action(detail=True, methods=["get"])
    def ics(self, request, pk=None):
        """The session as an iCalendar file."""
        session = self.get_object()
        response = HttpResponse(session_ics(session), content_type=f"{CONTENT_TYPE}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{ics_filename(session)}"'
        return response


class PlanVersionSerializer(ModelSerializer):
    signed = serializers.BooleanField(source="is_signed", read_only=True)

    class Meta:
        model = PlanVersion
        fields = [
            "id",
            "participation",
            "number",
            "language",
            "state",
            "requested_at",
            "finished_at",
            "size",
            "checksum",
            "signed",
            "signed_by",
            "signed_at",
            "signed_checksum",
        ]
        read_only_fields = fields


class PlanVersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet):
    """Plan PDF versions: officers all, experts their participants', SMEs signed ones only."""

    serializer_class = PlanVersionSerializer
    filterset_fields = ["participation", "state", "language"]
    orderings = {"-id": ("-id",), "id": ("id",)}

    def get_queryset(self):
        return permissions.visible_plan_versions(self.request.user)

    @extend_schema(request=None, responses=PlanVersionSerializer)
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        """The programme lead signs off a ready version (the company is told)."""
        version = self.get_object()
        return self.answer(plan_versions.sign_off(request.user, version))

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The signed PDF (everyone who sees the version), or for officers and the
        participant's experts the unsigned one; the page's download does the serving."""
        from .views import plan_versions as pages

        version = self.get_object()
        if version.is_signed:
            return pages.version_signed_download(request._request, version.pk)
        if not permissions.can_download_draft(request.user, version):
            raise Refused("not_found")
        return pages.version_download(request._request, version.pk)


class AssignmentSerializer(ModelSerializer):
    class Meta:
        model = Assignment
        fields = ["id", "participation", "expert", "role", "assigned_at", "ended_at"]
        read_only_fields = fields


class AssignExpertSerializer(serializers.Serializer):
    expert = serializers.IntegerField(min_value=1)
    role = serializers.ChoiceField(Assignment.Role.choices, default=Assignment.Role.LEAD)


class ScheduleSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(min_value=15, max_value=480, default=90)
    mode = serializers.ChoiceField(Mode.choices, default=Mode.ONLINE)
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    meeting_url = serializers.URLField(required=False, allow_blank=True, default="", max_length=500)
    phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    agenda = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class GenerateSerializer(serializers.Serializer):
    language = serializers.ChoiceField(
        [code for code, _name in settings.LANGUAGES], required=False, allow_null=True, default=None
    )


@extend_schema_view(book=extend_schema(responses={201: SessionSerializer}))
class ParticipationViewSet(
    BookingMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet
):
    """Participants: officers all, experts those assigned to them, SMEs their own."""

    serializer_class = ParticipationSerializer
    filterset_fields = ["cohort", "company", "state"]
    search_fields = ["company__legal_name"]
    orderings = {"id": ("id",), "-id": ("-id",)}

    def get_queryset(self):
        return permissions.visible_participations(self.request.user)

    @extend_schema(request=AssignExpertSerializer, responses={201: AssignmentSerializer})
    @action(detail=True, methods=["post"], url_path="assign-expert")
    def assign_expert(self, request, pk=None):
        """Officers make an expert the participant's lead or support expert."""
        participation = self.get_object()
        data = self.read(AssignExpertSerializer)
        expert = get_object_or_404(User.objects.filter(is_active=True), pk=data["expert"])
        assignment = matching.assign_expert(request.user, participation, expert, data["role"])
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ScheduleSerializer, responses={201: SessionSerializer})
    @action(detail=True, methods=["post"], url_path="schedule-session")
    def schedule_session(self, request, pk=None):
        """The participant's expert (or an officer) schedules a session."""
        participation = self.get_object()
        data = self.read(ScheduleSerializer)
        session = session_service.schedule_session(request.user, participation, **data)
        return Response(self.session_data(session), status=201)

    def session_data(self, session):
        context = {"staff": works_with_check(self.request.user)}
        return SessionSerializer(session, context=context).data

    @extend_schema(request=GenerateSerializer, responses={201: PlanVersionSerializer})
    @action(detail=True, methods=["post"], url_path="generate-plan")
    def generate_plan(self, request, pk=None):
        """An expert or officer asks for a new PDF version of the action plan."""
        participation = self.get_object()
        data = self.read(GenerateSerializer)
        version = plan_versions.request_version(request.user, participation, data["language"])
        return Response(PlanVersionSerializer(version).data, status=status.HTTP_201_CREATED)


register("participants", ParticipationViewSet, "participant")
register("sessions", SessionViewSet, "session")
register("plan-versions", PlanVersionViewSet, "plan-version")
