"""The core's resources: the caller (``me``) and companies, scoped as the pages scope them."""

from django.forms.models import model_to_dict
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.response import Response

from .. import permissions, versioning
from ..forms import CompanyForm
from ..models import Company
from ..services import accounts
from ..transitions import Refused
from .errors import form_invalid
from .routes import add_path, register
from .serializers import ModelSerializer, read_at_field
from .views import ClinicAPIView, ClinicViewSet


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()
    preferred_language = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField(), source="role_names_sorted")


class MeView(ClinicAPIView):
    """Who the token (or session) belongs to, with their roles."""

    serializer_class = MeSerializer
    pagination_class = None

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        user.role_names_sorted = sorted(user.role_names)
        return Response(MeSerializer(user).data)


LANGUAGE_HELP = "A language code of the site: en or zh-hans."


class CompanySerializer(ModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True)
    correspondence_language = serializers.CharField(read_only=True, help_text=LANGUAGE_HELP)

    class Meta:
        model = Company
        fields = [
            "id",
            *Company.IDENTITY_FIELDS,
            "size_class",
            "annual_turnover",
            "turnover_currency",
            "website",
            "description",
            "correspondence_language",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


EDITABLE = CompanyForm._meta.fields


class CompanyUpdateSerializer(ModelSerializer):
    """The profile's fields, checked by the page's form (``CompanyForm``): those sent change."""

    correspondence_language = serializers.CharField(
        required=False, max_length=10, help_text=LANGUAGE_HELP
    )
    updated_at = read_at_field("company")

    class Meta:
        model = Company
        fields = [*EDITABLE, "updated_at"]
        extra_kwargs = {name: {"required": False} for name in EDITABLE}


class ReadAtSerializer(serializers.Serializer):
    updated_at = serializers.DateTimeField(required=False, default=None)


class CompanyFilter(filters.FilterSet):
    """The company list page's filters."""

    region = filters.CharFilter(lookup_expr="icontains", max_length=100)

    class Meta:
        model = Company
        fields = ["green_area", "size_class", "region", "country"]


class CompanyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet):
    """Companies: officers all, representatives their own, assigned experts theirs
    (``permissions.visible_companies``); representatives and officers change the profile."""

    serializer_class = CompanySerializer
    filterset_class = CompanyFilter
    search_fields = ["legal_name", "local_name", "registration_number", "city"]
    orderings = {
        "legal_name": ("legal_name", "id"),
        "-created_at": ("-created_at", "-id"),
        "employees": ("employees", "id"),
        "founding_year": ("founding_year", "id"),
    }

    def get_queryset(self):
        return permissions.visible_companies(self.request.user)

    @extend_schema(request=CompanyUpdateSerializer, responses=CompanySerializer)
    def partial_update(self, request, pk=None):
        """Change the profile through the page's form and service (same checks and audit)."""
        company = self.get_object()
        if not permissions.can_edit_company(request.user, company):
            raise Refused("not_found")
        sent = {name: request.data[name] for name in EDITABLE if name in request.data}
        read_at = self.read(ReadAtSerializer)["updated_at"]
        form = CompanyForm(
            {**model_to_dict(company, fields=EDITABLE), **sent},
            instance=company,
            actor=request.user,
        )
        if not form.is_valid():
            raise form_invalid(form)

        def save():
            current = versioning.lock(company)
            if read_at is not None and read_at != current.updated_at:
                raise versioning.stale()
            accounts.update_company(request.user, form.save(commit=False), form.changed_data)

        if not versioning.save_current(form, save):
            if form.stale:
                raise versioning.stale()
            raise form_invalid(form)
        return self.answer(company)


add_path("me/", MeView, "api-me")
register("companies", CompanyViewSet, "company")
