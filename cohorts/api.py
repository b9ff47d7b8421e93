"""The cohort stage's API: programmes, cohorts and calls (public), applications, screening,
reviews and places (the ranking and selection proposals: api_selection.py). Thin like the views:
querysets come from ``permissions.py``, changes from the services."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from clinic.api.routes import register
from clinic.api.serializers import ModelSerializer, read_at_field
from clinic.api.views import ClinicViewSet, ReasonSerializer
from clinic.permissions import visible_companies
from clinic.transitions import Refused

from . import permissions
from .models import (
    Application,
    Cohort,
    Programme,
    Review,
    RubricCriterion,
)
from .services import applications, confirmation, reviews, screening
from .services.rubric import ensure_rubric

# --- programmes, cohorts and calls (public read) -------------------------------------------


class ProgrammeSerializer(ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "name", "name_zh", "organiser", "partners", "description"]


class CohortSerializer(ModelSerializer):
    stage = serializers.CharField(read_only=True, help_text="upcoming, open, selection, ...")
    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = Cohort
        fields = [
            "id",
            *Cohort.CALL_FIELDS,
            "stage",
            "terms_version",
            "languages",
        ]


class ProgrammeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet):
    """Programmes: anyone may read them."""

    permission_classes = [AllowAny]
    serializer_class = ProgrammeSerializer
    queryset = Programme.objects.all()
    orderings = {"name": ("name", "id"), "id": ("id",)}
    search_fields = ["name", "name_zh", "organiser"]


class CohortFilter(filters.FilterSet):
    class Meta:
        model = Cohort
        fields = {"programme": ["exact"], "applications_close_at": ["gte", "lte"]}


class CriterionSerializer(ModelSerializer):
    class Meta:
        model = RubricCriterion
        fields = ["id", "key", "name", "name_zh", "weight", "order"]
        fields += [f"anchor_{n}{lang}" for n in range(1, 6) for lang in ("", "_zh")]
        read_only_fields = fields


class CohortViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet):
    """Cohorts and their calls for applications: anyone may read them."""

    permission_classes = [AllowAny]
    serializer_class = CohortSerializer
    queryset = Cohort.objects.all()
    filterset_class = CohortFilter
    orderings = {
        "-start_date": ("-start_date", "-id"),
        "applications_close_at": ("applications_close_at", "id"),
        "id": ("id",),
    }
    search_fields = ["name", "name_zh"]

    @extend_schema(responses=CriterionSerializer(many=True))
    @action(
        detail=True, methods=["get"], permission_classes=[IsAuthenticated], pagination_class=None
    )
    def criteria(self, request, pk=None):
        """The cohort's review rubric: reviews score each criterion (by its id) from 1 to 5."""
        criteria = ensure_rubric(self.get_object())
        return Response(CriterionSerializer(criteria, many=True).data)


# --- applications --------------------------------------------------------------------------

EDITABLE = [f for f in applications.DRAFT_FIELDS if f != "pitch_deck"]


class ApplicationSerializer(ModelSerializer):
    has_pitch_deck = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "cohort",
            "company",
            "state",
            *EDITABLE,
            "has_pitch_deck",
            "size_class",
            "submitted_at",
            "info_request",
            "info_due_at",
            "confirm_due_at",
            "waitlist_position",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_has_pitch_deck(self, application) -> bool:
        return bool(application.pitch_deck)


class ApplicationCreateSerializer(serializers.Serializer):
    cohort = serializers.IntegerField(min_value=1)
    company = serializers.IntegerField(min_value=1)


class ApplicationDraftSerializer(ModelSerializer):
    """The draft's fields an SME edits (the pitch deck is uploaded on its page)."""

    updated_at = read_at_field("draft")

    class Meta:
        model = Application
        fields = [*EDITABLE, "updated_at"]


class ScreenSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(["eligible", "ineligible", "needs_info"])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    due_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class ConfirmPlaceSerializer(serializers.Serializer):
    terms_version = serializers.CharField(max_length=20)


class AssignReviewerSerializer(serializers.Serializer):
    reviewer = serializers.IntegerField(min_value=1)


class ReviewSerializer(ModelSerializer):
    scores = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = [
            "id",
            "application",
            "reviewer",
            "state",
            "abstained",
            "comment",
            "scores",
            "assigned_at",
            "submitted_at",
        ]
        read_only_fields = fields

    def get_scores(self, review) -> dict[str, int]:
        return {str(score.criterion_id): score.value for score in review.scores.all()}


class ApplicationFilter(filters.FilterSet):
    class Meta:
        model = Application
        fields = {"cohort": ["exact"], "company": ["exact"], "state": ["exact", "in"]}


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet):
    """Applications as the pages scope them (``permissions.visible_applications``): officers
    all, representatives their company's, reviewers those assigned to them."""

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    orderings = {
        "-created_at": ("-created_at", "-id"),
        "submitted_at": ("submitted_at", "id"),
        "id": ("id",),
    }
    search_fields = ["tech_title", "company__legal_name"]

    def get_queryset(self):
        return permissions.visible_applications(self.request.user)

    @extend_schema(request=ApplicationCreateSerializer, responses={201: ApplicationSerializer})
    def create(self, request):
        """Start a draft for a company the caller represents."""
        data = self.read(ApplicationCreateSerializer)
        cohort = get_object_or_404(Cohort, pk=data["cohort"])
        company = get_object_or_404(visible_companies(request.user), pk=data["company"])
        application = applications.create_draft(request.user, cohort, company)
        return self.answer(application, status.HTTP_201_CREATED)

    @extend_schema(request=ApplicationDraftSerializer, responses=ApplicationSerializer)
    def partial_update(self, request, pk=None):
        """Change a draft (or answer a needs-information request): only the fields sent."""
        application = self.get_object()
        serializer = ApplicationDraftSerializer(application, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        read_at = changes.pop("updated_at", None)
        if read_at is not None and read_at != application.updated_at:
            raise Refused("stale", _("Someone changed this application since you read it."))
        for field, value in changes.items():
            setattr(application, field, value)
        applications.save_draft(request.user, application, list(changes))
        return self.answer(application)

    @extend_schema(request=None, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the application (400 with the missing fields when it is not complete)."""
        return self.answer(applications.submit(request.user, self.get_object()))

    @extend_schema(request=ReasonSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self.get_object()
        data = self.read(ReasonSerializer)
        return self.answer(applications.withdraw(request.user, application, data["reason"]))

    @extend_schema(request=ScreenSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def screen(self, request, pk=None):
        """Officers: confirm eligible, mark ineligible or ask for information."""
        application = self.get_object()
        data = self.read(ScreenSerializer)
        reason = data["reason"]
        if data["decision"] == "eligible":
            application = screening.confirm_eligible(request.user, application, reason)
        elif data["decision"] == "ineligible":
            application = screening.mark_ineligible(request.user, application, reason)
        else:
            application = screening.request_information(
                request.user, application, reason, data["due_at"]
            )
        return self.answer(application)

    @extend_schema(request=ConfirmPlaceSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"], url_path="confirm-place")
    def confirm_place(self, request, pk=None):
        """The SME confirms its place, accepting the programme terms of ``terms_version``."""
        application = self.get_object()
        data = self.read(ConfirmPlaceSerializer)
        confirmation.confirm_place(request.user, application, data["terms_version"])
        return self.answer(application)

    @extend_schema(request=ReasonSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"], url_path="decline-place")
    def decline_place(self, request, pk=None):
        application = self.get_object()
        data = self.read(ReasonSerializer)
        confirmation.decline_place(request.user, application, data["reason"])
        return self.answer(application)

    @extend_schema(request=AssignReviewerSerializer, responses={201: ReviewSerializer})
    @action(detail=True, methods=["post"], url_path="assign-reviewer")
    def assign_reviewer(self, request, pk=None):
        """Officers assign a reviewer (never a representative or a declared conflict)."""
        application = self.get_object()
        data = self.read(AssignReviewerSerializer)
        reviewer = get_object_or_404(reviews.reviewer_pool(), pk=data["reviewer"])
        review = reviews.assign_reviewer(request.user, application, reviewer)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


# --- reviews -------------------------------------------------------------------------------


class ReviewInputSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5, allow_null=True),
        help_text="criterion id -> score 1 to 5",
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    abstained = serializers.BooleanField(required=False, default=False)

    def validate_scores(self, value):
        try:
            return {int(key): score for key, score in value.items()}
        except ValueError as error:
            raise serializers.ValidationError(_("Name each criterion by its id.")) from error


class ReviewFilter(filters.FilterSet):
    class Meta:
        model = Review
        fields = {"application": ["exact"], "state": ["exact"], "reviewer": ["exact"]}


class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet):
    """A reviewer's own reviews (``permissions.reviews_for``); officers every review."""

    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    orderings = {"-assigned_at": ("-assigned_at", "-id"), "id": ("id",)}

    def get_queryset(self):
        user = self.request.user
        if permissions.can_manage_reviews(user):
            reviews_ = Review.objects.all()
        else:
            reviews_ = permissions.reviews_for(user)
        return reviews_.prefetch_related("scores")

    def _save(self, submit):
        review = self.get_object()
        data = self.read(ReviewInputSerializer)
        criteria = len(ensure_rubric(review.application.cohort))
        if len(data["scores"]) > criteria:
            message = _("At most %(count)d %(what)s.") % {"count": criteria, "what": _("criteria")}
            raise ValidationError({"scores": [message]})
        review = reviews.save_review(
            self.request.user,
            review,
            data["scores"],
            data["comment"],
            data["abstained"],
            submit=submit,
        )
        return self.answer(review)

    @extend_schema(request=ReviewInputSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """The reviewer submits their scores (every criterion, unless abstaining)."""
        return self._save(submit=True)

    @extend_schema(request=ReviewInputSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def draft(self, request, pk=None):
        """The reviewer saves scores as a draft."""
        return self._save(submit=False)

    @extend_schema(request=None, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def unassign(self, request, pk=None):
        """Officers take an open review away from its reviewer."""
        return self.answer(reviews.unassign_reviewer(request.user, self.get_object()))


register("programmes", ProgrammeViewSet, "programme")
register("cohorts", CohortViewSet, "cohort")
register("applications", ApplicationViewSet, "application")
register("reviews", ReviewViewSet, "review")
