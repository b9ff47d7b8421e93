"""Build the action plan PDF's data (``mentoring.pdf.PlanDocument``) from the models.

Only what the SME may see goes in: the assessment, its action items, the company profile and the
session log of shared notes (``session_log.shared_session_log``: the expert's private notes are
never loaded). Labels are translated into the plan's language here; the snapshot functions turn a
PlanDocument into JSON and back, so a signed version renders the same content as it was generated.
"""

import dataclasses
from datetime import date, datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clinic.dates import add_months
from clinic.dimensions import Dimension
from clinic.formatting import money

from ..models import Assessment, Participation, Session
from ..models.sessions import Mode
from ..pdf import ActionLine, DimensionFinding, PlanDocument, SessionLine
from .assessment import assessment_readiness, audit_scores
from .session_log import shared_session_log

FOLLOW_UP_MONTHS = (6, 12)


def follow_up_dates(cohort):
    return [add_months(cohort.end_date, months) for months in FOLLOW_UP_MONTHS]


def build_plan_document(participation, *, version, language, generated_at=None):
    """The PlanDocument of ``participation``'s assessment and actions, labels in ``language``."""
    participation = Participation.objects.select_related(
        "company", "cohort__programme", "audit"
    ).get(pk=participation.pk)
    assessment = (
        Assessment.objects.filter(participation=participation)
        .prefetch_related("scores", "actions")
        .get()
    )
    company, cohort = participation.company, participation.cohort
    with translation.override(language):
        audit_values = audit_scores(participation)
        scores = {s.dimension: s for s in assessment.scores.all()}
        dimensions = [
            DimensionFinding(
                number=dimension.value,
                name=str(dimension.label),
                audit_score=audit_values[dimension.value],
                expert_score=scores[dimension.value].maturity if dimension in scores else None,
                target=scores[dimension.value].target if dimension in scores else None,
                rationale=scores[dimension.value].rationale if dimension in scores else "",
            )
            for dimension in Dimension
        ]
        actions = [
            ActionLine(
                dimension=str(Dimension(item.dimension).label),
                policy=str(item.get_policy_display()),
                title=item.localized_title(language),
                description=item.localized_description(language),
                horizon=str(item.get_horizon_display()),
                horizon_order=item.horizon,
                owner=item.owner,
                due_date=item.due_date,
                cost=money(item.cost, item.currency),
                kpi=item.localized_kpi(language),
                status=str(item.get_status_display()),
            )
            for item in sorted(
                assessment.actions.all(), key=lambda i: (i.horizon, i.due_date, i.pk)
            )
        ]
        modes = dict(
            Session.objects.filter(participation=participation).values_list("number", "mode")
        )
        sessions = [
            SessionLine(
                number=logged.number,
                held_on=logged.local_start.date(),
                mode=str(Mode(modes[logged.number]).label)
                if logged.status == "held"
                else _("No-show"),
                topics="; ".join(str(Dimension(d).label) for d in logged.dimensions),
                summary=logged.summary,
                recommendations=logged.recommendations,
            )
            for logged in shared_session_log(participation)
        ]
        profile = [
            (_("Technology area"), str(company.get_green_area_display())),
            (_("Size class"), str(company.get_size_class_display())),
            (_("Region"), ", ".join(v for v in (company.city, company.region) if v)),
            (_("Country"), str(company.country.name)),
            (_("Founded"), str(company.founding_year)),
            (_("Employees"), str(company.employees)),
        ]
        if company.website:
            profile.append((_("Website"), company.website))
        experts = [
            str(a.expert)
            for a in participation.assignments.filter(ended_at__isnull=True)
            .select_related("expert")
            .order_by("role")
        ]
        return PlanDocument(
            language=language,
            programme=cohort.programme.localized_name(language),
            cohort=cohort.localized_name(language),
            company_name=company.legal_name,
            company_local_name=company.local_name
            if company.local_name != company.legal_name
            else "",
            profile=profile,
            version=version,
            generated_at=timezone.localtime(generated_at or timezone.now()).replace(tzinfo=None),
            assessment_date=assessment.assessed_on,
            executive_summary=assessment.executive_summary,
            swot=assessment.swot,
            readiness_percent=assessment_readiness(assessment),
            dimensions=dimensions,
            actions=actions,
            sessions=sessions,
            follow_up_dates=follow_up_dates(cohort),
            expert_names=experts,
        )


# --- snapshot (JSON) ------------------------------------------------------------------------


def _encode(value):
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, date):
        return {"__date__": value.isoformat()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


def _decode(value):
    if isinstance(value, dict):
        if "__datetime__" in value:
            return datetime.fromisoformat(value["__datetime__"])
        if "__date__" in value:
            return date.fromisoformat(value["__date__"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def to_snapshot(document):
    return _encode(dataclasses.asdict(document))


def from_snapshot(data):
    values = _decode(data)
    values["profile"] = [tuple(pair) for pair in values["profile"]]
    values["dimensions"] = [DimensionFinding(**d) for d in values["dimensions"]]
    values["actions"] = [ActionLine(**a) for a in values["actions"]]
    values["sessions"] = [SessionLine(**s) for s in values["sessions"]]
    return PlanDocument(**values)
