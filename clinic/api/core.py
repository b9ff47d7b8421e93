"""The core's resources: the caller (``me``) and companies, scoped as the pages scope them."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.response import Response

from .. import permissions
from ..models import Company
from .routes import add_path, register
from .serializers import ModelSerializer
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


class CompanySerializer(ModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = Company
        fields = [
            "id",
            *Company.IDENTITY_FIELDS,
            "size_class",
            "website",
            "description",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CompanyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet):
    """Companies: officers all, representatives their own, assigned experts theirs
    (``permissions.visible_companies``)."""

    serializer_class = CompanySerializer
    filterset_fields = ["green_area", "size_class", "region"]
    search_fields = ["legal_name", "local_name", "registration_number"]
    orderings = {"legal_name": ("legal_name", "id"), "-created_at": ("-created_at", "-id")}

    def get_queryset(self):
        return permissions.visible_companies(self.request.user)


add_path("me/", MeView, "api-me")
register("companies", CompanyViewSet, "company")
