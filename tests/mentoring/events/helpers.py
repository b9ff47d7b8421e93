"""Builders for the event tests."""

from datetime import timedelta

from django.utils import timezone

from mentoring.events.models import Event
from mentoring.events.services import events, invitations, registrations
from tests.factories import CohortFactory

from ..helpers import bare_participant, officer


def new_event(actor=None, cohort=None, *, publish=True, days=10, **fields):
    """An event of ``cohort`` (a new one by default) made through the service."""
    actor = actor or officer()
    cohort = cohort or CohortFactory()
    event = Event(
        programme=cohort.programme,
        cohort=cohort,
        kind=fields.pop("kind", Event.Kind.TRAINING),
        title=fields.pop("title", "International IP strategy"),
        title_zh=fields.pop("title_zh", "国际知识产权战略"),
        starts_at=fields.pop("starts_at", timezone.now() + timedelta(days=days)),
        time_zone=cohort.time_zone,
        duration_minutes=120,
        mode="online",
        meeting_url="https://meet.example.org/clinic",
        **fields,
    )
    events.save_event(actor, event)
    if publish:
        events.publish_event(actor, event)
    event.refresh_from_db()
    return event, actor


def invited_company(event, actor):
    """A participating company of the event's cohort, invited: (invitation, representative)."""
    participation, representative = bare_participant(event.cohort)
    (invitation,) = invitations.invite_companies(actor, event, [participation.company])
    return invitation, representative


def register(invitation, person, **kwargs):
    return registrations.register(
        person,
        invitation,
        name=kwargs.pop("name", person.get_full_name()),
        email=kwargs.pop("email", person.email),
        user=kwargs.pop("user", person),
        **kwargs,
    )
