"""Deadlines of the mentoring stage for ``cohorts.escalation``: the IP audit, a held session's
notes, the assessment, the lead's sign-off and the follow-up reports (offsets: cohort settings).

Each source runs a fixed number of queries whatever the number of rows.
"""

import zoneinfo
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clinic import roles
from clinic.models import IPAudit
from cohorts.escalation import Due, Overseer, holders, register

from ..models import Assessment, Assignment, FollowUpReport, Participation, Session
from ..todos_plans import latest_ready
from ..transitions import ASSESSING

State = Participation.State
ACTIVE = (State.AUDIT, State.MENTORING, State.ASSESSMENT, State.PLAN_REVIEW)


def who(user):
    return user.get_full_name() or user.get_username()


def representatives(prefix=""):
    return Prefetch(
        f"{prefix}company__representatives", queryset=get_user_model().objects.order_by("pk")
    )


@register("audit", _("IP audit"))
def open_audits(now):
    """The SME submits its IP audit ``audit_days`` after its place was confirmed."""
    rows = (
        Participation.objects.filter(state=State.AUDIT, audit__state__in=IPAudit.OPEN_STATES)
        .select_related("cohort", "company")
        .prefetch_related(representatives())
    )
    return [
        Due(
            subject=p,
            key=str(p.pk),
            due_at=p.created_at + timedelta(days=p.cohort.audit_days),
            cohort_id=p.cohort_id,
            owners=tuple(p.company.representatives.all()),
            owner_label=p.company.legal_name,
            summary=p.company.legal_name,
            url=reverse("ipaudit:detail", args=[p.audit_id]),
        )
        for p in rows
    ]


@register("notes", _("Session notes"))
def unlogged_notes(now):
    """The expert logs (and shares) a session's notes ``notes_days`` after it ended."""
    sessions = (
        Session.objects.filter(participation__state__in=ACTIVE, starts_at__lt=now)
        .filter(
            Q(status=Session.Status.PLANNED)
            | Q(status=Session.Status.HELD, note__isnull=True)
            | Q(status=Session.Status.HELD, note__shared_at__isnull=True)
        )
        .select_related("participation__company", "participation__cohort", "expert")
    )
    return [
        Due(
            subject=s,
            key=str(s.pk),
            due_at=s.ends_at + timedelta(days=s.participation.cohort.notes_days),
            cohort_id=s.participation.cohort_id,
            owners=(s.expert,),
            owner_label=who(s.expert),
            summary=f"{s.participation.company.legal_name} #{s.number}",
            url=reverse("mentoring:notes", args=[s.pk]),
        )
        for s in sessions
        if s.ends_at <= now
    ]


def lead_experts(participations):
    return {
        a.participation_id: a.expert
        for a in Assignment.objects.filter(
            participation__in=participations, role=Assignment.Role.LEAD, ended_at__isnull=True
        ).select_related("expert")
    }


@register("assessment", _("Strategy assessment"))
def unsubmitted_assessments(now):
    """The lead expert submits the assessment ``assessment_days`` after the SME's last target
    session (the n-th held one)."""
    participations = list(
        Participation.objects.filter(state__in=ASSESSING)
        .exclude(assessment__state=Assessment.State.SUBMITTED)
        .select_related("cohort", "company")
    )
    held = defaultdict(list)
    for session in Session.objects.filter(
        participation__in=participations, status=Session.Status.HELD
    ).order_by("starts_at"):
        held[session.participation_id].append(session)
    leads = lead_experts(participations)
    items = []
    for p in participations:
        target, sessions, lead = p.cohort.target_sessions, held[p.pk], leads.get(p.pk)
        if lead is None or not target or len(sessions) < target:
            continue
        items.append(
            Due(
                subject=p,
                key=str(p.pk),
                due_at=sessions[target - 1].ends_at + timedelta(days=p.cohort.assessment_days),
                cohort_id=p.cohort_id,
                owners=(lead,),
                owner_label=who(lead),
                summary=p.company.legal_name,
                url=reverse("mentoring:assessment", args=[p.pk]),
            )
        )
    return items


@register("sign_off", _("Plan sign-off"))
def unsigned_plans(now):
    """The lead signs the latest ready plan version off ``sign_off_days`` after it was ready."""
    leads = tuple(holders(roles.LEAD))
    return [
        Due(
            subject=version,
            key=str(version.pk),
            due_at=version.finished_at + timedelta(days=version.participation.cohort.sign_off_days),
            cohort_id=version.participation.cohort_id,
            owners=leads,
            owner_label="",  # the lead's pool: nobody in particular
            summary=f"{version.participation.company.legal_name} v{version.number}",
            url=reverse("mentoring:plan", args=[version.participation_id]) + "#versions",
            overseer=Overseer.LEADS,
        )
        for version in latest_ready(related=("participation__cohort",))
        if version.finished_at is not None
    ]


def end_of_day(day, zone):
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=zoneinfo.ZoneInfo(zone))


@register("follow_up", _("Follow-up report"))
def open_reports(now):
    """The SME submits a follow-up report by its due date (``follow_up_days`` after it opened)."""
    reports = (
        FollowUpReport.objects.filter(
            state=FollowUpReport.State.OPEN, participation__state__in=(State.FOLLOW_UP,)
        )
        .select_related("participation__cohort", "participation__company")
        .prefetch_related(representatives("participation__"))
    )
    return [
        Due(
            subject=report,
            key=str(report.pk),
            due_at=end_of_day(report.due_on, report.participation.cohort.time_zone),
            cohort_id=report.participation.cohort_id,
            owners=tuple(report.participation.company.representatives.all()),
            owner_label=report.participation.company.legal_name,
            summary=f"{report.participation.company.legal_name} ({report.round})",
            url=reverse("mentoring:follow_up_report", args=[report.pk]),
        )
        for report in reports
    ]
