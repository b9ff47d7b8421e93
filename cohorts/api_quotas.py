"""The cohort stage's API for quota rules: officers list, add, change and remove a cohort's rules
through the page's form (the same validation and stale check) and service, and read whether the
rules can hold together. Once the proposal is with the lead or published, the rules are read-only
(409), as on the page."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from clinic import versioning
from clinic.api.errors import form_invalid
from clinic.api.routes import register
from clinic.api.serializers import ModelSerializer
from clinic.api.views import ClinicViewSet
from clinic.forms import whole_number
from clinic.transitions import Refused

from . import permissions
from .forms_selection import QuotaRuleForm
from .models import Cohort, QuotaDimension, QuotaRule, SelectionProposal
from .services import quotas
from .transitions import PROPOSAL

# The form's field that holds the value of each dimension.
VALUE_FIELD = {
    QuotaDimension.GREEN_AREA: "area",
    QuotaDimension.SIZE_CLASS: "size",
    QuotaDimension.REGION: "region",
}
VALUE_NAMES = {field: "value" for field in VALUE_FIELD.values()}
STAMPED = [*QuotaRuleForm._meta.fields, *QuotaRuleForm.stamp_fields]


class QuotaRuleSerializer(ModelSerializer):
    label = serializers.CharField(read_only=True)
    stamp = serializers.SerializerMethodField(
        help_text="Send it back with a change: when someone changed the rule since, 409 stale."
    )

    class Meta:
        model = QuotaRule
        fields = ["id", "cohort", "dimension", "value", "minimum", "maximum", "label", "stamp"]
        fields += ["created_at"]
        read_only_fields = fields

    def get_stamp(self, rule) -> str:
        return versioning.row_stamp(rule, STAMPED)


class QuotaRuleInputSerializer(serializers.Serializer):
    """What the page's form takes: checked by that form (``QuotaRuleForm``)."""

    dimension = serializers.ChoiceField(QuotaDimension.choices, required=False)
    value = serializers.CharField(required=False, allow_blank=True, max_length=100)
    minimum = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    maximum = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    stamp = serializers.CharField(required=False, allow_blank=True, max_length=64)


class NewQuotaRuleSerializer(QuotaRuleInputSerializer):
    cohort = serializers.IntegerField(min_value=1)
    dimension = serializers.ChoiceField(QuotaDimension.choices)


class FeasibilitySerializer(serializers.Serializer):
    cohort = serializers.IntegerField()
    candidates = serializers.IntegerField(help_text="Reviewed applications awaiting a decision.")
    problems = serializers.ListField(
        child=serializers.CharField(), help_text="Rules that cannot all be met (none: feasible)."
    )
    editable = serializers.BooleanField(help_text="False once the proposal is with the lead.")


def save_through_form(user, instance, data):
    """Save ``data`` (the rule's values as the API names them) through the page's form and the
    service; raises 400 with the form's errors, 409 when stale or no longer editable."""
    values = {name: data.get(name) for name in ("dimension", "minimum", "maximum")}
    posted = {name: "" if value is None else value for name, value in values.items()}
    field = VALUE_FIELD.get(data.get("dimension"))
    if field:
        posted[field] = data.get("value") or ""
    posted[versioning.STAMP] = data.get("stamp") or ""
    form = QuotaRuleForm(posted, instance=instance)
    if not form.is_valid():
        raise form_invalid(form, VALUE_NAMES)
    rule = form.save(commit=False)
    if versioning.save_current(form, lambda: quotas.save_quota_rule(user, rule)):
        return rule
    if form.stale:
        raise versioning.stale()
    raise form_invalid(form, VALUE_NAMES)


class QuotaRuleViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, ClinicViewSet
):
    """Quota rules of the cohorts' selections: officers and leads (everyone else: 404)."""

    serializer_class = QuotaRuleSerializer
    filterset_fields = ["cohort", "dimension"]
    orderings = {"id": ("id",), "-id": ("-id",)}

    def get_queryset(self):
        if permissions.can_see_selection(self.request.user):
            return QuotaRule.objects.all()
        return QuotaRule.objects.none()

    @extend_schema(request=NewQuotaRuleSerializer, responses={201: QuotaRuleSerializer})
    def create(self, request):
        """Add a rule to a cohort (at least and/or at most so many selected with one value)."""
        if not permissions.can_see_selection(request.user):
            raise Refused("not_found", _("Not found."))
        data = self.read(NewQuotaRuleSerializer)
        cohort = get_object_or_404(Cohort, pk=data["cohort"])
        rule = save_through_form(request.user, QuotaRule(cohort=cohort), data)
        return self.answer(rule, status.HTTP_201_CREATED)

    @extend_schema(request=QuotaRuleInputSerializer, responses=QuotaRuleSerializer)
    def partial_update(self, request, pk=None):
        """Change a rule: the values sent, with the ``stamp`` you read (409 when stale)."""
        rule = self.get_object()
        data = self.read(QuotaRuleInputSerializer)
        current = {name: getattr(rule, name) for name in ("dimension", "value")}
        current |= {name: getattr(rule, name) for name in ("minimum", "maximum")}
        return self.answer(save_through_form(request.user, rule, {**current, **data}))

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        """Remove a rule (409 once the proposal is with the lead or published)."""
        quotas.delete_quota_rule(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[OpenApiParameter("cohort", int, required=True)],
        responses=FeasibilitySerializer,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def feasibility(self, request):
        """Whether the cohort's rules can hold together with its reviewed applications."""
        if not permissions.can_see_selection(request.user):
            raise Refused("not_found", _("Not found."))
        cohort = get_object_or_404(Cohort, pk=whole_number(request.query_params.get("cohort")))
        candidates = quotas.candidates_for(cohort)
        proposal = SelectionProposal.objects.filter(cohort=cohort).first()
        editable = proposal is None or PROPOSAL.allows(proposal.state, "proposal_submitted")
        body = {
            "cohort": cohort.pk,
            "candidates": len(candidates),
            "problems": [str(p) for p in quotas.feasibility_problems(cohort, candidates)],
            "editable": editable,
        }
        return Response(FeasibilitySerializer(body).data)


register("quota-rules", QuotaRuleViewSet, "quota-rule")
