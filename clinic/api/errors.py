"""Every API error is a problem body ``{"code", "message", "fields"}``, the message in the
caller's language: 400 invalid, 401 not signed in, 403 not permitted, 404 outside the caller's
scope, 409 wrong state or stale, 429 rate limited."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..transitions import Refused


def problem(code, message, http_status, fields=None, headers=None):
    body = {"code": code, "message": str(message), "fields": fields or {}}
    return Response(body, status=http_status, headers=headers)


def field_messages(detail):
    """DRF's or Django's error detail as {field: [message, ...]}."""
    if isinstance(detail, dict):
        return {
            ("non_field_errors" if key == "__all__" else key): [str(m) for m in _as_list(value)]
            for key, value in detail.items()
        }
    return {"non_field_errors": [str(m) for m in _as_list(detail)]}


def form_invalid(form, rename=None):
    """The bound form's errors as the ValidationError the API answers 400 with; ``rename`` maps
    a form field to the name the API gives it."""
    rename = rename or {}
    fields = {}
    for name, errors in form.errors.items():
        fields.setdefault(rename.get(name, name), []).extend(str(error) for error in errors)
    return DjangoValidationError(fields)


def _as_list(value):
    if isinstance(value, (list, tuple)):
        return [item for part in value for item in _as_list(part)]
    if isinstance(value, dict):
        return [item for part in value.values() for item in _as_list(part)]
    return [value]


CODES = {
    exceptions.NotAuthenticated: ("not_authenticated", None),
    exceptions.AuthenticationFailed: ("not_authenticated", None),
    exceptions.PermissionDenied: ("not_permitted", None),
    exceptions.NotFound: ("not_found", None),
    exceptions.MethodNotAllowed: ("method_not_allowed", None),
    exceptions.NotAcceptable: ("not_acceptable", None),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", None),
    exceptions.ParseError: ("invalid", None),
}
TOO_LARGE = 413


def exception_handler(exc, context):
    if isinstance(exc, Refused):
        fields = {str(key): [str(text)] for key, text in exc.details.get("errors", {}).items()}
        return problem(exc.code, exc.message or _("This is not possible."), exc.status, fields)
    if isinstance(exc, DjangoValidationError):
        fields = field_messages(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
        return problem("invalid", _("Please correct the marked fields."), 400, fields)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    headers = {key: value for key, value in response.items() if key != "Content-Type"}
    if isinstance(exc, exceptions.Throttled):
        message = _("Too many requests: try again in %(seconds)d seconds.") % {
            "seconds": exc.wait or 1
        }
        return problem("rate_limited", message, status.HTTP_429_TOO_MANY_REQUESTS, None, headers)
    if isinstance(exc, exceptions.ValidationError):
        fields = field_messages(exc.detail)
        return problem("invalid", _("Please correct the marked fields."), 400, fields, headers)
    if response.status_code == TOO_LARGE:
        return problem("too_large", exc.detail, TOO_LARGE, None, headers)
    code = next((c for cls, (c, _m) in CODES.items() if isinstance(exc, cls)), "error")
    return problem(code, exc.detail, response.status_code, None, headers)
