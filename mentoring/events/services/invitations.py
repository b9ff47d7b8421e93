"""Invitations: a cohort's companies (all or chosen) or guests by e-mail. Mail goes out when
the event is published (at once for an event already published), once per invitation."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import Company
from clinic.services import audit
from clinic.services.outbox import queue_message
from clinic.transitions import Refused

from .. import permissions
from ..models import Event, Invitation
from ..transitions import CHANGEABLE, EVENT
from .links import guest_path


def check_manager(actor):
    if not permissions.can_manage_events(actor):
        raise Refused("not_permitted", _("Only programme officers manage events."))


def invitable_companies(event):
    """The companies taking part in the event's cohort (or any cohort of its programme)."""
    if event.cohort_id:
        return participating_companies(participations__cohort=event.cohort_id)
    return participating_companies(participations__cohort__programme=event.programme_id)


def participating_companies(**where):
    """Companies with a participation (not dropped out) matching ``where``."""
    return (
        Company.objects.filter(participations__state__in=_active_states(), **where)
        .distinct()
        .order_by("legal_name")
    )


def _active_states():
    from mentoring.models import Participation

    return [s for s in Participation.State.values if s != Participation.State.DROPPED_OUT]


def _locked_open(event):
    stored = EVENT.lock(event)
    if stored.state not in CHANGEABLE:
        raise Refused("wrong_state", _("Invitations are sent for draft and published events only."))
    return stored


@transaction.atomic
def invite_companies(actor, event, companies):
    """Invite companies (a second invitation of the same company changes nothing).

    Side-effects per new invitation: the row; audit "company_invited" on the event; mail
    "event_invitation" to each representative if the event is published.
    """
    check_manager(actor)
    event = _locked_open(event)
    made = []
    for company in companies:
        invitation, created = Invitation.objects.get_or_create(
            event=event, company=company, defaults={"invited_by": actor}
        )
        if created:
            audit.record(event, "company_invited", actor=actor, reason=company.legal_name)
            made.append(invitation)
    if event.state == Event.State.PUBLISHED:
        for invitation in made:
            send(invitation)
    return made


@transaction.atomic
def invite_guest(actor, event, *, email, name="", organisation="", language="en"):
    """Invite a guest (partner, investor, speaker's colleague) by e-mail; the same address
    again returns the first invitation. Side-effects: the row; audit "guest_invited"; mail
    "event_guest_invitation" with the signed link (sensitive) if the event is published."""
    check_manager(actor)
    event = _locked_open(event)
    email = email.strip().lower()
    invitation, created = Invitation.objects.get_or_create(
        event=event,
        company=None,
        email=email,
        defaults={
            "name": name.strip(),
            "organisation": organisation.strip(),
            "language": language,
            "invited_by": actor,
        },
    )
    if created:
        audit.record(event, "guest_invited", actor=actor, reason=email)
        if event.state == Event.State.PUBLISHED:
            send(invitation)
    return invitation


def send_pending(event):
    """Mail every invitation of ``event`` not mailed yet (called when it is published)."""
    pending = event.invitations.filter(sent_at=None).select_related("company", "event")
    for invitation in pending:
        send(invitation)


def send(invitation):
    """Mail one invitation (once: ``sent_at`` is claimed first)."""
    claimed = Invitation.objects.filter(pk=invitation.pk, sent_at=None).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return
    event = invitation.event
    if invitation.is_guest:
        from .mail import Addressee

        to = Addressee(invitation.email, invitation.name, invitation.language)
        context = {"event": event, "url": guest_path(invitation), "invitation": invitation}
        queue_message(to, "event_guest_invitation", context, sensitive=True, related=event)
        return
    context = {"event": event, "company": invitation.company, "url": event_path(event)}
    for representative in invitation.company.representatives.filter(is_active=True):
        queue_message(representative, "event_invitation", context, related=event)


def event_path(event):
    from django.urls import reverse

    return reverse("events:detail", args=[event.pk])
