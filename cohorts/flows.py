"""The application flow: from submission through screening and review to its outcome.

The screening decision is an officer pool task (``.Permission``); the waits for the SME's
information, for the reviews and for the selection decision are ``Handle`` nodes the services
complete (reviews repeat per reviewer: they are data, see DESIGN.md). A withdrawal cancels the
process. The selection capability completes ``decision``.
"""

import threading
from contextlib import contextmanager

from django.db import connection
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.status import STATUS

from clinic import workflow

from .models import Application, ApplicationProcess
from .views.screening import ScreenApplicationView

State = Application.State


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
        workflow.View(ScreenApplicationView.as_view())
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
    return (
        ApplicationProcess.objects.filter(
            flow_class=ApplicationFlow,
            artifact_object_id=application.pk,
            artifact_content_type__model="application",
            artifact_content_type__app_label="cohorts",
        )
        .order_by("-pk")
        .first()
    )


def open_task(application, node):
    process = process_of(application)
    if process is None:
        return None
    return (
        process.task_set.filter(flow_task=node)
        .exclude(status__in=[STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED])
        .first()
    )


def start_application_flow(application):
    return ApplicationFlow.start.run(application=application)


def _run_handle(application, node):
    task = open_task(application, node)
    if task is not None and task.status == STATUS.NEW:
        node.run(task)


_executing = threading.local()


@contextmanager
def executing(task):
    """Mark ``task`` as being executed by its node view, which calls ``execute()`` itself."""
    previous = getattr(_executing, "task_id", None)
    _executing.task_id = task.pk
    try:
        yield
    finally:
        _executing.task_id = previous


def screening_done(application, actor):
    """Complete the screening task, unless our node view is executing it (it calls execute)."""
    task = open_task(application, ApplicationFlow.screen)
    if task is None or task.pk == getattr(_executing, "task_id", None):
        return
    with ApplicationFlow.lock(task.process_id):
        activation = task.flow_task.activation_class(task)
        if task.status == STATUS.NEW:
            activation.assign(actor)
        activation.start(None)
        activation.execute()


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
