"""Demo days with technology listings: a slot presents an approved listing of the company, and a
partner's introduction request lets an officer propose the matchmaking introduction."""

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.transitions import Refused
from mentoring.events.models import Event
from mentoring.events.services import demo_days, invitations
from mentoring.events.services.links import guest_path
from mentoring.matchmaking.models import Introduction
from tests.mentoring.matchmaking.helpers import partner, technology

from .helpers import invited_company, new_event

pytestmark = pytest.mark.django_db


def presenting(event, officer):
    invitation, rep = invited_company(event, officer)
    listing = technology(invitation.company, rep, state="approved", staff=officer)
    slot = demo_days.sign_up(
        rep, event, invitation.company, listing=listing, starts_at=timezone.now().time()
    )
    return slot, listing


def test_a_slot_presents_an_approved_listing_of_the_company():
    event, officer = new_event(kind=Event.Kind.DEMO_DAY)
    slot, listing = presenting(event, officer)

    assert (slot.listing, slot.technology, slot.technology_zh) == (
        listing,
        listing.title,
        listing.title_zh,
    )


def test_a_draft_or_another_companys_listing_is_refused():
    event, officer = new_event(kind=Event.Kind.DEMO_DAY)
    invitation, rep = invited_company(event, officer)
    draft = technology(invitation.company, rep)
    other_inv, other_rep = invited_company(event, officer)
    foreign = technology(other_inv.company, other_rep, state="approved", staff=officer)
    for listing in (draft, foreign):
        with pytest.raises(Refused) as refused:
            demo_days.sign_up(
                rep, event, invitation.company, listing=listing, starts_at=timezone.now().time()
            )
        assert refused.value.code == "invalid"


def test_a_partners_request_lets_the_officer_propose_the_introduction(client):
    event, officer = new_event(kind=Event.Kind.DEMO_DAY)
    slot, listing = presenting(event, officer)
    organisation, person = partner()
    invitation = invitations.invite_guest(officer, event, email=person.email)
    client.force_login(person)  # the partner's account registers through its link
    client.post(
        guest_path(invitation),
        {"register": "1", "name": "Ms Gao", "email": person.email, "language": "en"},
    )
    registration = event.registrations.get(email=person.email)
    assert registration.user == person

    request = demo_days.ask_introduction(person, registration, slot, "Pilot in our plant")
    assert request.partner == organisation
    client.force_login(officer)
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert reverse("matchmaking:propose") in page

    client.post(
        reverse("matchmaking:propose"),
        {"technology": listing.pk, "partner": organisation.pk, "note": request.message},
    )
    assert Introduction.objects.get().technology == listing
