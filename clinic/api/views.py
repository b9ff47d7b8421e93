"""The behaviour every API view shares: state changes carry the token's name into the audit log,
reads go to the access log, and an ``Idempotency-Key`` makes a repeated POST return the first
answer with no second effect."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework import exceptions, generics, serializers, status, viewsets
from rest_framework.response import Response

from .. import ratelimit
from ..models import APIAccess, APIToken, IdempotencyKey
from ..services import audit
from .errors import problem

IDEMPOTENCY_HEADER = "Idempotency-Key"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TooLarge(exceptions.APIException):
    """A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``: DRF reads the stream itself, past Django's
    check of that limit, so the API refuses it before anything reads it."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def refuse_oversized(request):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if limit is not None and length > limit:
        raise TooLarge(_("The request is too large (at most %(limit)d bytes).") % {"limit": limit})


class Replay(Exception):
    """A POST whose Idempotency-Key was seen: answer what was answered the first time."""

    def __init__(self, response):
        self.response = response


def token_name(request):
    return request.auth.name if isinstance(request.auth, APIToken) else ""


def door(request):
    """What the audit log says the change came through."""
    name = token_name(request)
    return f"API token “{name}”" if name else "API (session)"


class ClinicAPIMixin:
    """Mixed into every API view of every stage (``ClinicViewSet`` and ``ClinicAPIView``)."""

    orderings = {"id": ("id",)}

    @classmethod
    def as_view(cls, *args, **kwargs):
        view = super().as_view(*args, **kwargs)
        view.login_required = False  # tokens, not the session: the API answers 401 itself
        return view

    def initial(self, request, *args, **kwargs):
        refuse_oversized(request)
        self.perform_authentication(request)
        if request.user.is_authenticated and request.user.preferred_language:
            translation.activate(request.user.preferred_language)  # messages in their language
        super().initial(request, *args, **kwargs)
        self._via = audit.via(door(request))
        self._via.__enter__()
        key = self.idempotency_key(request)
        if key:
            kept = timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
            stored = IdempotencyKey.objects.filter(
                user=request.user, key=key, created_at__gte=kept
            ).first()
            if stored is not None:
                raise Replay(self.replayed(stored, request))

    def handle_exception(self, exc):
        if isinstance(exc, Replay):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        via = getattr(self, "_via", None)
        if via is not None:
            via.__exit__(None, None, None)
            self._via = None
        response = super().finalize_response(request, response, *args, **kwargs)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        if request.method in SAFE_METHODS:
            self.log_access(request, response)
        elif self.idempotency_key(request) and not response.has_header("Idempotent-Replayed"):
            self.keep_answer(request, response)
        return response

    @staticmethod
    def idempotency_key(request):
        if request.method != "POST":
            return ""
        return request.headers.get(IDEMPOTENCY_HEADER, "").strip()[:200]

    @staticmethod
    def replayed(stored, request):
        if stored.path != request.path:
            return problem(
                "idempotency_key_reused",
                _("This Idempotency-Key was already used for another request."),
                status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return Response(stored.body, status=stored.status, headers={"Idempotent-Replayed": "true"})

    def keep_answer(self, request, response):
        if response.status_code >= 500 or not hasattr(response, "data"):
            return
        try:
            with transaction.atomic():
                IdempotencyKey.objects.create(
                    user=request.user,
                    key=self.idempotency_key(request),
                    method=request.method,
                    path=request.path[:500],
                    status=response.status_code,
                    body=response.data,
                )
        except IntegrityError:
            pass  # the same key at the same moment: the services made it harmless

    @staticmethod
    def log_access(request, response):
        APIAccess.objects.create(
            user=request.user,
            token_name=token_name(request),
            method=request.method,
            path=request.get_full_path()[:500],
            status=response.status_code,
            client_ip=ratelimit.client_ip(request)[:45],
        )


class ClinicViewSet(ClinicAPIMixin, viewsets.GenericViewSet):
    """Base of every API viewset: add the mixins (list, retrieve) and actions it offers.

    An action reads its input with ``self.read(InputSerializer)`` and answers with
    ``self.answer(obj)``: the object as the viewset's serializer shows it after the service ran.
    """

    lookup_value_converter = "int"  # ids are whole numbers: anything else is a 404 by the URL

    def read(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def answer(self, obj, http_status=status.HTTP_200_OK):
        obj.refresh_from_db()
        return Response(self.get_serializer(obj).data, status=http_status)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class Problem(serializers.Serializer):
    """The body of every error answer."""

    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ClinicAPIView(ClinicAPIMixin, generics.GenericAPIView):
    """Base of a single API endpoint that is not a resource (e.g. a cohort's ranking)."""
