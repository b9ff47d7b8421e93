"""Calendar invitations (.ics, RFC 5545) for mentoring sessions, built with ``icalendar``.

One session is one event for its whole life: the UID never changes, SEQUENCE grows with every
reschedule or cancellation, METHOD:REQUEST invites or updates, METHOD:CANCEL withdraws.
The description carries the agenda and how to join, never any note.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from ..models import Session

PRODID = "-//IP Clinic//Mentoring sessions//EN"
UID_DOMAIN = "ipclinic"
CONTENT_TYPE = "text/calendar"


def session_uid(session):
    return f"session-{session.uid}@{UID_DOMAIN}"


def _address(user, role):
    address = vCalAddress(f"mailto:{user.email}")
    address.params["cn"] = vText(str(user))
    address.params["role"] = vText(role)
    return address


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
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", method)
        event = Event()
        event.add("uid", session_uid(session))
        event.add("sequence", session.sequence)
        event.add("dtstamp", timezone.now())
        event.add("dtstart", session.local_start)
        event.add("dtend", session.local_end)
        event.add("summary", session_title(session))
        description = [session.agenda.strip()] if session.agenda.strip() else []
        if session.where:
            description.append(f"{session.get_mode_display()}: {session.where}")
        description.append(settings.SITE_URL + reverse("mentoring:session", args=[session.pk]))
        event.add("description", "\n\n".join(description))
        if session.where:
            event.add("location", session.where)
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add("organizer", _address(session.expert, "CHAIR"))
        for representative in session.participation.company.representatives.all():
            event.add("attendee", _address(representative, "REQ-PARTICIPANT"))
        event.add("attendee", _address(session.expert, "CHAIR"))
        calendar.add_component(event)
        calendar.add_missing_timezones()
        return calendar.to_ical()


def ics_filename(session):
    return f"session-{session.participation_id}-{session.number}.ics"
