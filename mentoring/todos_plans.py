"""My tasks entries of the assessment, plan and follow-up stage (a fixed number of queries each)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clinic import permissions as core
from clinic import todos

from .models import Assessment, Assignment, FollowUpReport, Participation, PlanVersion
from .transitions import ASSESSING


@todos.register
def assessment_todos(user):
    """The lead expert: write (or correct) the assessment once the target sessions are held."""
    if not core.is_expert(user):
        return []
    rows = (
        Participation.objects.filter(
            state__in=ASSESSING,
            assignments__expert=user,
            assignments__role=Assignment.Role.LEAD,
            assignments__ended_at__isnull=True,
        )
        .annotate(held=Count("sessions", filter=Q(sessions__status="held"), distinct=True))
        .select_related("company", "cohort", "assessment")
    )
    items = []
    for participation in rows:
        current = getattr(participation, "assessment", None)
        if current is None and participation.held < participation.cohort.target_sessions:
            continue
        returned = current is not None and current.state == Assessment.State.RETURNED
        items.append(
            todos.Todo(
                title=_("Correct the returned strategy assessment")
                if returned
                else _("Write the strategy assessment"),
                url=reverse("mentoring:assessment", args=[participation.pk]),
                detail=participation.company.legal_name,
            )
        )
    return items


@todos.register
def sign_off_todos(user):
    """The programme lead: ready plan versions of participants in plan review."""
    if not core.is_lead(user):
        return []
    versions = latest_ready()
    return [
        todos.Todo(
            title=_("Sign off the action plan (version %(number)s)") % {"number": v.number},
            url=reverse("mentoring:plan", args=[v.participation_id]) + "#versions",
            detail=v.participation.company.legal_name,
        )
        for v in versions
    ]


def latest_ready(related=()):
    """The newest ready, unsigned version of each participant (waiting for the lead's sign-off)."""
    latest = {}
    for version in PlanVersion.objects.filter(
        state=PlanVersion.State.READY,
        signed_at__isnull=True,
        participation__state=Participation.State.PLAN_REVIEW,
    ).select_related("participation__company", *related):
        if (
            version.participation_id not in latest
            or version.number > latest[version.participation_id].number
        ):
            latest[version.participation_id] = version
    return list(latest.values())


@todos.register
def follow_up_report_todos(user):
    if not core.is_sme(user):
        return []
    reports = FollowUpReport.objects.filter(
        state=FollowUpReport.State.OPEN, participation__company__representatives=user
    ).select_related("participation__company")
    return [
        todos.Todo(
            title=_("Report your progress: %(round)s follow-up") % {"round": r.get_round_display()},
            url=reverse("mentoring:follow_up_report", args=[r.pk]),
            detail=r.participation.company.legal_name,
        )
        for r in reports
    ]
