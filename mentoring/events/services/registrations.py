"""Registrations: register named people (seated or waitlisted), cancel, seat the waitlist,
reminders at the cohort's lead time.

Seats are counted with the event row locked (``select_for_update``; SQLite transactions are
IMMEDIATE), so two people taking the last seat at once get one seat and one waitlist place.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic import jobs
from clinic.services import audit
from clinic.transitions import Refused

from .. import permissions
from ..models import Event, Registration
from ..transitions import EVENT, REGISTRATION
from .mail import notify

State = Registration.State
DEFAULT_LEAD_DAYS = 2


def seats_taken(event):
    return event.registrations.filter(state__in=Registration.SEATED).count()


def move(actor, registration, to, action, reason=""):
    """One registration move (audited before -> after); ``False`` when it was already there."""
    return REGISTRATION.move(
        registration,
        to,  # the moves are named after their target
        action=action,
        actor=actor,
        reason=reason,
    )


@transaction.atomic
def register(actor, invitation, *, name, email, organisation="", language="en", user=None):
    """Register one named person under ``invitation`` (``actor`` None: the guest themselves).

    Checks, with the event locked: the event is open; a company's people stay within the
    event's per-company limit. The same address registered again returns that registration.
    Side-effects: a Registration, registered while seats are free, else waitlisted; audit
    "registered" -> state; mail "event_registered" with the .ics, or "event_waitlisted".
    """
    event = EVENT.lock(invitation.event)
    email = email.strip().lower()
    repeated = event.registrations.exclude(state=State.CANCELLED).filter(email=email).first()
    if repeated is not None:
        return repeated
    under = event.registrations.exclude(state=State.CANCELLED).filter(invitation=invitation)
    refusal = permissions.registration_refusal(event, invitation, under.count())
    if refusal:
        raise Refused("wrong_state", refusal)
    seated = seats_taken(event) < event.capacity
    registration = Registration.objects.create(
        event=event,
        invitation=invitation,
        company=invitation.company,
        user=user,
        name=name.strip()[:200],
        email=email,
        organisation=organisation.strip()[:200]
        or (invitation.company.legal_name if invitation.company_id else invitation.organisation),
        language=language,
        state=State.REGISTERED if seated else State.WAITLISTED,
        registered_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit.record(registration, "registered", actor=actor, to_state=registration.state, reason=email)
    if seated:
        notify(registration, "event_registered")
    else:
        notify(registration, "event_waitlisted", calendar=False)
    return registration


@transaction.atomic
def cancel_registration(actor, registration, *, guest=False):
    """The person, their company's representatives (while the event is open) or an officer
    cancel; ``guest`` is the guest's own link (checked by the view). Cancelling twice changes
    nothing. Side-effects: -> cancelled (audit); mail "registration_cancelled" with the .ics
    (METHOD:CANCEL) when it held a seat; the freed seat goes to the waitlist."""
    event = EVENT.lock(registration.event)
    registration.event = event
    allowed = guest and event.is_open
    if not (allowed or permissions.can_cancel_registration(actor, registration)):
        stored = REGISTRATION.lock(registration)
        if stored.state == State.CANCELLED:
            return stored
        raise Refused("wrong_state", _("This registration can no longer be cancelled."))
    seated = REGISTRATION.state_of(registration) == State.REGISTERED
    actor = actor if actor is not None and actor.is_authenticated else None
    if move(actor, registration, State.CANCELLED, "registration_cancelled") and seated:
        seat_waitlist(event)
    return registration


@REGISTRATION.mailer
def _tell_person(registration, kind, context, *, before=None, **_move):
    """The move's mail to the person: a seat from the waitlist with the .ics; a cancellation,
    with the .ics (METHOD:CANCEL) when it held a seat."""
    seated = kind == "event_promoted" or before == State.REGISTERED
    notify(registration, kind, context, calendar=seated)


def seat_waitlist(event):
    """Give free seats to the waitlist in order (call with the event locked).

    Side-effects per person seated: waitlisted -> registered (audit, the system as actor);
    mail "event_promoted" with the .ics.
    """
    if not event.is_open:
        return []
    free = event.capacity - seats_taken(event)
    if free <= 0:
        return []
    waiting = list(event.registrations.filter(state=State.WAITLISTED).order_by("created_at", "pk"))
    seated = []
    for registration in waiting[:free]:
        registration.event = event
        if move(None, registration, State.REGISTERED, "promoted_from_waitlist"):  # mailed
            seated.append(registration)
    return seated


@jobs.register
def seat_waitlists():
    """Beat: seat waitlists of open events with free seats (after a capacity change that a
    lost worker did not finish, for example). Returns how many people were seated."""
    count = 0
    candidates = Event.objects.filter(
        state=Event.State.PUBLISHED,
        starts_at__gt=timezone.now(),
        registrations__state=State.WAITLISTED,
    ).distinct()
    for event_id in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            count += len(seat_waitlist(EVENT.lock(event_id)))
    return count


def lead_days(event):
    return event.cohort.reminder_lead_days if event.cohort_id else DEFAULT_LEAD_DAYS


@jobs.register
def send_reminders(now=None):
    """Beat: remind registered people at the cohort's reminder lead time before the start.

    Each event is claimed first (``reminder_sent_at``), so a second run or a second worker sends
    nothing again. Returns the number of events reminded.
    """
    now = now or timezone.now()
    upcoming = Event.objects.filter(
        state=Event.State.PUBLISHED,
        reminder_sent_at=None,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=60),
    ).select_related("cohort", "programme")
    reminded = 0
    for event in upcoming:
        if event.starts_at - timedelta(days=lead_days(event)) > now:
            continue
        with transaction.atomic():
            if not Event.objects.filter(pk=event.pk, reminder_sent_at=None).update(
                reminder_sent_at=now
            ):
                continue
            for registration in event.registrations.filter(state=State.REGISTERED):
                notify(registration, "event_reminder")
            reminded += 1
    return reminded
