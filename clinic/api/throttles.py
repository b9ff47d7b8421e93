from rest_framework.throttling import BaseThrottle

from .. import ratelimit
from ..models import APIToken


class RateLimitThrottle(BaseThrottle):
    """The API's limits through the system's one limiter (``clinic.ratelimit``): per token
    (``api_token``), per user (``api_user``, all their tokens and their session together) and,
    without credentials, per client IP (``api_anonymous``)."""

    def limits(self, request):
        if not request.user.is_authenticated:
            return [("api_anonymous", ratelimit.client_ip(request))]
        limits = [("api_user", request.user.pk)]
        if isinstance(request.auth, APIToken):
            limits.insert(0, ("api_token", request.auth.pk))
        return limits

    def allow_request(self, request, view):
        self.used_up = None
        for name, ident in self.limits(request):
            if not ratelimit.hit(name, ident):
                self.used_up = name
                return False
        return True

    def wait(self):
        return ratelimit.retry_after(self.used_up) if self.used_up else None
