from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from clinic.forms import whole_number
from clinic.services import audit
from clinic.versioning import save_current

from .. import permissions, services
from ..forms import CohortFilterForm, CohortForm, ProgrammeForm
from ..models import Application, Cohort, Programme, Review, SelectionProposal


def officer_only(request):
    if not permissions.can_manage_cohorts(request.user):
        raise Http404


@require_safe
def cohort_list(request):
    cohorts = Cohort.objects.select_related("programme").order_by("-applications_open_at")
    filters = CohortFilterForm(request.GET)
    chosen = filters.cleaned_data["programme"] if filters.is_valid() else None
    if chosen is not None:
        cohorts = cohorts.filter(programme=chosen)
    programme = str(chosen.pk) if chosen is not None else ""
    page = Paginator(cohorts, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "cohorts/cohort_list.html",
        {
            "page": page,
            "programmes": Programme.objects.all(),
            "programme": programme,
            "can_manage": permissions.can_manage_cohorts(request.user),
        },
    )


@require_safe
def cohort_detail(request, pk):
    cohort = get_object_or_404(
        Cohort.objects.select_related("programme", "questionnaire_version"), pk=pk
    )
    can_manage = permissions.can_manage_cohorts(request.user)
    counts = {}
    if can_manage:
        counts = dict(
            cohort.applications.values_list("state")
            .annotate(n=Count("pk"))
            .values_list("state", "n")
        )
    return render(
        request,
        "cohorts/cohort_detail.html",
        {
            "cohort": cohort,
            "can_manage": can_manage,
            "state_counts": [
                (label, counts[value])
                for value, label in Application.State.choices
                if value in counts
            ],
            "open_reviews": (
                Review.objects.filter(
                    application__cohort=cohort, state__in=Review.OPEN_STATES
                ).count()
                if can_manage
                else 0
            ),
            "history": audit.history(cohort)[:50] if can_manage else [],
            "proposal": SelectionProposal.objects.filter(cohort=cohort).first()
            if can_manage
            else None,
        },
    )


def cohort_form(request, pk=None):
    officer_only(request)
    cohort = get_object_or_404(Cohort, pk=pk) if pk else None
    initial = {}
    source = None
    copy_from = whole_number(request.GET.get("copy") or request.POST.get("copy_from"))
    if cohort is None and copy_from is not None:
        source = get_object_or_404(Cohort, pk=copy_from)
        initial = {field: getattr(source, field) for field in CohortForm.Meta.fields}
        initial["programme"] = source.programme_id
        initial.update(name="", name_zh="")
    form = CohortForm(request.POST or None, instance=cohort, initial=initial)
    saved = form.save(commit=False) if request.method == "POST" and form.is_valid() else None
    if saved and save_current(
        form,
        lambda: services.save_cohort(request.user, saved, form.changed_data, copy_from=source),
    ):
        messages.success(request, _("Cohort saved."))
        return redirect("cohorts:detail", pk=saved.pk)
    return render(
        request,
        "cohorts/cohort_form.html",
        {"form": form, "cohort": cohort, "cohorts": Cohort.objects.all(), "source": source},
        status=form.status,
    )


@require_safe
def programme_list(request):
    officer_only(request)
    return render(
        request,
        "cohorts/programme_list.html",
        {"programmes": Programme.objects.prefetch_related("cohorts")},
    )


def programme_form(request, pk=None):
    officer_only(request)
    programme = get_object_or_404(Programme, pk=pk) if pk else None
    form = ProgrammeForm(request.POST or None, instance=programme)
    saved = form.save(commit=False) if request.method == "POST" and form.is_valid() else None
    if saved and save_current(
        form, lambda: services.save_programme(request.user, saved, form.changed_data)
    ):
        messages.success(request, _("Programme saved."))
        return redirect("cohorts:programmes")
    context = {"form": form, "programme": programme}
    return render(request, "cohorts/programme_form.html", context, status=form.status)
