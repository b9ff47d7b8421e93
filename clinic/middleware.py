from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.views import defaults

from .transitions import Refused


class UserLanguageMiddleware:
    """Signed-in users see the site in their preferred language (the switcher updates it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class NullCharacterMiddleware:
    """A query parameter holding a NUL character is answered 400 at the door: no search or
    filter reaches PostgreSQL with it (which refuses such strings with an error)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in value for _name, values in request.GET.lists() for value in values):
            return defaults.bad_request(request, ValueError("NUL character in the query"))
        return self.get_response(request)


class RefusedMiddleware:
    """A refusal no view caught (a race the view did not expect) is a clear page with the
    refusal's status (404, 403, 409 or 400), never a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Refused):
            return None
        if exception.status == 404:
            return defaults.page_not_found(request, Http404(exception.message))
        if exception.status == 403:
            return defaults.permission_denied(request, PermissionDenied(exception.message))
        if exception.status == 409:
            return render(request, "409.html", {"message": exception.message}, status=409)
        return defaults.bad_request(request, exception)
