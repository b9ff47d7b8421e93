"""Officers edit a cohort's rubric until its first review is submitted."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from clinic.versioning import save_current

from ..forms_reviews import criterion_formset
from ..models import Cohort
from ..permissions import can_manage_cohorts
from ..services import rubric as rubric_service


def rubric(request, pk):
    if not can_manage_cohorts(request.user):
        raise Http404
    cohort = get_object_or_404(Cohort, pk=pk)
    rubric_service.ensure_rubric(cohort)
    locked = rubric_service.rubric_locked(cohort)
    formset = criterion_formset(
        cohort, request.POST if request.method == "POST" and not locked else None
    )
    if request.method == "POST" and not locked and formset.is_valid():
        kept = [
            form.save(commit=False)
            for form in formset.forms
            if form.has_changed() or form.instance.pk
            if form not in formset.deleted_forms and form.cleaned_data
        ]
        deleted = [form.instance for form in formset.deleted_forms if form.instance.pk]
        if save_current(
            formset, lambda: rubric_service.save_rubric(request.user, cohort, kept, deleted)
        ):
            messages.success(request, _("Rubric saved."))
            return redirect("cohorts:rubric", pk=cohort.pk)
    return render(
        request,
        "cohorts/rubric.html",
        {
            "cohort": cohort,
            "formset": formset,
            "locked": locked,
            "criteria": cohort.criteria.all(),
            "total": sum(c.weight for c in cohort.criteria.all()),
        },
        status=formset.status,
    )
