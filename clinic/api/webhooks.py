"""Webhooks through the API: officers register endpoints for events and read the deliveries
with the endpoints' answers."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import permissions
from ..models import Webhook, WebhookDelivery
from ..services import webhooks
from .routes import register
from .serializers import ModelSerializer
from .views import ClinicViewSet


class WebhookSerializer(ModelSerializer):
    class Meta:
        model = Webhook
        fields = ["id", "url", "events", "active", "owner", "created_at"]
        read_only_fields = fields


class NewWebhookSerializer(ModelSerializer):
    """The answer to a registration: the only time the signing secret is shown."""

    class Meta:
        model = Webhook
        fields = ["id", "url", "events", "active", "owner", "created_at", "secret"]
        read_only_fields = fields


class WebhookInputSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(child=serializers.ChoiceField(list(webhooks.EVENTS)))


class DeliverySerializer(ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = ["id", "event", "payload", "status", "attempts", "next_attempt_at"]
        fields += ["response_status", "response_body", "error", "created_at", "delivered_at"]
        read_only_fields = fields


class WebhookViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicViewSet):
    """Officers only (everyone else: 404). Deliveries are signed with the webhook's secret:
    ``X-Clinic-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "t." + body>``."""

    serializer_class = WebhookSerializer
    orderings = {"-id": ("-id",), "id": ("id",)}

    def get_queryset(self):
        if permissions.is_officer(self.request.user):
            return Webhook.objects.all()
        return Webhook.objects.none()

    @extend_schema(request=WebhookInputSerializer, responses={201: NewWebhookSerializer})
    def create(self, request):
        """Register an HTTPS endpoint (public addresses only) for some events."""
        if not permissions.is_officer(request.user):
            return self.permission_denied(request)
        data = self.read(WebhookInputSerializer)
        webhook = webhooks.register(request.user, data["url"], data["events"])
        return Response(NewWebhookSerializer(webhook).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=WebhookSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        return self.answer(webhooks.deactivate(request.user, self.get_object()))

    @extend_schema(responses=DeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """The webhook's deliveries, newest first, with the endpoint's answers."""
        deliveries = self.get_object().deliveries.order_by("-id")
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)


register("webhooks", WebhookViewSet, "webhook")
