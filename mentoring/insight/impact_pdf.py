"""A cohort's impact report as PDF: requested by an officer, rendered by a Celery task with
the plan PDF's machinery (reportlab, the embedded CJK font, the house table style), in the
language asked for (English or Chinese). The row is the state; beat re-queues a lost task."""

import logging
from datetime import timedelta
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clinic import celery, jobs
from clinic.formatting import money
from clinic.models.audit import register_actions
from clinic.services import audit
from clinic.transitions import Refused

from .. import permissions
from ..models import ImpactReport, Participation
from . import impact

logger = logging.getLogger(__name__)
register_actions({"impact_report_requested": gettext_lazy("asked for the impact report")})
State = ImpactReport.State


def request_report(actor, cohort, language):
    """An officer asks for the cohort's impact report in ``language``.

    Checks: ``can_see_dashboard``; a known language. A report in that language still queued is
    returned as it is (a double click makes one). Side-effects: an ImpactReport (queued);
    audit record "impact_report_requested"; the render task queued after commit.
    """
    if not permissions.can_see_dashboard(actor):
        raise Refused("not_permitted")
    if language not in dict(settings.LANGUAGES):
        raise Refused("invalid", _("Choose English or Chinese."))
    with transaction.atomic():
        type(cohort).objects.select_for_update().filter(pk=cohort.pk).first()
        pending = ImpactReport.objects.filter(
            cohort=cohort, language=language, state=State.QUEUED
        ).first()
        if pending is not None:
            return pending
        report = ImpactReport.objects.create(cohort=cohort, language=language, requested_by=actor)
        audit.record(report, "impact_report_requested", actor=actor, to_state=report.state)
        transaction.on_commit(lambda: enqueue(report.pk))
    return report


def enqueue(report_id):
    """Hand the render to the broker (by the task's name: no import of mentoring.tasks); if it is
    down the row stays queued for the sweep."""
    celery.enqueue("mentoring.tasks.render_impact_report", report_id=report_id)


def render(report_id):
    """Render a queued report (idempotent: a ready or failed one is left alone)."""
    with transaction.atomic():
        report = ImpactReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.state != State.QUEUED:
            return report
        try:
            content = build(report.cohort, report.language)
        except Exception as error:  # the report shows the error; an officer may ask again
            logger.exception("Impact report %s failed", report_id)
            report.state, report.error = State.FAILED, f"{type(error).__name__}: {error}"[:2000]
        else:
            report.file.save(report.filename(), ContentFile(content), save=False)
            report.state = State.READY
        report.finished_at = timezone.now()
        report.save(update_fields=["state", "error", "file", "finished_at"])
    return report


@jobs.register
def requeue_impact_reports(now=None):
    """Reports still queued after PLAN_SWEEP_AFTER seconds lost their task: queue them again."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.PLAN_SWEEP_AFTER)
    ids = list(
        ImpactReport.objects.filter(state=State.QUEUED, requested_at__lte=cutoff).values_list(
            "pk", flat=True
        )
    )
    for report_id in ids:
        enqueue(report_id)
    return len(ids)


def build(cohort, language):
    """The PDF bytes of ``cohort``'s impact, labels in ``language``."""
    with translation.override(language):
        data = impact.report(Participation.objects.filter(cohort=cohort))
        return pdf_bytes(cohort, data, language)


def pdf_bytes(cohort, data, language):
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Spacer

    from ..pdf import cjk_font_name
    from ..pdf.styles import MM, PAGE_MARGIN, _heading, _p, _styles, _table

    font = cjk_font_name()
    st = _styles(font, language)
    buffer = BytesIO()
    title = _("Impact report: %(cohort)s") % {"cohort": cohort.localized_name(language)}
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=PAGE_MARGIN,
        rightMargin=PAGE_MARGIN,
        topMargin=20 * MM,
        bottomMargin=18 * MM,
        title=title,
        author=str(cohort.programme),
        creator="IP Clinic",
        lang=language,
        initialFontName=font,
    )
    width = A4[0] - 2 * PAGE_MARGIN
    story = [
        _heading(title, st),
        _p(
            f"{cohort.programme} · {cohort.start_date:%Y-%m-%d} – {cohort.end_date:%Y-%m-%d}",
            st["muted"],
        ),
        _p(
            _("%(measured)s of %(total)s companies measured at 12 months; generated %(when)s.")
            % {
                "measured": data["measured"],
                "total": len(data["companies"]),
                "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            },
            st["body"],
        ),
        Spacer(1, 4 * MM),
        _p(_("Change in IP maturity per dimension"), st["h2"]),
        _table(change_rows(data), [width * f for f in (0.46, 0.2, 0.2, 0.14)], [st["cell"]] * 4),
        _p(_("Action items done against planned"), st["h2"]),
        _table(action_rows(data), [width * f for f in (0.5, 0.25, 0.25)], [st["cell"]] * 3),
        _p(_("Outcomes reported"), st["h2"]),
        _table(outcome_rows(data), [width / 7] * 7, [st["cell"]] * 7),
        _p(_("Companies"), st["h2"]),
        _table(
            company_rows(data),
            [width * f for f in (0.44, 0.14, 0.14, 0.14, 0.14)],
            [st["cell"]] * 5,
        ),
    ]
    document.build(story)
    return buffer.getvalue()


def signed(value, digits=2):
    return "–" if value is None else f"{value:+.{digits}f}"


def change_rows(data):
    rows = [[_("Dimension"), _("Since the audit"), _("Since the assessment"), _("Companies")]]
    for row in data["changes"]:
        label = (
            f"{row['dimension'].value} {row['dimension'].label}"
            if row["dimension"]
            else _("Readiness (points of 100)")
        )
        cells = [label]
        for since in ("audit", "assessment"):
            average, deviation, _count = row[since]
            cells.append("–" if average is None else f"{signed(average)} ± {deviation}")
        rows.append([*cells, str(row["audit"][2])])
    return rows


def action_rows(data):
    rows = [[_("Horizon"), _("Done"), _("Planned")]]
    rows += [[str(r["horizon"].label), str(r["done"]), str(r["planned"])] for r in data["actions"]]
    return rows


def outcome_rows(data):
    rows = [
        [
            _("Report"),
            _("Reports"),
            _("IP filings"),
            _("Registrations"),
            _("Licences"),
            _("Finance raised"),
            _("Satisfaction"),
        ]
    ]
    for total in data["outcomes"]:
        finance = ", ".join(money(amount, currency) for currency, amount in total["finance"])
        rows.append(
            [
                str(total["round"].label),
                str(total["reports"]),
                str(total["filings"]),
                str(total["registrations"]),
                str(total["licences"]),
                finance or "–",
                "–" if total["satisfaction"] is None else f"{total['satisfaction']} / 5",
            ]
        )
    return rows


def percent(value):
    return "–" if value is None else f"{value}%"


def company_rows(data):
    rows = [
        [
            _("Company"),
            _("Readiness at the audit"),
            _("At the assessment"),
            _("At 12 months"),
            _("Change since the audit"),
        ]
    ]
    for company in data["companies"]:
        rows.append(
            [
                company.participation.company.display_name,
                percent(company.readiness["audit"]),
                percent(company.readiness["assessment"]),
                percent(company.readiness["twelve"]),
                signed(company.readiness_change("audit"), 1),
            ]
        )
    return rows
