"""The signed invitation link of a guest: it names the invitation and its event and nothing
else (its own salt: no other signed value of the system opens it), so a guest reaches their one
event without an account and cannot guess another's. A link expires: at most
``EVENT_GUEST_LINK_MAX_AGE_DAYS`` after it was made (each mail carries a fresh one) and
``EVENT_GUEST_LINK_DAYS_AFTER_END`` after its event ended."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

SALT = "events.guest-invitation"


def guest_token(invitation):
    return signing.dumps({"invitation": invitation.pk, "event": invitation.event_id}, salt=SALT)


@dataclass(frozen=True)
class GuestLink:
    """What a guest link opens: its invitation (None for a bad or altered link) and whether it
    expired (the invitation is then named only to show which event the link was for)."""

    invitation: object = None
    expired: bool = False


def read_link(token, now=None):
    """The guest invitation ``token`` was made for and whether the link has expired."""
    from ..models import Invitation

    max_age = timedelta(days=settings.EVENT_GUEST_LINK_MAX_AGE_DAYS)
    expired = False
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        expired = True
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return GuestLink()
    if not isinstance(data, dict) or not all(
        isinstance(data.get(key), int) for key in ("invitation", "event")
    ):
        return GuestLink()
    invitation = (
        Invitation.objects.filter(pk=data["invitation"], event=data["event"], company__isnull=True)
        .select_related("event__programme", "event__cohort")
        .first()
    )
    if invitation is None:
        return GuestLink()
    after_end = timedelta(days=settings.EVENT_GUEST_LINK_DAYS_AFTER_END)
    if invitation.event.ends_at + after_end <= (now or timezone.now()):
        expired = True
    return GuestLink(invitation, expired)


def invitation_from(token):
    """The guest invitation of a valid, unexpired link, or None."""
    link = read_link(token)
    return None if link.expired else link.invitation


def guest_path(invitation):
    return reverse("events:guest", args=[guest_token(invitation)])


def page_path(registration):
    """Where the registered person sees the event: the guest link for a guest invitation."""
    if registration.invitation.is_guest:
        return guest_path(registration.invitation)
    return reverse("events:detail", args=[registration.event_id])
