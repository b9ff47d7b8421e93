"""Builders for the mentoring tests: participants, experts, sessions."""

from datetime import timedelta

from django.utils import timezone

from clinic import roles
from clinic.dimensions import Dimension
from clinic.models import IPAudit, OutboxMessage, QuestionnaireVersion
from clinic.services import ipaudit
from cohorts.models import Application
from cohorts.services import applications
from cohorts.signals import place_confirmed
from mentoring.models import ExpertProfile, Participation, Session
from mentoring.services import matching, session_notes
from mentoring.services import sessions as session_service
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    CompanyFactory,
    answer_required,
    company_with_representative,
    make_user,
    published_version,
)

VERSION = "mentoring-test"


def questionnaire():
    return QuestionnaireVersion.objects.filter(version=VERSION).first() or published_version(
        VERSION
    )


def scores(weak=None, default=3.0):
    """Audit scores: every dimension at ``default`` except ``weak`` {dimension: score}."""
    weak = weak or {}
    return {
        str(d): {"score": weak.get(d, default), "scored": 2, "not_sure": 0, "scorable": 2}
        for d in Dimension.values
    }


def participant(cohort=None, weak=None, **company_kwargs):
    """A confirmed SME whose audit is submitted (participation in mentoring), and its
    representative. ``weak`` sets low self-assessed scores {dimension: score}."""
    questionnaire()
    company, representative = company_with_representative(**company_kwargs)
    application = applications.create_draft(representative, cohort or CohortFactory(), company)
    place_confirmed.send(sender=Application, application=application, actor=representative)
    participation = Participation.objects.get(application=application)
    answer_required(participation.audit, representative)
    ipaudit.submit_audit(representative, participation.audit)
    IPAudit.objects.filter(pk=participation.audit_id).update(scores=scores(weak))
    participation.refresh_from_db()
    assert participation.state == Participation.State.MENTORING
    participation.audit.refresh_from_db()
    return participation, representative


def bare_participant(cohort, state=Participation.State.MENTORING, **company_kwargs):
    """A participation row without its flow (for list pages and query-count guards)."""
    company, representative = company_with_representative(**company_kwargs)
    application = ApplicationFactory(
        cohort=cohort, company=company, state=Application.State.CONFIRMED, pitch_deck=""
    )
    participation = Participation.objects.create(
        application=application, cohort=cohort, company=company, state=state
    )
    return participation, representative


def expert(capacity=4, expertise=None, areas=(), languages=("en",), conflicts=(), **kwargs):
    user = make_user(roles.EXPERT, **kwargs)
    profile = ExpertProfile.objects.create(
        user=user,
        capacity=capacity,
        expertise={str(d): level for d, level in (expertise or {}).items()},
        tech_areas=list(areas),
        languages=list(languages),
    )
    profile.conflicts.set(conflicts)
    return user


def officer():
    return make_user(roles.OFFICER)


def assigned(participation=None, expert_user=None, role="lead", officer_user=None):
    """A participant with an assigned expert: (participation, representative, expert, officer)."""
    if participation is None:
        participation, _representative = participant()
    representative = participation.company.representatives.first()
    expert_user = expert_user or expert()
    officer_user = officer_user or officer()
    matching.assign_expert(officer_user, participation, expert_user, role)
    return participation, representative, expert_user, officer_user


def schedule(participation, actor, *, days=3, **kwargs):
    return session_service.schedule_session(
        actor,
        participation,
        starts_at=kwargs.pop("starts_at", timezone.now() + timedelta(days=days)),
        meeting_url=kwargs.pop("meeting_url", "https://meet.example.org/clinic"),
        agenda=kwargs.pop("agenda", "Patent filing strategy"),
        **kwargs,
    )


def held_session(participation, actor, *, days_ago=1, private="", share=True, **notes):
    """A session that took place ``days_ago`` days ago, with notes logged by ``actor``."""
    session = schedule(
        participation, actor, starts_at=timezone.now() - timedelta(days=days_ago, hours=2)
    )
    session_notes.save_notes(
        actor,
        session,
        outcome=Session.Status.HELD,
        summary=notes.get("summary", "We reviewed the patent portfolio."),
        dimensions=notes.get("dimensions", [5, 7]),
        recommendations=notes.get("recommendations", "File a PCT application."),
        private_notes=private,
        follow_ups=notes.get("follow_ups", []),
        share=share,
        now=session.ends_at + timedelta(hours=1),
    )
    session.refresh_from_db()
    return session


__all__ = ["CompanyFactory", "CohortFactory"]


def messages(kind):
    """The outbox messages of ``kind``, oldest first."""
    return list(OutboxMessage.objects.filter(kind=kind).order_by("pk"))
