"""IP audits through the API: read as the pages scope them, answers and submission by the
company's representatives, return by officers and the assigned expert (same services)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import permissions
from ..models import IPAudit
from ..services import ipaudit
from .routes import register
from .serializers import ModelSerializer
from .views import ClinicViewSet


class AnswerSerializer(serializers.Serializer):
    question_key = serializers.CharField(max_length=50)
    value = serializers.CharField(allow_blank=True, max_length=20000)
    note = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)


class QuestionSerializer(serializers.Serializer):
    key = serializers.CharField()
    type = serializers.CharField()
    dimension = serializers.IntegerField()
    required = serializers.BooleanField(default=False)
    text = serializers.JSONField(required=False)
    options = serializers.JSONField(required=False)


class IPAuditSerializer(ModelSerializer):
    answers = serializers.SerializerMethodField()

    class Meta:
        model = IPAudit
        fields = ["id", "company", "version", "state", "scores", "due_at", "submitted_at"]
        fields += ["answers", "updated_at"]
        read_only_fields = fields

    def get_answers(self, audit) -> dict[str, str]:
        return {answer.question_key: answer.value for answer in audit.answers.all()}


class ReturnSerializer(serializers.Serializer):
    comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text="dimension number -> comment on that section",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_comments(self, value):
        try:
            return {int(key): text for key, text in value.items()}
        except ValueError as error:
            raise serializers.ValidationError("dimension numbers") from error


class IPAuditViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet):
    """IP audits: officers all, representatives and assigned experts the company's."""

    serializer_class = IPAuditSerializer
    filterset_fields = ["company", "state"]
    orderings = {"-id": ("-id",), "id": ("id",)}

    def get_queryset(self):
        return permissions.visible_audits(self.request.user).prefetch_related("answers")

    @extend_schema(responses=QuestionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def questions(self, request, pk=None):
        """The audit's questions in questionnaire order (key, type, dimension, texts)."""
        return Response(QuestionSerializer(self.get_object().version.questions(), many=True).data)

    @extend_schema(request=AnswerSerializer, responses=IPAuditSerializer)
    @action(detail=True, methods=["post"], url_path="answer", url_name="answer")
    def save_answer(self, request, pk=None):
        """A representative saves one answer of the open audit."""
        audit = self.get_object()
        data = self.read(AnswerSerializer)
        ipaudit.save_answer(request.user, audit, data["question_key"], data["value"], data["note"])
        return self.answer(audit)

    @extend_schema(request=None, responses=IPAuditSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """A representative submits the audit (every required question answered)."""
        return self.answer(ipaudit.submit_audit(request.user, self.get_object()))

    @extend_schema(request=ReturnSerializer, responses=IPAuditSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Officers and the assigned expert return a submitted audit with comments."""
        audit = self.get_object()
        data = self.read(ReturnSerializer)
        audit = ipaudit.return_audit(request.user, audit, data["comments"], data["note"])
        return self.answer(audit)


register("audits", IPAuditViewSet, "audit")
