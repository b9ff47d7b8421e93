"""Project viewflow nodes and the My tasks query.

Viewflow's own Material pages (index, detail, cancel, undo, revive) only work inside its ``Site``,
so our nodes switch them off and point claim/release at our own views. Tasks given to a named user
(``.Assign``) cannot be released: only pool tasks (``.Permission``) can.

Every task URL names a process and a node: it answers 404 unless the task is that process's task
at that node (viewflow itself only compares the flow), and the claim and release pages answer 404
unless the node lets this user claim or release it (``permissions.can_claim_task`` /
``can_release_task`` and the node's own ``can_assign``).
"""

from functools import update_wrapper

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.generic import FormView
from viewflow.workflow import flow
from viewflow.workflow.flow import utils
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from . import permissions


class ClaimTaskView(FormView):
    """Claim a pool task (viewflow's assign), then go straight to it."""

    form_class = forms.Form
    template_name = "clinic/task_claim.html"

    def form_valid(self, form):
        self.request.activation.assign(self.request.user)
        messages.success(self.request, _("The task is yours now."))
        return redirect(self.request.activation.task.reverse("execute"))


class ReleaseTaskView(FormView):
    """Give a claimed pool task back to the pool."""

    form_class = forms.Form
    template_name = "clinic/task_release.html"

    def form_valid(self, form):
        self.request.activation.unassign()
        messages.success(self.request, _("The task is back in the pool."))
        return redirect("home")


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


def task_at(node, process_pk, task_pk):
    """The task ``task_pk`` if it is ``process_pk``'s task at ``node``, else None."""
    return (
        Task.objects.filter(pk=task_pk, process_id=process_pk, flow_task=node)
        .select_related("process")
        .first()
    )


def scoped_task_view(node, view, allowed, action=""):
    """Wrap a node's task view: 404 unless the URL's task is at the URL's process and node and
    ``allowed(user, task)``; a POST runs under the flow lock, checking again inside it. A POST
    repeating what this user already did to the task (a double click) gets the page the first
    one got (``node.repeated``)."""

    def wrapped(request, process_pk, task_pk, **kwargs):
        def call():
            task = task_at(node, process_pk, task_pk)
            if task is not None and request.method == "POST":
                response = node.repeated(request, task, action)
                if response is not None:
                    return response
            if task is None or not allowed(request.user, task):
                raise Http404
            return view(request, process_pk=process_pk, task_pk=task_pk, **kwargs)

        if request.method == "POST":
            with node.flow_class.lock(process_pk), transaction.atomic():
                return call()
        return call()

    return update_wrapper(wrapped, view)


FROM_TASKS = "from=tasks"


def came_from_tasks(request):
    """Whether our page was opened through a task of My tasks (its node forwarded here)."""
    return request.GET.get("from") == "tasks"


class View(NoMaterialPages, flow.View):
    """A user task done on our own page: one door. The node's execute URL forwards to
    ``page(task)`` (with ``?from=tasks``, so the page goes back to My tasks when done) and the
    page's service completes the task (``complete_task``); no node view executes a task.

    Pool tasks (``.Permission``) are claimed and released through our pages; tasks given to a
    named user (``.Assign``) stay with them. ``done_message(task)`` is shown again to a POST
    that repeats a task the user already did.
    """

    assign_view_class = ClaimTaskView
    unassign_view_class = ReleaseTaskView

    def __init__(self, page, *, done_message=None, **kwargs):
        self.page = page
        self.done_message = done_message
        super().__init__(self.forward, **kwargs)

    def forward(self, request, **kwargs):
        return redirect(f"{self.page(request.activation.task)}?{FROM_TASKS}")

    def can_assign(self, user, task):
        return task.flow_task == self and permissions.can_claim_task(user, task)

    def can_unassign(self, user, task):
        return task.flow_task == self and permissions.can_release_task(user, task)

    def _task_url(self, action, view, allowed):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/{action}/",
            scoped_task_view(self, view, allowed, action),
            name=action,
        )

    def repeated(self, request, task, action):
        """The response to a POST that repeats what ``request.user`` already did to ``task``:
        claimed it (back to the task) or did it (to My tasks with the node's
        ``done_message(task)``); ``None`` when it is not a repeat."""
        if task.owner_id != request.user.pk:
            return None
        if action == "assign" and task.status in (STATUS.ASSIGNED, STATUS.STARTED):
            messages.success(request, _("The task is yours now."))
            return redirect(task.reverse("execute"))
        if action == "execute" and task.status == STATUS.DONE:
            done = self.done_message
            messages.success(request, done(task) if done else _("Done."))
            return redirect("home")
        return None

    @property
    def view_path(self):
        return self._task_url("execute", utils.wrap_view(self, self.view), self.can_execute)

    @property
    def assign_path(self):
        claim = utils.wrap_task_view(self, self.assign_view, permission=self.can_assign)
        return self._task_url("assign", claim, self.can_assign)

    @property
    def unassign_path(self):
        release = utils.wrap_task_view(self, self.unassign_view, permission=self.can_unassign)
        return self._task_url("unassign", release, self.can_unassign)

    def claim_filter(self, user):
        """``can_assign`` as a condition on Task rows of this node beyond the permission queue
        (which ``claimable_tasks`` already applies): lists filter in the database, never per
        task in Python. A node that narrows ``can_assign`` narrows this too."""
        return Q()


def complete_task(flow_class, task, actor):
    """Complete the user task ``task`` for ``actor`` (the service that did its work calls this):
    a pool task is given to ``actor``, and one another user had claimed becomes theirs, since
    they did it. Nothing happens when ``task`` is ``None`` (no open task: done already)."""
    if task is None:
        return
    with flow_class.lock(task.process_id):
        activation = task.flow_task.activation_class(task)
        if task.status == STATUS.NEW:
            activation.assign(actor)
        elif task.owner_id != actor.pk:
            task.owner = actor
            task.save(update_fields=["owner"])
        activation.start(None)
        activation.execute()


def assigned_tasks(user):
    """Open flow tasks that belong to ``user``."""
    return (
        Task.objects.filter(owner=user, status=STATUS.ASSIGNED)
        .select_related("process")
        .order_by("created")
    )


def claimable_tasks(user):
    """Pool tasks ``user`` may claim, as a queryset: only tasks that carry a permission (never
    open-to-all), and only those the node lets this user take (e.g. never a selection they took
    part in proposing): each node's ``claim_filter``, the query form of its ``can_assign``."""
    pool = (
        Task.objects.user_queue(user)
        .filter(status=STATUS.NEW, owner__isnull=True)
        .filter(~Q(owner_permission__isnull=True), ~Q(owner_permission=""))
    )
    allowed = Q(pk__in=[])
    for node in set(pool.order_by().values_list("flow_task", flat=True).distinct()):
        narrow = getattr(node, "claim_filter", None)
        allowed |= Q(flow_task=node) & (narrow(user) if narrow else Q())
    return pool.filter(allowed).select_related("process").order_by("created", "pk")
