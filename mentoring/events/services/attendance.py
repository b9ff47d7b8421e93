"""Attendance: the check-in list (one person at a time, from a phone) and the CSV import (all
rows or none, with an error per row)."""

import io

from django.db import transaction
from django.utils.translation import gettext as _

from clinic.spreadsheets import UNREADABLE_CSV, CsvRows, UnreadableCsv, csv_bytes, plain_cell
from clinic.transitions import Refused

from .. import permissions
from ..models import Event, Registration
from ..transitions import EVENT
from . import registrations

State = Registration.State
CHECK_STATES = (State.REGISTERED, State.ATTENDED, State.ABSENT)
CSV_HEADER = ["email", "attended"]
YES = {"yes", "y", "1", "true", "x", "attended", "是", "出席"}
NO = {"no", "n", "0", "false", "", "absent", "否", "缺席"}
MAX_ROWS = 5000


def _check(actor, event):
    if not permissions.can_manage_events(actor):
        raise Refused("not_permitted", _("Only programme officers record attendance."))
    stored = EVENT.lock(event)
    if stored.state not in (Event.State.PUBLISHED, Event.State.HELD):
        raise Refused("wrong_state", _("Attendance is recorded for published and held events."))
    return stored


@transaction.atomic
def set_attendance(actor, registration, attended):
    """An officer ticks a person in (or out) on the check-in list; the same tick twice changes
    nothing. Side-effects: registered | absent | attended -> attended | absent (audit)."""
    _check(actor, registration.event)
    stored = registrations.REGISTRATION.lock(registration)
    if stored.state not in CHECK_STATES:
        raise Refused("wrong_state", _("Only registered people are checked in."))
    to = State.ATTENDED if attended else State.ABSENT
    registrations.move(actor, stored, to, "attendance_recorded")
    return stored


def parse_attendance(event, content):
    """The rows of an attendance CSV as {registration: attended}, and the errors per row
    ("row 3: …"); every row is checked before anything is written."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}, [_("The file is not UTF-8 text (save it as CSV UTF-8).")]
    try:
        return _parse_rows(event, CsvRows(io.StringIO(text)))
    except UnreadableCsv:
        return {}, [str(UNREADABLE_CSV)]


def _parse_rows(event, reader):
    if not reader.fieldnames or not set(CSV_HEADER) <= {
        h.strip().lower() for h in reader.fieldnames
    }:
        return {}, [_("The first row must name the columns: email, attended.")]
    people = {r.email: r for r in event.registrations.filter(state__in=CHECK_STATES)}
    found, errors = {}, []
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            errors.append(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
            break
        row = {(k or "").strip().lower(): plain_cell((v or "").strip()) for k, v in row.items()}
        error = _row_error(row, people, found)
        if error:
            errors.append(_("Row %(row)d: %(error)s") % {"row": number, "error": error})
            continue
        found[people[row["email"].lower()]] = row["attended"].lower() in YES
    return found, errors


def _row_error(row, people, found):
    email = row.get("email", "").lower()
    if email not in people:
        return _("%(email)s is not registered for this event.") % {"email": email or "–"}
    if people[email] in found:
        return _("%(email)s appears twice.") % {"email": email}
    value = row.get("attended", "").lower()
    if value not in YES | NO:
        return _("attended must be yes or no, not “%(value)s”.") % {"value": value}
    return ""


@transaction.atomic
def import_attendance(actor, event, content):
    """An officer imports attendance from a CSV (email, attended): all rows or none.

    Returns (changed count, errors); with any error nothing is written. Side-effects per
    changed person: -> attended | absent (audit).
    """
    event = _check(actor, event)
    found, errors = parse_attendance(event, content)
    if errors:
        return 0, errors
    changed = 0
    for registration, attended in found.items():
        to = State.ATTENDED if attended else State.ABSENT
        registration.event = event
        changed += registrations.move(actor, registration, to, "attendance_imported")
    return changed, []


def attendance_csv(event):
    """The check-in list as CSV (the import reads the same columns back)."""
    rows = event.registrations.filter(state__in=CHECK_STATES).order_by("name", "pk")
    return csv_bytes(
        [*CSV_HEADER, "name", "organisation", "state"],
        [
            [r.email, "yes" if r.state == State.ATTENDED else "no", r.name, r.organisation, r.state]
            for r in rows
        ],
    )
