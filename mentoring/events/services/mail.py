"""Messages about events: to accounts in their preferred language, to guests and named people
without an account in the language of their registration or invitation; the .ics attached."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from clinic.services.outbox import attachment, queue_message
from mentoring.services.calendar import CONTENT_TYPE, Person, calendar_file

from ..models import Event, Registration
from .links import page_path


@dataclass(frozen=True)
class Addressee:
    """Someone without an account (``queue_message`` reads these three)."""

    email: str
    name: str
    preferred_language: str
    pk = None

    def __str__(self):
        return self.name or self.email


def addressee(registration):
    """The account of a person who registered themselves, else their name and address."""
    if registration.user_id and registration.user.email == registration.email:
        return registration.user
    return Addressee(registration.email, registration.name, registration.language)


def event_uid(event):
    return f"event-{event.uid}@ipclinic"


def event_ics(event, registration, language=None):
    """The calendar file of ``event`` for one registered person; METHOD:CANCEL once the event
    or the registration is cancelled (same UID, the event's SEQUENCE)."""
    cancelled = (
        event.state == Event.State.CANCELLED or registration.state == Registration.State.CANCELLED
    )
    with translation.override(language or registration.language):
        description = [event.localized_description()] if event.description else []
        description.append(settings.SITE_URL + reverse("events:detail", args=[event.pk]))
        return calendar_file(
            event,
            uid=event_uid(event),
            summary=event.localized_title(),
            description="\n\n".join(description),
            organizer=Person(settings.DEFAULT_FROM_EMAIL, event.programme.organiser, "CHAIR"),
            attendees=[Person(registration.email, registration.name)],
            cancelled=cancelled,
            method="CANCEL" if cancelled else "REQUEST",
        )


def ics_filename(event):
    return f"event-{event.pk}.ics"


def notify(registration, kind, extra=None, *, calendar=True, url=""):
    """Queue ``kind`` to the registered person, with the event's .ics unless ``calendar`` is
    off (a waitlist place has none)."""
    event = registration.event
    to = addressee(registration)
    attachments = []
    if calendar:
        content = event_ics(event, registration, language=to.preferred_language)
        attachments.append(attachment(ics_filename(event), CONTENT_TYPE, content))
    return queue_message(
        to,
        kind,
        {
            "event": event,
            "registration": registration,
            "url": url or page_path(registration),
            **(extra or {}),
        },
        attachments=attachments,
        related=registration,
        email=registration.email,
    )
