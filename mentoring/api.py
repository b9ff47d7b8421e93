"""The mentoring stage's API: participants, sessions (never private notes), plan versions (the
SME downloads signed ones only). Thin like the views: scopes from ``permissions.py``, changes
through the services."""

from django.http import HttpResponse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action

from clinic.api.routes import register
from clinic.api.views import ClinicViewSet, ReasonSerializer
from clinic.permissions import is_officer
from clinic.transitions import Refused

from . import permissions
from .models import Participation, PlanVersion, Session
from .services import plan_versions
from .services import sessions as session_service
from .services.calendar import CONTENT_TYPE, ics_filename, session_ics


class ParticipationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Participation
        fields = ["id", "application", "cohort", "company", "state"]
        read_only_fields = fields


class ParticipationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet):
    """Participants: officers all, experts those assigned to them, SMEs their own."""

    serializer_class = ParticipationSerializer
    filterset_fields = ["cohort", "company", "state"]
    search_fields = ["company__legal_name"]
    orderings = {"id": ("id",), "-id": ("-id",)}

    def get_queryset(self):
        return permissions.visible_participations(self.request.user)


class SharedNoteSerializer(serializers.Serializer):
    summary = serializers.CharField()
    dimensions = serializers.ListField(child=serializers.IntegerField())
    recommendations = serializers.CharField()
    shared_at = serializers.DateTimeField(allow_null=True)


class SessionSerializer(serializers.ModelSerializer):
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


class SessionFilter(filters.FilterSet):
    class Meta:
        model = Session
        fields = {
            "participation": ["exact"],
            "expert": ["exact"],
            "status": ["exact"],
            "starts_at": ["gte", "lte"],
        }


class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet):
    """Sessions follow their participant's scope (``permissions.visible_sessions``)."""

    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    orderings = {"starts_at": ("starts_at", "id"), "-starts_at": ("-starts_at", "-id")}

    def get_queryset(self):
        return permissions.visible_sessions(self.request.user).select_related("note")

    def get_serializer_context(self):
        """Whether the caller works with a participant (officer or its expert), asked once."""
        user = self.request.user
        if is_officer(user):
            staff = lambda participation_id: True  # noqa: E731
        else:
            mentored = set(permissions.mentored_participations(user).values_list("pk", flat=True))
            staff = mentored.__contains__
        return {**super().get_serializer_context(), "staff": staff}

    @extend_schema(request=ReasonSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Either side (or an officer) cancels a planned session; both sides are told."""
        session = self.get_object()
        data = self.read(ReasonSerializer)
        return self.answer(session_service.cancel_session(request.user, session, data["reason"]))

    @extend_schema(responses={(200, CONTENT_TYPE): OpenApiTypes.STR})
    @action(detail=True, methods=["get"])
    def ics(self, request, pk=None):
        """The session as an iCalendar file."""
        session = self.get_object()
        response = HttpResponse(session_ics(session), content_type=f"{CONTENT_TYPE}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{ics_filename(session)}"'
        return response


class PlanVersionSerializer(serializers.ModelSerializer):
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


register("participants", ParticipationViewSet, "participant")
register("sessions", SessionViewSet, "session")
register("plan-versions", PlanVersionViewSet, "plan-version")
