"""The participation of a confirmed SME: one function per transition of its coarse state."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic import permissions
from clinic.services import audit
from clinic.services.ipaudit import questionnaire_for, start_audit
from clinic.transitions import Refused
from cohorts.services.confirmation import place_released

from ..models import Participation
from ..transitions import PARTICIPATION

State = Participation.State


@transaction.atomic
def start_participation(application, actor=None):
    """A place was confirmed: the SME's participation begins (idempotent).

    Side-effects: Participation in state confirmed; audit record; the participation flow starts,
    then the IP audit opens (see ``open_audit``).
    """
    from ..flows import ParticipationFlow

    participation, created = Participation.objects.get_or_create(
        application=application,
        defaults={"cohort": application.cohort, "company": application.company},
    )
    if created:
        audit.record(participation, "participation_started", actor=actor, to_state=State.CONFIRMED)
        ParticipationFlow.start.run(participation=participation)
        open_audit(participation)
    return participation


def open_audit(participation):
    """The SME's IP audit opens on the cohort's questionnaire version (the flow waits for it).

    Side-effects: an IPAudit (draft) linked to the participation; state confirmed -> audit;
    audit record; the audit service notifies the representatives.
    """
    ip_audit = start_audit(
        participation.company,
        questionnaire_for(participation.cohort.questionnaire_version),
        due_days=participation.cohort.audit_days,
    )
    participation.audit = ip_audit
    participation.save(update_fields=["audit", "updated_at"])
    PARTICIPATION.move(participation, "audit_opened")
    if ip_audit.state == ip_audit.State.SUBMITTED:  # an audit the company had already submitted
        audit_submitted(ip_audit)


@transaction.atomic
def audit_submitted(ip_audit, actor=None):
    """The SME submitted its IP audit: participants waiting on it move on to mentoring.

    Side-effects: state audit -> mentoring; audit record; the flow's audit stage completes.
    Later submissions (after a return) change nothing here.
    """
    from ..flows import ParticipationFlow, complete_stage

    for participation in Participation.objects.filter(audit=ip_audit, state=State.AUDIT):
        if PARTICIPATION.move(participation, "audit_completed", actor=actor):
            complete_stage(participation, ParticipationFlow.audit)


@transaction.atomic
def drop_out(actor, participation, reason):
    """An officer records that a participant dropped out, with a reason.

    Side-effects: state -> dropped_out with the reason; audit record; the flow is cancelled;
    planned sessions are cancelled (both sides get the calendar cancellation, see
    ``sessions.cancel_session``); the experts' assignments end, freeing their places; before
    the cohort starts, the freed place is offered to the waitlist (``cohorts`` backfill).
    """
    from ..flows import cancel
    from ..models import Session
    from .sessions import cancel_session

    if not permissions.is_officer(actor):
        raise Refused("not_permitted")
    participation = PARTICIPATION.lock(participation)
    if not PARTICIPATION.allows(participation.state, "dropped_out"):
        raise Refused("wrong_state", _("This participant is no longer in the programme."))
    participation.dropped_reason = reason
    participation.save(update_fields=["dropped_reason", "updated_at"])
    PARTICIPATION.move(participation, "dropped_out", actor=actor, reason=reason)
    cancel(participation)
    for session in participation.sessions.filter(status=Session.Status.PLANNED):
        cancel_session(actor, session, reason)
    participation.assignments.filter(ended_at__isnull=True).update(ended_at=timezone.now())
    place_released(actor, participation.application, reason)  # before the start: to the waitlist
    return participation
