"""Who may see and do what in mentoring: the one place that answers it.

Scopes: officers see every participant; an expert only participants they are assigned to (lead
or support, active assignment); an SME representative only its own company's participations.
"""

from django.db.models import Q

from clinic import permissions as core
from clinic.permissions import is_expert, is_officer, is_sme  # noqa: F401 - re-exported

from .models import Participation, Session
from .transitions import FOLLOW_UP, INACTIVE_STATES


def _assigned(user, prefix=""):
    return Q(
        **{
            f"{prefix}assignments__expert": user,
            f"{prefix}assignments__ended_at__isnull": True,
        }
    )


def visible_participations(user):
    if is_officer(user):
        return Participation.objects.all()
    if not user.is_authenticated:
        return Participation.objects.none()
    ids = Participation.objects.filter(_assigned(user) | Q(company__representatives=user)).values(
        "pk"
    )
    return Participation.objects.filter(pk__in=ids)


def can_see_dashboard(user):
    """The programme dashboard (every programme, cohort and person's numbers): officers and
    the lead."""
    return is_officer(user)


def can_see_expert_impact(user, expert):
    """An expert's impact (the companies they led): officers and the lead, and the expert."""
    return is_officer(user) or (user.is_authenticated and user.pk == expert.pk and is_expert(user))


def mentored_participations(user):
    """Participations the user is an active (lead or support) expert of."""
    ids = Participation.objects.filter(_assigned(user)).values("pk")
    return Participation.objects.filter(pk__in=ids)


def visible_sessions(user):
    if is_officer(user):
        return Session.objects.all()
    return Session.objects.filter(participation__in=visible_participations(user).values("pk"))


def is_mentor_of(user, participation):
    return (
        user.is_authenticated
        and participation.assignments.filter(expert=user, ended_at__isnull=True).exists()
    )


def is_representative_of(user, participation):
    return core.represents(user, participation.company)


def works_with(user, participation):
    """Officers and the participant's experts: they see draft notes, unshared follow-ups, the
    history and the notes page of its sessions (the SME sees what was shared)."""
    return is_officer(user) or is_mentor_of(user, participation)


def can_see_private_notes(user, session):
    """Officers and the session's experts; never the SME (even if the user also holds the role)."""
    if is_officer(user):
        return True
    return is_mentor_of(user, session.participation) and not is_representative_of(
        user, session.participation
    )


def can_schedule(user, participation):
    return participation.state not in INACTIVE_STATES and (
        is_officer(user) or is_mentor_of(user, participation)
    )


def can_book(user, participation):
    return participation.state not in INACTIVE_STATES and is_representative_of(user, participation)


def can_change_session(user, session):
    return session.is_open and (
        is_officer(user) or is_mentor_of(user, session.participation) or user == session.expert
    )


def can_cancel_session(user, session):
    """Who may reschedule an open session, and the company's representatives too."""
    return can_change_session(user, session) or (
        session.is_open and is_representative_of(user, session.participation)
    )


def can_move_session(user, session):
    """The company's representatives move an open session to another offered time of its
    expert (officers and experts reschedule it freely: ``can_change_session``)."""
    return session.is_open and is_representative_of(user, session.participation)


def can_edit_notes(user, session, now=None):
    """The session's experts for 7 days after it ends; officers at any time."""
    if is_officer(user):
        return True
    return is_mentor_of(user, session.participation) and not session.notes_locked(now)


def can_rate(user, session):
    return session.status == Session.Status.HELD and is_representative_of(
        user, session.participation
    )


def can_tick_follow_ups(user, participation):
    """Officers and the company's representatives tick the participant's follow-ups."""
    return is_officer(user) or is_representative_of(user, participation)


def can_tick_follow_up(user, follow_up):
    return can_tick_follow_ups(user, follow_up.participation)


def can_edit_profile(user, profile):
    return is_officer(user) or profile.user_id == user.pk


def can_match(user):
    return is_officer(user)


def assigned_companies(user):
    """Q over clinic.Company: companies ``user`` mentors (registered with clinic.permissions)."""
    if not is_expert(user):
        return Q(pk__in=[])
    return Q(
        participations__assignments__expert=user,
        participations__assignments__ended_at__isnull=True,
    )


# --- assessment, action plan, plan versions, follow-up reports --------------------------------


def is_lead_expert_of(user, participation):
    return (
        user.is_authenticated
        and participation.assignments.filter(
            expert=user, role="lead", ended_at__isnull=True
        ).exists()
    )


def can_see_assessment(user, participation):
    """Officers (and the lead) and the participant's experts; the SME sees signed plans only."""
    return is_officer(user) or is_mentor_of(user, participation)


def can_write_assessment(user, participation):
    return participation.state not in INACTIVE_STATES and is_lead_expert_of(user, participation)


def can_return_assessment(user, participation):
    return is_officer(user)


def can_generate_plan(user, participation):
    return participation.state not in INACTIVE_STATES and (
        is_officer(user) or is_mentor_of(user, participation)
    )


def can_sign_off(user):
    return core.is_lead(user)


def visible_plan_versions(user):
    """Officers every version; experts their participants' versions; the SME signed ones only."""
    from .models import PlanVersion

    if is_officer(user):
        return PlanVersion.objects.all()
    if not user.is_authenticated:
        return PlanVersion.objects.none()
    mentored = mentored_participations(user).values("pk")
    return PlanVersion.objects.filter(
        Q(participation__in=mentored)
        | Q(participation__company__representatives=user, signed_at__isnull=False)
    ).distinct()


def can_download_draft(user, version):
    """Unsigned PDFs: officers and the participant's experts, never the SME."""
    return is_officer(user) or is_mentor_of(user, version.participation)


def can_report_follow_up(user, report):
    return is_representative_of(user, report.participation) or is_officer(user)


def can_fill_follow_up(user, report):
    """The report's page offers its form to the company's representatives while it is open
    (officers submit through the service or the API only)."""
    return FOLLOW_UP.allows(report.state, "follow_up_submitted") and is_representative_of(
        user, report.participation
    )


def can_confirm_re_rating(user, report):
    """The 12-month re-rating is confirmed or adjusted by the participant's lead expert (an
    officer only when it has none)."""
    if report.round != 12 or not user.is_authenticated:
        return False
    participation = report.participation
    if is_lead_expert_of(user, participation):
        return True
    has_lead = participation.assignments.filter(role="lead", ended_at__isnull=True).exists()
    return is_officer(user) and not has_lead
