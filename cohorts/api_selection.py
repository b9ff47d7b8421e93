"""The cohort stage's API for selection: the ranking (officers) and the selection proposals
(officers edit and submit, a lead approves or returns). Thin like the views: querysets come from
``permissions.py``, changes from the services."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from clinic.api.routes import add_path, register
from clinic.api.serializers import ModelSerializer
from clinic.api.views import ClinicAPIView, ClinicViewSet
from clinic.transitions import Refused

from . import permissions
from .models import (
    Cohort,
    Outcome,
    ProposalEntry,
    SelectionProposal,
)
from .services import proposals, publishing
from .services.ranking import rank_applications

# --- ranking (officers) --------------------------------------------------------------------


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    application = serializers.IntegerField(source="pk")
    company = serializers.IntegerField(source="company_id")
    company_name = serializers.CharField()
    tech_title = serializers.CharField()
    state = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    reviews = serializers.IntegerField()
    disagreement = serializers.BooleanField()


class RankingView(ClinicAPIView):
    """Officers: a cohort's eligible applications ranked by their median scores."""

    serializer_class = RankingRowSerializer
    queryset = Cohort.objects.all()
    pagination_class = None

    @extend_schema(responses=RankingRowSerializer(many=True))
    def get(self, request, pk):
        if not permissions.can_manage_reviews(request.user):
            raise Refused("not_found", _("Not found."))
        cohort = get_object_or_404(Cohort, pk=pk)
        rows, _criteria = rank_applications(cohort)
        return Response(RankingRowSerializer(rows, many=True).data)


# --- selection proposals -------------------------------------------------------------------


class ProposalEntrySerializer(ModelSerializer):
    class Meta:
        model = ProposalEntry
        fields = [
            "id",
            "application",
            "plain_rank",
            "score",
            "suggested_outcome",
            "suggested_position",
            "outcome",
            "position",
            "reason",
        ]
        read_only_fields = fields


class ProposalSerializer(ModelSerializer):
    entries = ProposalEntrySerializer(many=True, read_only=True)

    class Meta:
        model = SelectionProposal
        fields = [
            "id",
            "cohort",
            "state",
            "version",
            "entries",
            "proposed_by",
            "submitted_at",
            "approved_by",
            "approved_at",
            "lead_comment",
        ]
        read_only_fields = fields


class ProposalCreateSerializer(serializers.Serializer):
    cohort = serializers.IntegerField(min_value=1)


class EntryChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1)
    outcome = serializers.ChoiceField(Outcome.choices)
    position = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ProposalEditSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The version you read: a later save by someone else answers 409."
    )
    entries = EntryChangeSerializer(many=True, required=False, default=list)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet):
    """Selection proposals: officers who propose and leads who decide. Four-eyes: approve and
    return are refused (403) to a lead who took part in proposing (``approval_refusal``)."""

    serializer_class = ProposalSerializer
    filterset_fields = ["cohort", "state"]
    orderings = {"-id": ("-id",), "id": ("id",)}

    def get_queryset(self):
        user = self.request.user
        if permissions.can_propose(user) or user.has_perm("cohorts.approve_selection"):
            return SelectionProposal.objects.prefetch_related("entries")
        return SelectionProposal.objects.none()

    @extend_schema(request=ProposalCreateSerializer, responses={201: ProposalSerializer})
    def create(self, request):
        """Officers start a cohort's proposal from the suggestion once its call has closed."""
        if not permissions.can_propose(request.user):
            raise Refused("not_found", _("Not found."))
        cohort = get_object_or_404(Cohort, pk=self.read(ProposalCreateSerializer)["cohort"])
        proposal = proposals.start_proposal(request.user, cohort)
        return self.answer(proposal, status.HTTP_201_CREATED)

    def _save(self, submit):
        proposal = self.get_object()
        data = self.read(ProposalEditSerializer)
        rows = {
            entry.pk: (entry.outcome, entry.position, entry.reason)
            for entry in proposal.entries.all()
        }
        if len(data["entries"]) > len(rows):
            message = _("At most %(count)d %(what)s.") % {"count": len(rows), "what": _("entries")}
            raise ValidationError({"entries": [message]})
        for change in data["entries"]:
            if change["id"] not in rows:
                raise Refused("invalid", _("This entry is not part of the proposal."))
            rows[change["id"]] = (change["outcome"], change["position"], change["reason"])
        proposal = proposals.save_proposal(
            self.request.user, proposal, data["version"], rows, submit=submit
        )
        return self.answer(proposal)

    @extend_schema(request=ProposalEditSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"], url_path="save")
    def save_entries(self, request, pk=None):
        """Officers change entries (outcome, waitlist position, reason for a deviation)."""
        return self._save(submit=False)

    @extend_schema(request=ProposalEditSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Officers send the proposal (with any last changes) to the lead for approval."""
        return self._save(submit=True)

    @extend_schema(request=CommentSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """A lead who took no part in the proposal approves it; the decisions are published."""
        proposal = self.get_object()
        data = self.read(CommentSerializer)
        return self.answer(publishing.approve(request.user, proposal, data["comment"]))

    @extend_schema(request=CommentSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """A lead who took no part in the proposal returns it to the officers with a comment."""
        proposal = self.get_object()
        data = self.read(CommentSerializer)
        proposal = publishing.return_proposal(request.user, proposal, data["comment"])
        return self.answer(proposal)


register("proposals", ProposalViewSet, "proposal")

add_path("cohorts/<int:pk>/ranking/", RankingView, "cohort-ranking")
