"""Calendar invitations (.ics, RFC 5545) built with ``icalendar``: mentoring sessions and
programme events (``mentoring.events``) go through the one builder, ``calendar_file``.

One meeting is one calendar event for its whole life: the UID never changes, SEQUENCE grows
with every reschedule or cancellation, METHOD:REQUEST invites or updates, METHOD:CANCEL
withdraws. A session's description carries the agenda and how to join, never any note.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from ..models import Session

PRODID = "-//IP Clinic//Mentoring sessions//EN"
UID_DOMAIN = "ipclinic"
CONTENT_TYPE = "text/calendar"


@dataclass(frozen=True)
class Person:
    """An organiser or attendee of a calendar event."""

    email: str
    name: str
    role: str = "REQ-PARTICIPANT"

    @classmethod
    def of(cls, user, role="REQ-PARTICIPANT"):
        return cls(user.email, str(user), role)


def session_uid(session):
    return f"session-{session.uid}@{UID_DOMAIN}"


def _address(person):
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = vText(person.name)
    address.params["role"] = vText(person.role)
    return address


@lru_cache(maxsize=64)
def _vtimezone(tzid):
    """The VTIMEZONE of ``tzid``, built once per process: icalendar works out its transitions
    from 1970 to 2038 each time (about 10 ms for Asia/Shanghai)."""
    try:
        return Timezone.from_tzid(tzid)
    except ValueError:  # not a zone icalendar knows: the file goes without it, as before
        return None


def _add_timezones(calendar):
    for position, tzid in enumerate(sorted(calendar.get_missing_tzids())):
        if (vtimezone := _vtimezone(tzid)) is not None:
            calendar.subcomponents.insert(position, vtimezone)


def calendar_file(meeting, *, uid, summary, description, organizer, attendees, cancelled, method):
    """One calendar event for ``meeting`` (a ``Meeting``: start, end and place in its own time
    zone, ``sequence``) as .ics bytes."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = Event()
    event.add("uid", uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.local_start)
    event.add("dtend", meeting.local_end)
    event.add("summary", summary)
    event.add("description", description)
    if meeting.where:
        event.add("location", meeting.where)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", _address(organizer))
    for person in attendees:
        event.add("attendee", _address(person))
    calendar.add_component(event)
    _add_timezones(calendar)
    return calendar.to_ical()


def session_title(session):
    return _("IP Clinic mentoring session %(number)s: %(company)s") % {
        "number": session.number,
        "company": session.participation.company.legal_name,
    }


def session_ics(session, method=None, language=None):
    """The calendar file of ``session`` as bytes; METHOD:CANCEL once it is cancelled."""
    cancelled = session.status == Session.Status.CANCELLED
    method = method or ("CANCEL" if cancelled else "REQUEST")
    with translation.override(language or translation.get_language()):
        description = [session.agenda.strip()] if session.agenda.strip() else []
        if session.where:
            description.append(f"{session.get_mode_display()}: {session.where}")
        description.append(settings.SITE_URL + reverse("mentoring:session", args=[session.pk]))
        chair = Person.of(session.expert, "CHAIR")
        attendees = [
            Person.of(representative)
            for representative in session.participation.company.representatives.all()
        ]
        return calendar_file(
            session,
            uid=session_uid(session),
            summary=session_title(session),
            description="\n\n".join(description),
            organizer=chair,
            attendees=[*attendees, chair],
            cancelled=cancelled,
            method=method,
        )


def ics_filename(session):
    return f"session-{session.participation_id}-{session.number}.ics"
