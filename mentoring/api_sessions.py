"""The mentoring stage's API for the SME's side of sessions: the offered slots of its experts,
booking one, moving a planned session to another offered time, rating a held session; and the
expert's (or an officer's) reschedule. The actions are mixed into the participant and session
viewsets (api.py, which documents their session answers) and call the same services as the
pages."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from clinic.api.serializers import ModelSerializer
from clinic.transitions import Refused

from . import permissions
from .models import OfferedSlot, Rating, Session
from .services import session_notes, slot_moves, slots
from .services import sessions as session_service


class SlotSerializer(ModelSerializer):
    class Meta:
        model = OfferedSlot
        fields = ["id", "expert", "starts_at", "duration_minutes", "mode", "address"]
        fields += ["meeting_url", "phone"]
        read_only_fields = fields


class BookSerializer(serializers.Serializer):
    slot = serializers.IntegerField(min_value=1)
    agenda = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class MoveSerializer(serializers.Serializer):
    slot = serializers.IntegerField(min_value=1)


class RescheduleSerializer(ModelSerializer):
    """The fields sent change (the same values again change nothing); limits from the model."""

    sequence = serializers.IntegerField(
        required=False, help_text="The sequence you read: a change since answers 409 stale."
    )
    duration_minutes = serializers.IntegerField(min_value=15, max_value=480, required=False)

    class Meta:
        model = Session
        fields = ["sequence", *session_service.MEETING_FIELDS, "agenda"]
        extra_kwargs = {name: {"required": False} for name in fields}
        extra_kwargs["agenda"]["max_length"] = 5000


class SessionRatingSerializer(ModelSerializer):
    class Meta:
        model = Rating
        fields = ["session", "score", "comment", "created_at"]
        read_only_fields = ["session", "created_at"]
        extra_kwargs = {"comment": {"max_length": 5000, "required": False}}


def free_slots(offered):
    return Response(SlotSerializer(offered.order_by("starts_at", "id"), many=True).data)


class BookingMixin:
    """Participant actions: the SME lists its experts' free slots and books one."""

    @extend_schema(responses=SlotSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def slots(self, request, pk=None):
        """Free future slots of the participant's experts (the company's representatives)."""
        participation = self.get_object()
        if not permissions.can_book(request.user, participation):
            raise Refused("not_found")
        return free_slots(slots.bookable_slots(participation))

    @extend_schema(request=BookSerializer)
    @action(detail=True, methods=["post"])
    def book(self, request, pk=None):
        """Book an offered slot as a session (both sides get the invitation); booking the
        same slot again answers the session booked the first time."""
        participation = self.get_object()
        if not permissions.can_book(request.user, participation):
            raise Refused("not_found")
        data = self.read(BookSerializer)
        slot = get_object_or_404(OfferedSlot, pk=data["slot"])
        session = slots.book_slot(request.user, participation, slot, data["agenda"])
        return Response(self.session_data(session), status=status.HTTP_201_CREATED)


class SessionMovesMixin:
    """Session actions: the SME moves a planned session to another offered time and rates a
    held one; the expert or an officer reschedules it."""

    @extend_schema(responses=SlotSerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        url_path="move-slots",
        pagination_class=None,
        filter_backends=[],
    )
    def move_slots(self, request, pk=None):
        """The free slots of the session's expert it may move to (the SME)."""
        session = self.get_object()
        if not permissions.can_move_session(request.user, session):
            raise Refused("not_permitted")
        return free_slots(slot_moves.move_slots(session))

    @extend_schema(request=MoveSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """The SME moves the planned session to another slot its expert offers."""
        session = self.get_object()
        slot = get_object_or_404(OfferedSlot, pk=self.read(MoveSerializer)["slot"])
        return self.answer(slot_moves.move_to_slot(request.user, session, slot))

    @extend_schema(request=RescheduleSerializer)
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        """The expert or an officer changes the time, place or agenda (a new invitation)."""
        session = self.get_object()
        changes = dict(self.read(RescheduleSerializer))
        read = changes.pop("sequence", None)
        if read is not None and read != session.sequence:
            raise Refused("stale", _("Someone changed this session since you read it."))
        return self.answer(session_service.reschedule_session(request.user, session, **changes))

    @extend_schema(request=SessionRatingSerializer, responses=SessionRatingSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        """The SME rates a held session from 1 to 5 (a later rating replaces it)."""
        session = self.get_object()
        data = self.read(SessionRatingSerializer)
        rating = session_notes.rate_session(
            request.user, session, data["score"], data.get("comment", "")
        )
        return Response(SessionRatingSerializer(rating).data)
