"""One rate limiter for the whole system: views, services and (later) the API call it.

Limits are settings (``RATE_LIMITS``: name -> (count, period in seconds)). Counters live in a
Django cache (``RATE_LIMIT_CACHE``), so any cache backend works: local memory in development,
Redis when ``REDIS_URL`` is set. Each limit counts in fixed windows of its period, keyed by a
hash of what is limited (a client IP, an email address). When the cache raises, the limiter
lets the request through and logs a warning (fails open): a cache outage is never an error page.
"""

import hashlib
import ipaddress
import logging
import math
import time

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# What the 429 page says was too much, per limit.
REASONS = {
    "signup": _("There were too many sign-ups from your network in the last hour."),
    "login_failure": _("There were too many failed log-ins from your network."),
    "verification_mail": _("We already sent several messages to this address in the last hour."),
    "invitation_mail": _("We already sent several messages to this address in the last hour."),
    "reset_mail": _("We already sent several messages to this address in the last hour."),
}


class RateLimited(Exception):
    """A limit is used up; ``retry_after`` seconds until its window ends."""

    def __init__(self, name, retry_after):
        super().__init__(f"rate limit {name!r} used up, retry after {retry_after} s")
        self.name = name
        self.retry_after = retry_after

    @property
    def minutes(self):
        return max(1, math.ceil(self.retry_after / 60))

    @property
    def reason(self):
        return REASONS.get(self.name, _("There were too many requests."))


def client_ip(request):
    """The client's address, also used by django-axes (``AXES_CLIENT_IP_CALLABLE``).

    ``TRUSTED_PROXY_COUNT`` = 0: ``REMOTE_ADDR``. N > 0: the Nth address from the right of
    X-Forwarded-For, the one the outermost of our N proxies saw (addresses further left are
    whatever the client claimed). A missing, short or malformed header gives ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote


def _rule(name):
    count, period = settings.RATE_LIMITS[name]
    return count, period


def _key(name, ident, period, now):
    digest = hashlib.sha256(f"{name}:{str(ident).strip().lower()}".encode()).hexdigest()[:40]
    return f"{settings.RATE_LIMIT_KEY_PREFIX}:{name}:{digest}:{int(now // period)}"


def hit(name, ident, *, now=None):
    """Count one event of ``ident`` against limit ``name``; True while within the limit."""
    count, period = _rule(name)
    key = _key(name, ident, period, time.time() if now is None else now)
    cache = caches[settings.RATE_LIMIT_CACHE]
    try:
        cache.add(key, 0, timeout=period)
        try:
            used = cache.incr(key)
        except ValueError:  # the counter expired between add and incr
            cache.set(key, 1, timeout=period)
            used = 1
    except Exception:
        logger.warning("Rate limit %s not counted: the cache failed", name, exc_info=True)
        return True
    return used <= count


def exceeded(name, ident, *, now=None):
    """True when ``ident`` has used up limit ``name`` in this window (counts nothing)."""
    count, period = _rule(name)
    key = _key(name, ident, period, time.time() if now is None else now)
    try:
        used = caches[settings.RATE_LIMIT_CACHE].get(key, 0)
    except Exception:
        logger.warning("Rate limit %s not checked: the cache failed", name, exc_info=True)
        return False
    return used >= count


def retry_after(name, *, now=None):
    _count, period = _rule(name)
    now = time.time() if now is None else now
    return max(1, math.ceil(period - now % period))


def check(name, ident, *, now=None):
    """Count one event; raise RateLimited when it goes over limit ``name``."""
    if not hit(name, ident, now=now):
        raise RateLimited(name, retry_after(name, now=now))


def refuse(name, ident, *, now=None):
    """Raise RateLimited when limit ``name`` is used up (counts nothing)."""
    if exceeded(name, ident, now=now):
        raise RateLimited(name, retry_after(name, now=now))


def too_many_requests(request, refusal, template_name="429.html", context=None):
    """The 429 answer: ``template_name`` (a form page keeps what was typed) with the reason."""
    context = {**(context or {}), "rate_limited": refusal}
    response = render(request, template_name, context, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    return response


class RateLimitMiddleware:
    """Any RateLimited that a view does not answer itself becomes the 429 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            return too_many_requests(request, exception)
        return None


class LoginRateLimitBackend:
    """First authentication backend: refuses every log-in from a client IP whose failed log-ins
    used up ``login_failure`` (successful log-ins never count), whichever door (login page,
    admin, API). It has no ``get_user``: it never signs anybody in."""

    def authenticate(self, request, **credentials):
        if request is not None:
            refuse("login_failure", client_ip(request))
        return None


def count_login_failure(sender, credentials, request=None, **kwargs):
    """``user_login_failed`` receiver: one failure against the client IP."""
    if request is not None:
        hit("login_failure", client_ip(request))
