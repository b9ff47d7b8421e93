"""The signed invitation link of a guest: it names the invitation and nothing else, so a guest
reaches their one event without an account and cannot guess another's."""

from django.core import signing
from django.urls import reverse

SALT = "events.guest-invitation"


def guest_token(invitation):
    return signing.dumps({"invitation": invitation.pk, "event": invitation.event_id}, salt=SALT)


def invitation_from(token):
    """The guest invitation the token was made for, or None (bad or altered token)."""
    from ..models import Invitation

    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return (
        Invitation.objects.filter(
            pk=data.get("invitation"), event=data.get("event"), company__isnull=True
        )
        .select_related("event__programme", "event__cohort")
        .first()
    )


def guest_path(invitation):
    return reverse("events:guest", args=[guest_token(invitation)])


def page_path(registration):
    """Where the registered person sees the event: the guest link for a guest invitation."""
    if registration.invitation.is_guest:
        return guest_path(registration.invitation)
    return reverse("events:detail", args=[registration.event_id])
