"""The application flow: from submission through screening and review to its outcome.

The screening decision is an officer pool task (``.Permission``); the waits for the SME's
information, for the reviews and for the selection decision are ``Handle`` nodes the services
complete (reviews repeat per reviewer: they are data, see DESIGN.md). A withdrawal cancels the
process. The selection capability completes ``decision``.

The selection flow (one per cohort): an officer starts it, officers edit the proposal (a pool
task), and a lead who took no part in proposing it approves or returns it (four-eyes: the node,
the page and the service ask ``permissions.can_approve``).

One door per task: a user task's URL forwards to our page (the screening page, the proposal
page) and the page's service completes the task (``workflow.complete_task``).
"""

from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.status import STATUS

from clinic import workflow

from . import permissions
from .models import Application, ApplicationProcess, SelectionProcess, SelectionProposal
from .transitions import APPLICATION, PROPOSAL

State = Application.State


def screening_page(task):
    return reverse("cohorts:screen", args=[task.process.artifact_object_id])


def screening_done_message(task):
    """The message of a screening task done (shown again to a repeated POST)."""
    application = Application.objects.get(pk=task.process.artifact_object_id)
    done = APPLICATION.done_messages(State.SUBMITTED)
    return done.get(application.state, _("This application is already screened."))


def proposal_page(task):
    proposal = SelectionProposal.objects.get(pk=task.process.artifact_object_id)
    return reverse("cohorts:proposal", args=[proposal.cohort_id])


def proposal_done_message(task):
    """The message after the edit task (submitted) or the approve task (approved or returned)
    was done: shown again to a repeated POST."""
    proposal = SelectionProposal.objects.get(pk=task.process.artifact_object_id)
    if task.flow_task.name == "edit":
        return PROPOSAL["proposal_submitted"].done
    return PROPOSAL.done_messages(SelectionProposal.State.SUBMITTED)[proposal.state]


class ApplicationFlow(flow.Flow):
    process_class = ApplicationProcess
    process_title = _("Application")
    lock_impl = lock.select_for_update_lock if connection.vendor == "postgresql" else lock.no_lock

    # The SME submitted (started by services.applications.submit).
    start = (
        workflow.StartHandle(this.start_process).Annotation(title=_("Submitted")).Next(this.screen)
    )

    # An officer confirms eligibility, marks it ineligible or asks for information.
    screen = (
        workflow.View(screening_page, done_message=screening_done_message)
        .Annotation(title=_("Screen application"))
        .Permission("cohorts.screen_application")
        .Next(this.after_screening)
    )

    # Eligible applications go to review; needs-information waits for the SME.
    after_screening = (
        workflow.If(lambda activation: activation.process.application.state == State.ELIGIBLE)
        .Annotation(title=_("Eligible?"))
        .Then(this.reviews)
        .Else(this.needs_info)
    )
    needs_info = (
        workflow.If(lambda activation: activation.process.application.state == State.NEEDS_INFO)
        .Annotation(title=_("Information requested?"))
        .Then(this.await_information)
        .Else(this.end)
    )

    # Completed by the SME's resubmission (a missed deadline withdraws and cancels instead).
    await_information = (
        workflow.Handle().Annotation(title=_("Wait for information")).Next(this.screen)
    )

    # Completed when the cohort's minimum number of counting reviews is submitted.
    reviews = workflow.Handle().Annotation(title=_("Wait for reviews")).Next(this.decision)

    # Completed by the selection decision (selected, waitlisted or not selected).
    decision = workflow.Handle().Annotation(title=_("Wait for the selection")).Next(this.end)

    end = workflow.End().Annotation(title=_("Closed"))

    def start_process(self, activation, application):
        activation.process.artifact = application
        activation.process.save()
        return activation.process


def process_of(application):
    return workflow.process_for(ApplicationProcess, ApplicationFlow, application)


def open_task(application, node):
    return workflow.open_task_of(process_of(application), node)


def start_application_flow(application):
    return ApplicationFlow.start.run(application=application)


def _run_handle(application, node):
    task = open_task(application, node)
    if task is not None and task.status == STATUS.NEW:
        node.run(task)


def screening_done(application, actor):
    """Complete the screening task (the screening service calls this: its one door)."""
    workflow.complete_task(ApplicationFlow, open_task(application, ApplicationFlow.screen), actor)


def information_received(application):
    _run_handle(application, ApplicationFlow.await_information)


def reviews_done(application):
    _run_handle(application, ApplicationFlow.reviews)


def decision_made(application):
    _run_handle(application, ApplicationFlow.decision)


def application_closed(application):
    """Cancel the application's process (withdrawal)."""
    process = process_of(application)
    if process is not None and process.status not in ("DONE", "CANCELED"):
        ApplicationFlow.instance.cancel(process)


# --- The selection proposal flow (issue 4) ------------------------------------------------------


class ApproveNode(workflow.View):
    """A lead's pool task that nobody who took part in proposing the selection may claim or do
    (four-eyes: ``permissions.can_approve``, also asked by the proposal page and the service)."""

    def _may_approve(self, user, task):
        proposal = SelectionProposal.objects.filter(pk=task.process.artifact_object_id).first()
        return proposal is not None and permissions.can_approve(user, proposal)

    def can_assign(self, user, task):
        return super().can_assign(user, task) and self._may_approve(user, task)

    def claim_filter(self, user):
        """``can_assign`` for lists: never a proposal ``user`` took part in proposing."""
        authored = permissions.authored_proposals(user).values("pk")
        return ~Q(process__artifact_object_id__in=authored)

    def can_execute(self, user, task):
        return super().can_execute(user, task) and self._may_approve(user, task)


class SelectionFlow(flow.Flow):
    process_class = SelectionProcess
    process_title = _("Cohort selection")
    lock_impl = lock.select_for_update_lock if connection.vendor == "postgresql" else lock.no_lock

    # An officer started the proposal from the suggestion (services.proposals.start_proposal).
    start = (
        workflow.StartHandle(this.start_process)
        .Annotation(title=_("Selection started"))
        .Next(this.edit)
    )

    # Officers edit the proposal (reasons for deviations) and submit it to the lead.
    edit = (
        workflow.View(proposal_page, done_message=proposal_done_message)
        .Annotation(title=_("Prepare the selection proposal"))
        .Permission("cohorts.propose_selection")
        .Next(this.approve)
    )

    # A lead who did not propose it approves (publishing every decision) or returns it.
    approve = (
        ApproveNode(proposal_page, done_message=proposal_done_message)
        .Annotation(title=_("Approve the cohort selection"))
        .Permission("cohorts.approve_selection")
        .Next(this.approved)
    )

    # Approved: the flow ends; returned: the officers edit it again.
    approved = (
        workflow.If(
            lambda activation: activation.process.proposal.state == SelectionProposal.State.APPROVED
        )
        .Annotation(title=_("Approved?"))
        .Then(this.end)
        .Else(this.edit)
    )

    end = workflow.End().Annotation(title=_("Selection published"))

    def start_process(self, activation, proposal):
        activation.process.artifact = proposal
        activation.process.save()
        return activation.process


def selection_process_of(proposal):
    return workflow.process_for(SelectionProcess, SelectionFlow, proposal)


def open_selection_task(proposal, node):
    return workflow.open_task_of(selection_process_of(proposal), node)


def start_selection_flow(proposal):
    return SelectionFlow.start.run(proposal=proposal)


def proposal_submitted(proposal, actor):
    workflow.complete_task(SelectionFlow, open_selection_task(proposal, SelectionFlow.edit), actor)


def proposal_decided(proposal, actor):
    task = open_selection_task(proposal, SelectionFlow.approve)
    workflow.complete_task(SelectionFlow, task, actor)
