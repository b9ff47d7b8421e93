"""Demo days: participating companies sign up to present a technology in a time slot;
attendees (need owners, investors) ask for an introduction to a presenting company.

A slot presents one of the company's approved technology listings (matchmaking) or, without
one, a technology named in free text. An introduction request is handed to the officers (mail
and the event page), who start the matchmaking introduction of the listing and the requester's
partner organisation.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from clinic import roles
from clinic.models import User
from clinic.services import audit
from clinic.services.outbox import queue_message
from clinic.transitions import Refused

from .. import permissions
from ..models import DemoSlot, IntroductionRequest
from ..transitions import EVENT


@transaction.atomic
def sign_up(actor, event, company, *, technology="", technology_zh="", starts_at, listing=None):
    """A representative signs their company up to present ``listing`` (an approved technology
    of the company) or a technology named in free text. One slot per company and per time: the
    company's second sign-up returns the first; a taken time is refused.
    Side-effects: a DemoSlot; audit "demo_signed_up" on the event."""
    event = EVENT.lock(event)
    refusal = permissions.demo_signup_refusal(actor, event, company)
    if refusal:
        raise Refused("not_permitted", refusal)
    if listing is not None:
        if not permissions.can_present_listing(company, listing):
            raise Refused("invalid", _("Choose an approved technology of your company."))
        technology, technology_zh = listing.title, listing.title_zh
    if not (technology or "").strip():
        raise Refused("invalid", _("Name the technology you present."))
    existing = event.demo_slots.filter(company=company).first()
    if existing is not None:
        return existing
    if event.demo_slots.filter(starts_at=starts_at).exists():
        raise Refused("invalid", _("This time slot is taken; choose another."))
    try:
        with transaction.atomic():
            slot = DemoSlot.objects.create(
                event=event,
                company=company,
                listing=listing,
                technology=technology.strip()[:200],
                technology_zh=technology_zh.strip()[:200],
                starts_at=starts_at,
                signed_up_by=actor,
            )
    except IntegrityError as error:
        raise Refused("invalid", _("This time slot is taken; choose another.")) from error
    audit.record(event, "demo_signed_up", actor=actor, reason=company.legal_name)
    return slot


@transaction.atomic
def withdraw(actor, slot):
    """The company's representative (or an officer) withdraws a slot while the event is open."""
    event = EVENT.lock(slot.event)
    own = permissions.core.represents(actor, slot.company)
    if not (permissions.can_manage_events(actor) or (own and event.is_open)):
        raise Refused("not_permitted", _("This slot can no longer be withdrawn."))
    audit.record(event, "demo_withdrawn", actor=actor, reason=slot.company.legal_name)
    slot.delete()


@transaction.atomic
def ask_introduction(actor, registration, slot, message=""):
    """A seated attendee asks to meet a presenting company; asking twice returns the first.

    Side-effects: an IntroductionRequest; audit "introduction_requested" on the event; mail
    "event_introduction_requested" to every officer (who starts the introduction)."""
    if not permissions.can_ask_introduction(registration, slot):
        raise Refused("wrong_state", _("Only attendees of this demo day ask for introductions."))
    request, created = IntroductionRequest.objects.get_or_create(
        slot=slot,
        registration=registration,
        defaults={
            "message": message.strip()[:1000],
            "partner": permissions.partner_of(registration),
        },
    )
    if created:
        audit.record(slot.event, "introduction_requested", actor=actor, reason=registration.email)
        officers = User.objects.filter(groups__name=roles.OFFICER, is_active=True).distinct()
        for officer in officers:
            queue_message(
                officer,
                "event_introduction_requested",
                {
                    "slot": slot,
                    "registration": registration,
                    "event": slot.event,
                    "request": request,
                },
                related=slot.event,
            )
    return request
