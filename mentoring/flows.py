"""The participation flow of one confirmed SME: audit, mentoring, assessment, plan, follow-up.

Each stage is a ``Handle`` that the stage's service completes when its data says the stage is
done (sessions, reviews of the plan and follow-up reports repeat: they are data, see DESIGN.md).
Dropping out cancels the process.
"""

from django.db import connection
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.status import STATUS

from clinic import workflow

from .models import ParticipationProcess


class ParticipationFlow(flow.Flow):
    process_class = ParticipationProcess
    process_title = _("Participation")
    lock_impl = lock.select_for_update_lock if connection.vendor == "postgresql" else lock.no_lock

    # Started by the place_confirmed receiver (services.start_participation).
    start = workflow.StartHandle(this.start_process).Next(this.open_audit)

    # The step where the SME's IP audit opens: services.participation.start_participation opens
    # it right after starting the flow (the flow calls no service; it records the stages).
    open_audit = workflow.Function(this.audit_opened).Next(this.audit)

    # Completed when the SME submits its IP audit (clinic.signals.audit_submitted).
    audit = workflow.Handle().Annotation(title=_("IP audit")).Next(this.mentoring)

    # Completed when the lead expert starts the assessment after the sessions.
    mentoring = workflow.Handle().Annotation(title=_("Mentoring sessions")).Next(this.assessment)

    # Completed when the expert submits the IP strategy assessment.
    assessment = workflow.Handle().Annotation(title=_("Strategy assessment")).Next(this.plan)

    # Completed when the programme lead signs off a version of the action plan.
    plan = workflow.Handle().Annotation(title=_("Action plan sign-off")).Next(this.follow_up)

    # Completed by the last (12-month) follow-up report.
    follow_up = workflow.Handle().Annotation(title=_("Follow-up")).Next(this.end)

    end = workflow.End()

    def start_process(self, activation, participation):
        activation.process.artifact = participation
        activation.process.save()
        return activation.process

    def audit_opened(self, activation):
        """Nothing to do here: the service that starts the flow opens the audit."""


def process_of(participation):
    return workflow.process_for(ParticipationProcess, ParticipationFlow, participation)


def complete_stage(participation, node):
    """Complete the stage's Handle if it is waiting (idempotent)."""
    process = process_of(participation)
    if process is None:
        return
    task = process.task_set.filter(flow_task=node, status=STATUS.NEW).first()
    if task is not None:
        node.run(task)


def cancel(participation):
    process = process_of(participation)
    if process is not None and process.status not in (STATUS.DONE, STATUS.CANCELED):
        ParticipationFlow.instance.cancel(process)
