"""Who may see and do what with programme events: one function per rule (docs/rules.md).

SMEs see the events their company is invited to and their own registrations; guests reach one
event through their signed invitation link only; officers see and run everything. Materials go
only to registered people (at once or after the event, as the officer chose).
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic import permissions as core

from .models import Event, Registration
from .transitions import OPEN_REGISTRATION

VISIBLE_STATES = (Event.State.PUBLISHED, Event.State.HELD, Event.State.CANCELLED)


def can_manage_events(user):
    """Officers create, edit, publish, cancel events, invite, check in and read feedback."""
    return core.is_officer(user)


def visible_events(user):
    """Events a user may open: officers all; others published (or past) events their company is
    invited to or they are registered for."""
    if can_manage_events(user):
        return Event.objects.all()
    if not user.is_authenticated:
        return Event.objects.none()
    ids = Event.objects.filter(
        Q(invitations__in=own_invitations(user)) | Q(registrations__user=user)
    ).values("pk")
    return Event.objects.filter(pk__in=ids, state__in=VISIBLE_STATES)


def own_invitations(user):
    """Invitations of ``user``: their companies', and one by e-mail to their verified address
    (a partner's person with an account sees the event as well as through the link)."""
    from .models import Invitation

    mine = Q(company__representatives=user)
    if user.email_verified_at is not None and user.email:
        mine |= Q(company__isnull=True, email=user.email.lower())
    return Invitation.objects.filter(mine)


def invitations_of(user, event):
    """The invitations of ``user`` to ``event`` (those they may register people under)."""
    return own_invitations(user).filter(event=event).select_related("company").distinct()


def registration_refusal(event, invitation, seated_for_invitation):
    """Why no further person may register under ``invitation`` ("" when one may): the event
    must be open, and a company (or a guest's invitation) registers at most the event's limit
    of people (waitlisted ones count, cancelled ones do not)."""
    if not event.is_open:
        return _("Registration for this event is closed.")
    if seated_for_invitation >= event.company_limit:
        return _("Your company has registered the most people it may (%(limit)d).") % {
            "limit": event.company_limit
        }
    return ""


def can_cancel_registration(user, registration):
    """The person, whoever registered them, or an officer cancels an open registration."""
    if registration.state not in OPEN_REGISTRATION:
        return False
    if can_manage_events(user):
        return True
    if not user.is_authenticated or not registration.event.is_open:
        return False
    return user.pk in (registration.user_id, registration.registered_by_id) or (
        registration.company_id is not None
        and registration.company.representatives.filter(pk=user.pk).exists()
    )


def materials_open(event, now=None):
    """Whether registered people see the materials yet."""
    if event.materials_shown == Event.Materials.AT_ONCE:
        return True
    return event.state == Event.State.HELD or event.ends_at <= (now or timezone.now())


def has_seat(user, event):
    return event.registrations.filter(user=user, state__in=Registration.SEATED).exists()


def can_see_materials(user, event):
    """Officers always; registered people (not waitlisted) once the materials are open."""
    if can_manage_events(user):
        return True
    return user.is_authenticated and materials_open(event) and has_seat(user, event)


def can_give_feedback(user, registration):
    """The attendee themselves, after the event was held."""
    return (
        user.is_authenticated
        and registration.user_id == user.pk
        and registration.state == Registration.State.ATTENDED
        and registration.event.state == Event.State.HELD
    )


def demo_signup_refusal(user, event, company):
    """Why ``user`` may not sign ``company`` up to present at ``event`` ("" when they may): a
    demo day open for registration, a company they represent that takes part in the event's
    cohort (any cohort of the programme for a programme-wide event) and is invited."""
    if event.kind != Event.Kind.DEMO_DAY:
        return _("Only demo days have presentation slots.")
    if not event.is_open:
        return _("Sign-up for this demo day is closed.")
    if not core.represents(user, company):
        return _("Only the company's representatives sign it up.")
    participations = company.participations.exclude(state="dropped_out")
    if event.cohort_id:
        participations = participations.filter(cohort=event.cohort_id)
    else:
        participations = participations.filter(cohort__programme=event.programme_id)
    if not participations.exists():
        return _("Only companies taking part in the programme present at a demo day.")
    if not event.invitations.filter(company=company).exists():
        return _("Your company is not invited to this event.")
    return ""


def can_ask_introduction(registration, slot):
    """A seated attendee of the demo day who does not belong to the presenting company (neither
    registered for it nor, through another invitation, one of its representatives)."""
    return (
        registration.event_id == slot.event_id
        and registration.state in Registration.SEATED
        and registration.company_id != slot.company_id
        and not (
            registration.user_id is not None
            and slot.company.representatives.filter(pk=registration.user_id).exists()
        )
    )


def can_present_listing(company, listing):
    """A demo-day slot presents an approved technology listing of the company itself."""
    from mentoring.matchmaking.models import Technology

    return listing.company_id == company.pk and listing.state == Technology.State.APPROVED


def presentable_listings(companies):
    """The approved technology listings ``companies`` may present."""
    from mentoring.matchmaking.models import Technology

    return Technology.objects.filter(company__in=companies, state=Technology.State.APPROVED)


def partner_of(registration):
    """The approved partner organisation the registered account represents (None for others):
    the side of the introduction the officers propose."""
    from mentoring.matchmaking.permissions import partner_organisations

    if registration.user_id is None:
        return None
    return partner_organisations(registration.user).first()
