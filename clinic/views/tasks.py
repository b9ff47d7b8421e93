from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from ..todos import todos_for


class MyTasksView(TemplateView):
    template_name = "clinic/my_tasks.html"

    def get_context_data(self, **kwargs):
        from ..workflow import assigned_tasks, claimable_tasks

        user = self.request.user
        assigned = [describe(task, "execute") for task in assigned_tasks(user)]
        todos = todos_for(user)
        return super().get_context_data(
            assigned=assigned,
            claimable=[describe(task, "assign") for task in claimable_tasks(user)],
            todos=todos,
            waiting_count=len(assigned) + len(todos),
            **kwargs,
        )


def describe(task, action):
    """What My tasks shows for a flow task: the task's label, its process's summary, its link."""
    process = task.process.coerced
    return {
        "task": task,
        "url": task.reverse(action),
        "title": task.flow_task.task_title or str(task.flow_task),
        "subject": getattr(process, "summary", "") or str(process),
        "created": task.created,
    }


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
