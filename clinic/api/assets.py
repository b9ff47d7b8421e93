"""IP assets through the API: the register as the pages scope it (the companies the caller sees)
and the CSV import of the page, with its all-or-nothing rule and its problems per row, posted as
a multipart upload (``file``) or as the CSV itself (``Content-Type: text/csv``)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, parsers, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import permissions
from ..forms import whole_number
from ..forms_ipaudit import AssetImportForm
from ..models import IPAsset
from ..services import assets
from ..transitions import Refused
from .errors import form_invalid, problem
from .routes import register
from .serializers import ModelSerializer
from .views import ClinicViewSet


class CSVParser(parsers.BaseParser):
    """A CSV body as it came (the import decodes UTF-8 or GB18030 itself)."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read()


class AssetSerializer(ModelSerializer):
    class Meta:
        model = IPAsset
        fields = ["id", "company", *IPAsset.REGISTER_FIELDS, "created_at", "updated_at"]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="UTF-8 (or GB18030) CSV, at most 1 MB.")


class ImportedSerializer(serializers.Serializer):
    imported = serializers.IntegerField()
    assets = AssetSerializer(many=True)


def import_problem(error):
    """The import's problems as a 400 problem body: ``fields`` maps a row's line number (or
    ``file`` for the file as a whole) to its messages."""
    fields = {}
    for line, message in error.problems:
        fields.setdefault(str(line) if line is not None else "file", []).append(str(message))
    message = _("Nothing was imported. Correct these rows and upload the file again:")
    return problem("invalid", message, status.HTTP_400_BAD_REQUEST, fields)


class AssetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet):
    """IP assets of the companies the caller sees (``permissions.visible_companies``)."""

    serializer_class = AssetSerializer
    filterset_fields = ["company", "asset_type", "status", "business_relevance"]
    search_fields = ["title", "number", "owner"]
    orderings = {"id": ("id",), "renewal_date": ("renewal_date", "id")}

    def get_queryset(self):
        companies = permissions.visible_companies(self.request.user).values("pk")
        return IPAsset.objects.filter(company__in=companies)

    @extend_schema(
        parameters=[OpenApiParameter("company", int, required=True)],
        request={
            "multipart/form-data": ImportUploadSerializer,
            "text/csv": OpenApiTypes.STR,
        },
        responses={201: ImportedSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[parsers.MultiPartParser, CSVParser],
        filterset_fields=[],
    )
    def import_csv(self, request):
        """Import the company's assets from a CSV file (the page's template columns): every row
        valid, or nothing is imported and each row's problems are answered."""
        company_pk = whole_number(request.query_params.get("company"))
        company = get_object_or_404(permissions.visible_companies(request.user), pk=company_pk)
        if not permissions.can_edit_assets(request.user, company):
            raise Refused("not_found")
        if isinstance(request.data, bytes):
            files = {"file": SimpleUploadedFile("assets.csv", request.data, "text/csv")}
        else:
            files = request.FILES
        form = AssetImportForm({}, files)
        if not form.is_valid():
            raise form_invalid(form)
        try:
            imported = assets.import_csv(request.user, company, form.cleaned_data["file"].read())
        except assets.AssetImportError as error:
            return import_problem(error)
        body = {"imported": len(imported), "assets": imported}
        return Response(ImportedSerializer(body).data, status=status.HTTP_201_CREATED)


register("assets", AssetViewSet, "asset")
