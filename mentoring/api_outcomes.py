"""The mentoring stage's API for a cohort's outcomes (officers): the outcomes page's table as a
JSON list, or with ``?format=csv`` (or ``Accept: text/csv``) the page's CSV download, built by
the same service and its formula-guarded CSV helper."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import renderers, serializers
from rest_framework.response import Response

from clinic.api.routes import add_path
from clinic.api.views import ClinicAPIView
from clinic.spreadsheets import csv_response
from clinic.transitions import Refused
from cohorts.models import Cohort

from . import permissions
from .api_plans import FollowUpReportSerializer
from .services import follow_up


class CSVRenderer(renderers.BaseRenderer):
    """Lets ``?format=csv`` and ``Accept: text/csv`` choose the CSV answer."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


class OutcomeRowSerializer(serializers.Serializer):
    participation = serializers.IntegerField(source="participation.pk")
    company = serializers.IntegerField(source="participation.company_id")
    company_name = serializers.CharField(source="participation.company.legal_name")
    state = serializers.CharField(source="participation.state")
    actions_done = serializers.IntegerField(source="done")
    actions = serializers.IntegerField(source="total")
    reports = serializers.SerializerMethodField()

    @extend_schema_field(FollowUpReportSerializer(many=True))
    def get_reports(self, row):
        reports = [report for report in row.reports.values() if report is not None]
        return FollowUpReportSerializer(reports, many=True).data


class OutcomesView(ClinicAPIView):
    """Officers: one row per participant with a signed-off plan, with its follow-up reports
    and its action items done (the cohort's outcomes page)."""

    serializer_class = OutcomeRowSerializer
    queryset = Cohort.objects.all()
    pagination_class = None
    renderer_classes = [renderers.JSONRenderer, CSVRenderer]

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        # a refusal is a problem body in JSON, whichever answer was asked for
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return response

    @extend_schema(
        responses={
            (200, "application/json"): OutcomeRowSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
        }
    )
    def get(self, request, pk):
        if not permissions.is_officer(request.user):
            raise Refused("not_found")
        cohort = get_object_or_404(Cohort, pk=pk)
        rows = follow_up.cohort_outcomes(cohort)
        if request.accepted_renderer.format == "csv":
            filename = f"outcomes-{cohort.pk}-{timezone.localdate()}.csv"
            return csv_response(follow_up.outcomes_csv(rows), filename)
        return Response(OutcomeRowSerializer(rows, many=True).data)


add_path("cohorts/<int:pk>/outcomes/", OutcomesView, "cohort-outcomes")
