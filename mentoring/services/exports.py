"""CSV exports of mentoring: the company's session log and the cohort's progress table.

Both are built from data the company may see (``session_log``) or from counts: private expert
notes are never part of an export. Every cell is guarded against spreadsheet formulas
(``clinic.spreadsheets``).
"""

from django.utils.translation import gettext as _

from clinic.dimensions import Dimension
from clinic.spreadsheets import csv_bytes

from .session_log import shared_session_log


def session_log_csv(participation):
    """One row per held / no-show session with its shared notes and follow-ups."""
    rows = []
    for session in shared_session_log(participation):
        rows.append(
            [
                session.number,
                f"{session.local_start:%Y-%m-%d %H:%M}",
                session.time_zone,
                session.status,
                session.expert,
                session.summary,
                "; ".join(str(Dimension(d).label) for d in session.dimensions),
                session.recommendations,
                "; ".join(
                    f"{f.title} ({f.owner or '-'}, {f.due_date or '-'}, "
                    f"{_('done') if f.done else _('open')})"
                    for f in session.follow_ups
                ),
                session.rating or "",
            ]
        )
    header = [
        _("Session"),
        _("Date"),
        _("Time zone"),
        _("Status"),
        _("Expert"),
        _("Summary"),
        _("Dimensions discussed"),
        _("Recommendations"),
        _("Follow-ups"),
        _("Rating"),
    ]
    return csv_bytes(header, rows)


def progress_csv(rows, time_zone):
    """The cohort progress table (rows from ``progress.decorate``)."""
    import zoneinfo

    zone = zoneinfo.ZoneInfo(time_zone)

    def when(value, fmt):
        return value.astimezone(zone).strftime(fmt) if value else ""

    header = [
        _("Company"),
        _("Stage"),
        _("Lead expert"),
        _("Support expert"),
        _("Sessions held"),
        _("Target"),
        _("Open follow-ups"),
        _("Next session"),
        _("Last held"),
        _("No session in 30 days"),
    ]
    return csv_bytes(
        header,
        [
            [
                row.company.legal_name,
                row.get_state_display(),
                row.lead or "",
                row.support or "",
                row.held,
                row.target,
                row.open_follow_ups,
                when(row.next_session_at, "%Y-%m-%d %H:%M"),
                when(row.last_held_at, "%Y-%m-%d"),
                _("yes") if row.stale else "",
            ]
            for row in rows
        ],
    )
