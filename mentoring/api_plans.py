"""The mentoring stage's API for the plan: the strategy assessment (the lead expert writes and
submits it, an officer returns it), its action items and the SME's follow-up reports. Thin like
the views: querysets come from ``permissions.py``, changes from the services."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from clinic.api.routes import register
from clinic.api.serializers import ModelSerializer, at_most, model_max_length
from clinic.api.views import ClinicViewSet
from clinic.dimensions import Dimension
from clinic.permissions import is_officer

from . import permissions
from .models import (
    ActionItem,
    Assessment,
    DimensionScore,
    FollowUpReport,
)
from .services import action_plan, follow_up
from .services import assessment as assessment_service


class DimensionScoreSerializer(ModelSerializer):
    class Meta:
        model = DimensionScore
        fields = ["dimension", "maturity", "target", "rationale"]


class AssessmentSerializer(ModelSerializer):
    scores = DimensionScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "participation",
            "state",
            "assessed_on",
            "executive_summary",
            "strengths",
            "weaknesses",
            "opportunities",
            "threats",
            "scores",
            "submitted_at",
            "returned_at",
            "return_comment",
        ]
        read_only_fields = fields


class AssessmentCreateSerializer(serializers.Serializer):
    participation = serializers.IntegerField(min_value=1)


def assessment_text(name):
    return serializers.CharField(
        required=False, allow_blank=True, max_length=model_max_length(Assessment, name)
    )


class AssessmentEditSerializer(serializers.Serializer):
    """Limits from the model: the texts' lengths, one score per dimension at most."""

    executive_summary = assessment_text("executive_summary")
    strengths = assessment_text("strengths")
    weaknesses = assessment_text("weaknesses")
    opportunities = assessment_text("opportunities")
    threats = assessment_text("threats")
    assessed_on = serializers.DateField(required=False)
    scores = DimensionScoreSerializer(
        many=True, required=False, default=list, max_length=len(Dimension)
    )


class ReturnCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=model_max_length(Assessment, "return_comment"))


class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet):
    """Strategy assessments: officers and the participant's experts (never the SME)."""

    serializer_class = AssessmentSerializer
    filterset_fields = ["participation", "state"]
    orderings = {"-id": ("-id",), "id": ("id",)}

    def get_queryset(self):
        return assessments_for(self.request.user).prefetch_related("scores")

    @extend_schema(request=AssessmentCreateSerializer, responses={201: AssessmentSerializer})
    def create(self, request):
        """The lead expert opens the participant's assessment (again: the same one)."""
        pk = self.read(AssessmentCreateSerializer)["participation"]
        participation = get_object_or_404(permissions.visible_participations(request.user), pk=pk)
        assessment = assessment_service.start_assessment(request.user, participation)
        return self.answer(assessment, status.HTTP_201_CREATED)

    @extend_schema(request=AssessmentEditSerializer, responses=AssessmentSerializer)
    def partial_update(self, request, pk=None):
        """The lead expert saves the draft: the fields sent and the dimensions' scores."""
        assessment = self.get_object()
        data = self.read(AssessmentEditSerializer)
        scores = {row.pop("dimension"): row for row in data.pop("scores")}
        assessment_service.save_assessment(request.user, assessment, scores=scores, **data)
        return self.answer(assessment)

    @extend_schema(request=None, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """The lead expert submits the assessment for the action plan."""
        return self.answer(assessment_service.submit_assessment(request.user, self.get_object()))

    @extend_schema(request=ReturnCommentSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Officers return a submitted assessment with comments."""
        assessment = self.get_object()
        comment = self.read(ReturnCommentSerializer)["comment"]
        return self.answer(assessment_service.return_assessment(request.user, assessment, comment))


def assessments_for(user):
    """The assessments ``user`` may see (``permissions.can_see_assessment``): officers all,
    experts their participants'."""
    if is_officer(user):
        return Assessment.objects.all()
    if not user.is_authenticated:
        return Assessment.objects.none()
    return Assessment.objects.filter(participation__in=permissions.mentored_participations(user))


class ActionItemSerializer(ModelSerializer):
    class Meta:
        model = ActionItem
        fields = ["id", "assessment", *action_plan.SAVED_FIELDS]
        read_only_fields = ["id", "assessment"]


class NewActionItemSerializer(ActionItemSerializer):
    assessment = serializers.IntegerField(min_value=1)

    class Meta(ActionItemSerializer.Meta):
        read_only_fields = ["id"]


class ActionItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet):
    """Action items of the plans the caller may see; the lead expert adds, changes and
    deletes them until the plan is signed off."""

    serializer_class = ActionItemSerializer
    filterset_fields = ["assessment", "dimension", "policy", "horizon", "status"]
    orderings = {"due_date": ("due_date", "id"), "id": ("id",)}

    def get_queryset(self):
        return ActionItem.objects.filter(assessment__in=assessments_for(self.request.user))

    @extend_schema(request=NewActionItemSerializer, responses={201: ActionItemSerializer})
    def create(self, request):
        data = self.read(NewActionItemSerializer)
        assessments = assessments_for(request.user)
        assessment = get_object_or_404(assessments, pk=data.pop("assessment"))
        item = action_plan.add_item(request.user, assessment, **data)
        return self.answer(item, status.HTTP_201_CREATED)

    @extend_schema(request=ActionItemSerializer, responses=ActionItemSerializer)
    def partial_update(self, request, pk=None):
        item = self.get_object()
        serializer = ActionItemSerializer(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return self.answer(action_plan.change_item(request.user, item, **serializer.validated_data))

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, pk=None):
        action_plan.delete_item(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class FollowUpReportSerializer(ModelSerializer):
    class Meta:
        model = FollowUpReport
        fields = ["id", "participation", "round", "due_on", "state", "progress", "filings"]
        fields += ["registrations", "licences", "finance_raised", "finance_currency"]
        fields += ["satisfaction", "comments", "self_levels", "confirmed_levels", "submitted_at"]
        read_only_fields = fields


class ProgressSerializer(serializers.Serializer):
    status = serializers.CharField(max_length=20)
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=FollowUpReport.PROGRESS_NOTE_MAX
    )


class FollowUpSubmitSerializer(serializers.Serializer):
    progress = serializers.DictField(
        child=ProgressSerializer(),
        required=False,
        default=dict,
        validators=[at_most(ActionItem.PER_PLAN_MAX, _("actions"))],
    )
    filings = serializers.IntegerField(min_value=0, default=0)
    registrations = serializers.IntegerField(min_value=0, default=0)
    licences = serializers.IntegerField(min_value=0, default=0)
    finance_raised = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, default=0
    )
    finance_currency = serializers.CharField(max_length=3, default="CNY")
    satisfaction = serializers.IntegerField(min_value=1, max_value=5, allow_null=True, default=None)
    comments = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=model_max_length(FollowUpReport, "comments"),
    )
    levels = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=4),
        required=False,
        allow_null=True,
        validators=[at_most(len(Dimension), _("dimensions"))],
    )

    def validate_progress(self, value):
        if not all(str(key).isdigit() for key in value):
            raise serializers.ValidationError(_("Name each action item by its id."))
        return {str(key): item for key, item in value.items()}


class FollowUpReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet):
    """Follow-up reports, as their participant's scope; the representatives submit them."""

    serializer_class = FollowUpReportSerializer
    filterset_fields = ["participation", "round", "state"]
    orderings = {"due_on": ("due_on", "id"), "-id": ("-id",)}

    def get_queryset(self):
        visible = permissions.visible_participations(self.request.user).values("pk")
        return FollowUpReport.objects.filter(participation__in=visible)

    @extend_schema(request=FollowUpSubmitSerializer, responses=FollowUpReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """The company's representative submits the report (12 months: with its re-rating)."""
        report = self.get_object()
        data = self.read(FollowUpSubmitSerializer)
        progress = data.pop("progress")
        report = follow_up.submit_report(request.user, report, progress=progress, **data)
        return self.answer(report)


register("follow-up-reports", FollowUpReportViewSet, "follow-up-report")
register("action-items", ActionItemViewSet, "action-item")
register("assessments", AssessmentViewSet, "assessment")
