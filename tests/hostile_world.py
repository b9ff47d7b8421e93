"""The world the hostile walk runs in: one object in every state for every URL parameter (used by
tests/clinic/test_hostile_walk.py through tests/hostile.py)."""

from datetime import timedelta

from django.utils import timezone

from tests.hostile import World


def world():
    """One object of every kind, with the users of every role who can act on them."""
    from clinic import roles
    from clinic.models import CompanyInvitation, OutboxMessage
    from clinic.services import accounts, evidence
    from cohorts.models import Conflict
    from cohorts.services import proposals, reviews
    from mentoring.models import FollowUpReport, PlanVersion, Session
    from mentoring.services import plan_versions, slots
    from mentoring.services import sessions as session_service
    from tests.cohorts.selection_helpers import applicant, rows_of, selection_cohort
    from tests.factories import (
        ApplicationFactory,
        eligible_application,
        make_user,
        pdf_file,
        submitted_application,
    )
    from tests.mentoring.plan_helpers import lead, submitted

    participation, representative, expert, officer, assessment = submitted(
        follow_ups=[{"title": "Draft the NDA", "owner": "CEO", "due_date": None}]
    )
    the_lead = lead()
    version = plan_versions.request_version(expert, participation, render_now=True)
    assert version.state == PlanVersion.State.READY
    plan_versions.sign_off(the_lead, version)
    report = FollowUpReport.objects.create(
        participation=participation, round=6, due_on=timezone.localdate() + timedelta(days=30)
    )
    session = participation.sessions.order_by("pk").first()
    upcoming = session_service.schedule_session(
        expert,
        participation,
        starts_at=timezone.now() + timedelta(days=5),
        meeting_url="https://meet.example.org/x",
        agenda="Trademarks",
    )
    assert upcoming.status == Session.Status.PLANNED
    slot = slots.offer_slot(
        expert, starts_at=timezone.now() + timedelta(days=9), meeting_url="https://m.example.org"
    )
    audit = participation.audit
    from clinic.models import IPAudit

    IPAudit.objects.filter(pk=audit.pk).update(state="draft")
    audit.refresh_from_db()
    item = evidence.add_evidence(representative, audit, 1, pdf_file("proof.pdf"), "Proof")
    IPAudit.objects.filter(pk=audit.pk).update(state=audit.state)
    asset = participation.company.ip_assets.create(
        asset_type="trademark", title="GreenMark", status="idea"
    )
    # applications: one in screening (its flow task), one under review with a conflict
    cohort = participation.cohort
    screened, _rep = submitted_application(cohort=cohort)
    reviewer = make_user(roles.REVIEWER)
    under_review, _rep2 = eligible_application(officer, cohort=cohort)
    review = reviews.assign_reviewer(officer, under_review, reviewer)
    second = reviews.assign_reviewer(officer, under_review, make_user(roles.REVIEWER))
    reviews.declare_conflict(second.reviewer, second, "Shareholder")
    conflict = Conflict.objects.get(reviewer=second.reviewer)
    # a selection process with its edit and approve tasks
    selection = selection_cohort()
    for score in (5, 4, 3, 2):
        applicant(selection, score)
    proposal = proposals.start_proposal(officer, selection)
    proposals.save_proposal(officer, proposal, proposal.version, rows_of(proposal), submit=True)
    from viewflow.workflow.models import Task

    def task_of(node):
        task = Task.objects.filter(flow_task__endswith=f".{node}").order_by("-pk").first()
        return (task.process_id, task.pk)

    invitation_token = "x" * 40
    CompanyInvitation.objects.filter(company=participation.company).delete()
    accounts.invite_representative(representative, participation.company, "colleague@example.org")
    invitation = CompanyInvitation.objects.filter(company=participation.company).first()
    if invitation is not None:
        invitation_token = invitation.token
    from clinic.models import QuestionnaireVersion

    draft = QuestionnaireVersion.objects.create(
        version="hostile-draft", title={"en": "Draft"}, content={}, status="draft"
    )
    ApplicationFactory(cohort=cohort)  # a draft of another company, out of everyone's scope
    event, registration = event_world(officer, participation, representative)
    matchmaking = matchmaking_world(participation.company, representative, officer)
    message = OutboxMessage.objects.order_by("pk").first()
    w = World()
    w.users = {
        "anonymous": None,
        "sme": representative,
        "reviewer": reviewer,
        "expert": expert,
        "officer": officer,
        "lead": the_lead,
        "partner": matchmaking["partner_user"],
    }
    w.ids = {
        "user": representative.pk,
        "company": participation.company_id,
        "message": message.pk,
        "cohort": cohort.pk,
        "application": screened.pk,
        "review": review.pk,
        "conflict": conflict.pk,
        "programme": cohort.programme_id,
        "audit": audit.pk,
        "evidence": item.pk,
        "questionnaire": draft.pk,
        "expert": expert.pk,
        "participation": participation.pk,
        "assignment": participation.assignments.first().pk,
        "session": session.pk,
        "follow_up": session.follow_ups.first().pk,
        "slot": slot.pk,
        "plan_version": version.pk,
        "report": report.pk,
        "event": event.pk,
        "registration": registration.pk,
        "technology": matchmaking["technology"].pk,
        "need": matchmaking["need"].pk,
        "partner": matchmaking["partner"].pk,
        "introduction": matchmaking["introduction"].pk,
    }
    w.extra = {
        "item_pk": assessment.actions.first().pk,
        "asset_pk": asset.pk,
        "dimension": 1,
        "number": 1,
        "token": invitation_token,
        "uidb64": "MQ",
        "item": registration.pk,
        "page": 1,
        "applications:screen": task_of("screen"),
        "selection:approve": task_of("approve"),
        "selection:edit": task_of("edit"),
        "company_pk": participation.company_id,
        "action": "submit",
        "decision": "approve",
        "fmt": "csv",
    }
    return w


def event_world(officer, participation, representative):
    """A published event of the participant's cohort, its company invited and registered."""
    from tests.mentoring.events.helpers import new_event, register

    event, _officer = new_event(officer, participation.cohort)
    from mentoring.events.services import invitations

    (invitation,) = invitations.invite_companies(officer, event, [participation.company])
    return event, register(invitation, representative)


def matchmaking_world(company, representative, officer):
    """An approved technology of ``company``, a partner with an open need, an introduction."""
    from mentoring.matchmaking.services import introductions
    from tests.mentoring.matchmaking.helpers import need, partner, technology

    organisation, partner_user = partner()
    tech = technology(company, representative, state="approved", staff=officer)
    challenge = need(organisation, partner_user, staff=officer)
    introduction, _created = introductions.propose(officer, tech, organisation, challenge, "Fit")
    return {
        "partner_user": partner_user,
        "technology": tech,
        "need": challenge,
        "partner": organisation,
        "introduction": introduction,
    }
