"""My tasks: the flow tasks assigned to the user, the pool tasks they may claim, their to-dos."""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.views.generic import TemplateView

from ..home import panels_for
from ..links import links_for
from ..todos import todos_for
from ..workflow import assigned_tasks, claimable_tasks

PAGE_SIZE = 25


class MyTasksView(TemplateView):
    """Tasks assigned to the user and pool tasks they may claim, a page of each (``page`` and
    ``pool``) with their totals, and their to-dos: the same queries whatever the number."""

    template_name = "clinic/my_tasks.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        assigned = Paginator(assigned_tasks(user), PAGE_SIZE).get_page(self.request.GET.get("page"))
        pool = Paginator(claimable_tasks(user), PAGE_SIZE).get_page(self.request.GET.get("pool"))
        todos = todos_for(user)
        return super().get_context_data(
            assigned=describe(assigned, "execute", user),
            assigned_page=assigned,
            claimable=describe(pool, "assign"),
            claimable_page=pool,
            todos=todos,
            panels=panels_for(user),
            quick_links=links_for(user),
            waiting_count=assigned.paginator.count + len(todos),
            **kwargs,
        )


def describe(tasks, action, user=None):
    """What My tasks shows for flow tasks: label, the subject (its process's artifact), the link
    (and, for ``user``'s claimed pool tasks, the link that gives them back).

    Artifacts are loaded in one query per artifact type, whatever the number of tasks.
    """
    from ..permissions import can_release_task

    tasks = list(tasks)
    artifacts = load_artifacts(task.process for task in tasks)
    return [
        {
            "task": task,
            "url": task.reverse(action),
            "release_url": task.reverse("unassign")
            if user is not None and can_release_task(user, task)
            else "",
            "title": task.flow_task.task_title or str(task.flow_task),
            "subject": subject_of(
                artifacts.get(
                    (task.process.artifact_content_type_id, task.process.artifact_object_id)
                )
            ),
            "created": task.created,
        }
        for task in tasks
    ]


def load_artifacts(processes):
    """(content type id, pk) -> artifact, with what its process class names as
    ``artifact_related`` joined (what its summary shows), one query per artifact type."""
    wanted = defaultdict(set)
    related = {}
    for process in processes:
        if process.artifact_content_type_id:
            wanted[process.artifact_content_type_id].add(process.artifact_object_id)
            process_class = process.flow_class.process_class
            related[process.artifact_content_type_id] = getattr(
                process_class, "artifact_related", ()
            )
    found = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        rows = model._default_manager.select_related(*related[content_type_id])
        for artifact in rows.filter(pk__in=ids):
            found[(content_type_id, artifact.pk)] = artifact
    return found


def subject_of(artifact):
    if artifact is None:
        return ""
    return getattr(artifact, "summary", None) or str(artifact)
