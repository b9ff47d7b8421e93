"""Eligibility screening: the officers' queue and the screening decision (a flow node view)."""

from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import FormView

from clinic.services import audit
from clinic.text_search import matching, natural
from clinic.transitions import Refused
from clinic.workflow import came_from_tasks

from .. import permissions
from ..forms import ScreeningForm
from ..models import Application, Cohort
from ..services import screening
from ..transitions import APPLICATION


@require_safe
def screening_queue(request, pk):
    """Submitted applications of a cohort waiting for screening, oldest first."""
    if not permissions.can_screen(request.user):
        raise Http404
    cohort = get_object_or_404(Cohort, pk=pk)
    state = request.GET.get("state", Application.State.SUBMITTED)
    if state not in Application.State.values:
        state = Application.State.SUBMITTED
    query = request.GET.get("q", "").strip()[:100]
    order = request.GET.get("order", "submitted")
    applications = matching(
        cohort.applications.filter(state=state)
        .select_related("company")
        .prefetch_related("eligibility_checks"),
        query,
        ["company__legal_name", "company__local_name", "tech_title"],
        order=QUEUE_ORDERS.get(order, QUEUE_ORDERS["submitted"]),
    )
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    counts = dict(_state_counts(cohort))
    return render(
        request,
        "cohorts/screening_queue.html",
        {
            "cohort": cohort,
            "page": page,
            "state": state,
            "counts": counts,
            "q": query,
            "clean": screening.clean_applications(cohort).count()
            if state == Application.State.SUBMITTED
            else 0,
            "states": [
                (value, label, counts.get(value, 0))
                for value, label in Application.State.choices
                if counts.get(value) or value in (state, Application.State.SUBMITTED)
            ],
        },
    )


# The queue's orderings (``order`` parameter; a leading "-" is the same column reversed).
QUEUE_ORDERS = {
    "submitted": ("last_submitted_at", "pk"),
    "-submitted": ("-last_submitted_at", "-pk"),
    "company": (natural("company__legal_name"), "pk"),
    "-company": (natural("company__legal_name", descending=True), "-pk"),
}


@require_POST
def confirm_clean(request, pk):
    """Confirm every submitted application that passed all eligibility rules (a second click
    finds none left)."""
    if not permissions.can_screen(request.user):
        raise Http404
    cohort = get_object_or_404(Cohort, pk=pk)
    count = screening.confirm_all_clean(request.user, cohort)
    messages.success(
        request,
        ngettext(
            "%(count)d application confirmed eligible.",
            "%(count)d applications confirmed eligible.",
            count,
        )
        % {"count": count},
    )
    return redirect("cohorts:screening", pk=cohort.pk)


def error_text(error):
    return " ".join(error.messages) if isinstance(error, ValidationError) else error.shown()


def _state_counts(cohort):
    from django.db.models import Count

    return (
        cohort.applications.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )


# The page after a screening decision (and after the same decision made again).
DONE_MESSAGES = APPLICATION.done_messages(Application.State.SUBMITTED)


class ScreenApplicationView(FormView):
    """Confirm eligible, mark ineligible, or ask for information.

    Opened from the screening queue, or forwarded here by the flow's ``screen`` task
    (``?from=tasks``: back to My tasks when done); the service completes the flow task.
    """

    form_class = ScreeningForm
    template_name = "cohorts/screen_application.html"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_screen(request.user):
            raise Http404
        self.application = get_object_or_404(Application, pk=kwargs.get("pk"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        application = self.application
        return super().get_context_data(
            application=application,
            checks=application.eligibility_checks.all(),
            history=audit.history(application)[:30],
            **kwargs,
        )

    def form_valid(self, form):
        decision = form.cleaned_data["decision"]
        reason = form.cleaned_data["reason"]
        try:
            if decision == ScreeningForm.ELIGIBLE:
                decided = screening.confirm_eligible(self.request.user, self.application, reason)
            elif decision == ScreeningForm.INELIGIBLE:
                decided = screening.mark_ineligible(self.request.user, self.application, reason)
            else:
                due = form.cleaned_data["due_date"]
                due_at = timezone.make_aware(datetime.combine(due, time(23, 59))) if due else None
                decided = screening.request_information(
                    self.request.user, self.application, reason, due_at
                )
        except (Refused, ValidationError) as error:
            form.add_error(None, error_text(error))
            return self.form_invalid(form)
        messages.success(self.request, DONE_MESSAGES[decided.state])
        if came_from_tasks(self.request):
            return redirect("home")
        return redirect("cohorts:screening", pk=self.application.cohort_id)
