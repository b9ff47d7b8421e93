"""Personal API tokens: made (the secret shown once), used, revoked.

Only the SHA-256 of a token's secret is stored: the secret is 32 random bytes, so a fast hash is
enough (no one guesses it), and a lookup is one indexed query.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import jobs
from ..models import APIAccess, APIToken, IdempotencyKey
from ..transitions import Refused
from . import audit

SECRET_PREFIX = "ipc_"
# A token's last use is written at most this often (not on every request).
LAST_USED_EVERY = timedelta(minutes=5)


def digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user, name, days):
    """Make a token for ``user`` named ``name`` that expires in ``days`` days.

    Checks: 1 <= days <= API_TOKEN_MAX_DAYS; a name. Returns (token, secret): the secret is
    never stored and cannot be shown again. Side-effects: token row; audit record.
    """
    name = (name or "").strip()
    if not name:
        raise Refused("invalid", _("Give the token a name."))
    if not 1 <= int(days) <= settings.API_TOKEN_MAX_DAYS:
        raise Refused(
            "invalid",
            _("A token expires after 1 to %(days)d days.") % {"days": settings.API_TOKEN_MAX_DAYS},
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = APIToken.objects.create(
            user=user,
            name=name[:100],
            prefix=secret[: len(SECRET_PREFIX) + 6],
            digest=digest(secret),
            expires_at=timezone.now() + timedelta(days=int(days)),
        )
        audit.record(token, "api_token_created", actor=user)
    return token, secret


@transaction.atomic
def revoke_token(user, token):
    """Revoke ``token`` of ``user`` (another user's token: not found). A revoked token never
    authenticates again; revoking it twice changes nothing. Side-effects: revoked_at; audit."""
    token = APIToken.objects.select_for_update().filter(pk=token.pk, user=user).first()
    if token is None:
        raise Refused("not_found", _("This token does not exist."))
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(token, "api_token_revoked", actor=user)
    return token


def authenticate(secret):
    """The usable token whose secret is ``secret`` (with its user), or None. Notes the use."""
    if not secret or not secret.startswith(SECRET_PREFIX):
        return None
    token = APIToken.objects.usable().select_related("user").filter(digest=digest(secret)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@jobs.register
def purge_api_logs(now=None):
    """Reads older than API_ACCESS_LOG_DAYS leave the access log; idempotency keys older than
    API_IDEMPOTENCY_HOURS are forgotten. Returns how many rows of each went."""
    now = now or timezone.now()
    reads, _kinds = APIAccess.objects.filter(
        created_at__lt=now - timedelta(days=settings.API_ACCESS_LOG_DAYS)
    ).delete()
    keys, _kinds = IdempotencyKey.objects.filter(
        created_at__lt=now - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    ).delete()
    return {"access_log": reads, "idempotency_keys": keys}
