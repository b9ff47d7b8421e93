"""Project viewflow nodes and the My tasks query.

Viewflow's own Material pages (index, detail, cancel, undo, revive) only work inside its ``Site``,
so our nodes switch them off and point claim/release at our own views. Tasks given to a named user
(``.Assign``) cannot be released: only pool tasks (``.Permission``) can.
"""

from django.db.models import Q
from viewflow.workflow import flow
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from .views.tasks import ClaimTaskView, ReleaseTaskView


def process_for(process_class, flow_class, artifact):
    """The latest ``process_class`` process of ``flow_class`` whose artifact is ``artifact``."""
    return (
        process_class.objects.filter(
            flow_class=flow_class,
            artifact_object_id=artifact.pk,
            artifact_content_type__app_label=artifact._meta.app_label,
            artifact_content_type__model=artifact._meta.model_name,
        )
        .order_by("-pk")
        .first()
    )


def open_task_of(process, node):
    """The task of ``process`` at ``node`` that is not yet done, cancelled or revived."""
    if process is None:
        return None
    return (
        process.task_set.filter(flow_task=node)
        .exclude(status__in=[STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED])
        .first()
    )


class NoMaterialPages:
    index_view_class = None
    detail_view_class = None
    cancel_view_class = None
    undo_view_class = None
    revive_view_class = None


class Start(NoMaterialPages, flow.Start):
    pass


class StartHandle(NoMaterialPages, flow.StartHandle):
    pass


class End(NoMaterialPages, flow.End):
    pass


class Handle(NoMaterialPages, flow.Handle):
    pass


class Function(NoMaterialPages, flow.Function):
    pass


class If(NoMaterialPages, flow.If):
    pass


class Split(NoMaterialPages, flow.Split):
    pass


class Join(NoMaterialPages, flow.Join):
    pass


class View(NoMaterialPages, flow.View):
    assign_view_class = ClaimTaskView
    unassign_view_class = ReleaseTaskView

    def can_unassign(self, user, task):
        """Only pool tasks may be released; a task given to a named user stays with them."""
        if not task.owner_permission:
            return False
        return super().can_unassign(user, task)


def assigned_tasks(user):
    """Open flow tasks that belong to ``user``."""
    return (
        Task.objects.filter(owner=user, status=STATUS.ASSIGNED)
        .select_related("process")
        .order_by("created")
    )


def claimable_tasks(user):
    """Pool tasks ``user`` may claim: only tasks that carry a permission (never open-to-all),
    and only those the node lets this user take (e.g. never the selection they proposed)."""
    tasks = (
        Task.objects.user_queue(user)
        .filter(status=STATUS.NEW, owner__isnull=True)
        .filter(~Q(owner_permission__isnull=True), ~Q(owner_permission=""))
        .select_related("process")
        .order_by("created")
    )
    return [task for task in tasks if task.flow_task.can_assign(user, task)]
