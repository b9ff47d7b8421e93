"""Follow-up reports 6 and 12 months after the cohort ends, and the cohort's outcomes.

Participation states: completed -> follow_up (the 6-month report opens) -> closed (the 12-month
report is submitted; the participation flow ends there).
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic import jobs, limits
from clinic.dates import add_months
from clinic.services import audit
from clinic.services.outbox import queue_message
from clinic.spreadsheets import csv_bytes
from clinic.transitions import Refused

from .. import permissions
from ..models import ActionItem, FollowUpReport, Participation
from ..transitions import ACTION_ITEM, FOLLOW_UP, FOLLOWING_UP, PARTICIPATION

State = Participation.State
Round = FollowUpReport.Round
OUTCOME_FIELDS = FollowUpReport.OUTCOME_FIELDS


@jobs.register
def open_follow_up_reports(today=None):
    """At 6 and 12 months after its cohort ends, each participant whose plan is signed off gets
    a follow-up report to fill in (once per round), due the cohort's ``follow_up_days`` later.

    Side-effects per report: a FollowUpReport (open, due ``follow_up_days`` later); the first
    one moves the participation completed -> follow_up; audit records (system actor); mail
    "follow_up_report_opened" to every representative. Returns the number opened.
    """
    today = today or timezone.localdate()
    count = 0
    participations = Participation.objects.filter(state__in=FOLLOWING_UP).select_related(
        "cohort", "company"
    )
    existing = set(
        FollowUpReport.objects.filter(participation__in=participations).values_list(
            "participation_id", "round"
        )
    )
    for participation in participations:
        for round_ in Round:
            if (participation.pk, round_.value) in existing:
                continue
            if add_months(participation.cohort.end_date, round_.value) > today:
                continue
            with transaction.atomic():
                report = FollowUpReport.objects.create(
                    participation=participation,
                    round=round_,
                    due_on=today + timedelta(days=participation.cohort.follow_up_days),
                )
                audit.record(report, "follow_up_opened", to_state=report.state)
                if PARTICIPATION.allows(participation.state, "follow_up_opened"):
                    PARTICIPATION.move(participation, "follow_up_opened")
                for representative in participation.company.representatives.all():
                    queue_message(
                        representative,
                        "follow_up_report_opened",
                        {
                            "company": participation.company,
                            "report": report,
                            "url": reverse("mentoring:follow_up_report", args=[report.pk]),
                        },
                        related=report,
                    )
            count += 1
    return count


def report_items(report):
    """The plan's action items with the progress reported (or the item's status as default)."""
    items = list(
        ActionItem.objects.filter(assessment__participation=report.participation).order_by(
            "horizon", "due_date", "pk"
        )
    )
    for item in items:
        entry = report.progress.get(str(item.pk), {})
        item.reported_status = entry.get("status", item.status)
        item.reported_note = entry.get("note", "")
        item.reported_status_label = ActionItem.Status(item.reported_status).label
    return items


@transaction.atomic
def submit_report(actor, report, *, progress, levels=None, **outcomes):
    """A representative submits the follow-up report: ``progress`` {item id: {status, note}},
    the outcomes (filings, registrations, licences, finance_raised, finance_currency,
    satisfaction, comments) and, in the 12-month report, ``levels``: the company's re-rating
    of its IP maturity {dimension: 0-4} (every dimension).

    Side-effects: the report (submitted_at/by, self_levels) and each action item's status;
    audit record "follow_up_submitted"; a 12-month report mails "re_rating_submitted" to the
    lead expert, whose confirmation (``mentoring.services.re_rating.confirm_re_rating``) closes
    the participation. Submitting a submitted report again changes nothing.
    """
    from .re_rating import clean_levels

    report = FOLLOW_UP.lock(report)
    participation = report.participation
    if not permissions.can_report_follow_up(actor, report):
        raise Refused("not_permitted")
    if not FOLLOW_UP.applies(
        report,
        "follow_up_submitted",
        message=_("This report is submitted already."),
    ):
        return report  # a repeated submit: the first one did everything
    satisfaction = outcomes.get("satisfaction")
    if satisfaction is not None and not 1 <= int(satisfaction) <= 5:
        raise Refused("invalid", _("Rate your satisfaction from 1 to 5."))
    if Decimal(outcomes.get("finance_raised") or 0) < 0:
        raise Refused("invalid", _("Finance raised cannot be negative."))
    items = {
        str(item.pk): item
        for item in ActionItem.objects.filter(assessment__participation=participation)
    }
    if len(progress) > len(items):
        raise Refused("invalid", _("The progress names more actions than the plan has."))
    clean = {}
    for key, entry in progress.items():
        item = items.get(str(key))
        if item is None:
            continue
        status = entry.get("status") or item.status
        if status not in ActionItem.Status.values:
            raise Refused("invalid", _("Choose a status for every action."))
        note = (entry.get("note") or "").strip()
        if len(note) > FollowUpReport.PROGRESS_NOTE_MAX:
            raise Refused(
                "invalid",
                _("A progress note has at most %(count)d characters.")
                % {"count": FollowUpReport.PROGRESS_NOTE_MAX},
            )
        clean[str(key)] = {"status": status, "note": note}
        if item.status != status:
            ACTION_ITEM.move(item, ACTION_ITEM.between(item.status, status), actor=actor)
    report.progress = clean
    for name in ("filings", "registrations", "licences", "finance_raised", "finance_currency"):
        if name in outcomes and outcomes[name] is not None:
            setattr(report, name, outcomes[name])
    report.satisfaction = satisfaction
    report.comments = (outcomes.get("comments") or "").strip()
    limits.enforce(report, ["comments"])
    if report.round == Round.TWELVE:
        report.self_levels = clean_levels(levels)
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    FOLLOW_UP.move(
        report,
        "follow_up_submitted",
        actor=actor,
        fields=["progress", *OUTCOME_FIELDS, "self_levels", "submitted_at", "submitted_by"],
    )  # the 12-month round's re-rating is mailed to the lead expert (re_rating.py)
    return report


@dataclass
class OutcomeRow:
    participation: Participation
    reports: dict  # round -> FollowUpReport or None
    done: int
    total: int


def cohort_outcomes(cohort):
    """One row per participant with a signed-off plan (or later): its reports and items done."""
    participations = list(
        Participation.objects.filter(
            cohort=cohort, state__in=(State.COMPLETED, State.FOLLOW_UP, State.CLOSED)
        )
        .select_related("company")
        .order_by("company__legal_name")
    )
    reports = {}
    for report in FollowUpReport.objects.filter(participation__in=participations):
        reports[(report.participation_id, report.round)] = report
    counts = {}
    for participation_id, status in ActionItem.objects.filter(
        assessment__participation__in=participations
    ).values_list("assessment__participation_id", "status"):
        done, total = counts.get(participation_id, (0, 0))
        counts[participation_id] = (done + (status == ActionItem.Status.DONE), total + 1)
    return [
        OutcomeRow(
            participation=p,
            reports={r.value: reports.get((p.pk, r.value)) for r in Round},
            done=counts.get(p.pk, (0, 0))[0],
            total=counts.get(p.pk, (0, 0))[1],
        )
        for p in participations
    ]


def outcome_totals(rows):
    """Per round: submitted reports, the sums of filings, registrations and licences, finance
    raised per currency and the mean satisfaction."""
    totals = []
    for round_ in Round:
        reports = [
            row.reports[round_.value]
            for row in rows
            if row.reports.get(round_.value) is not None
            and row.reports[round_.value].state in FollowUpReport.DONE_STATES
        ]
        finance = {}
        for report in reports:
            finance[report.finance_currency] = (
                finance.get(report.finance_currency, Decimal("0")) + report.finance_raised
            )
        ratings = [r.satisfaction for r in reports if r.satisfaction]
        totals.append(
            {
                "round": round_,
                "submitted": len(reports),
                "filings": sum(r.filings for r in reports),
                "registrations": sum(r.registrations for r in reports),
                "licences": sum(r.licences for r in reports),
                "finance": sorted(finance.items()),
                "satisfaction": round(sum(ratings) / len(ratings), 1) if ratings else None,
            }
        )
    return totals


def outcomes_csv(rows):
    """The outcomes table as CSV (UTF-8 with BOM): one line per participant and report."""
    header = [
        _("Company"),
        _("Stage"),
        _("Report"),
        _("State"),
        _("Submitted"),
        _("IP filings"),
        _("Registrations and grants"),
        _("Licences and partnerships"),
        _("Finance raised"),
        _("Currency"),
        _("Satisfaction"),
        _("Actions done"),
        _("Actions"),
        _("Comments"),
    ]
    lines = []
    for row in rows:
        for round_ in Round:
            report = row.reports.get(round_.value)
            submitted = report is not None and report.state in FollowUpReport.DONE_STATES
            lines.append(
                [
                    row.participation.company.legal_name,
                    row.participation.get_state_display(),
                    round_.label,
                    report.get_state_display() if report else _("Not open yet"),
                    f"{timezone.localdate(report.submitted_at)}" if submitted else "",
                    report.filings if submitted else "",
                    report.registrations if submitted else "",
                    report.licences if submitted else "",
                    report.finance_raised if submitted else "",
                    report.finance_currency if submitted else "",
                    (report.satisfaction or "") if submitted else "",
                    row.done,
                    row.total,
                    report.comments if submitted else "",
                ]
            )
    return csv_bytes(header, lines)
