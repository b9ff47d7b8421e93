"""The action plan: items by policy or horizon, suggestions, add, change and delete."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clinic.transitions import Refused
from clinic.versioning import save_current

from .. import permissions
from ..forms_plans import (
    ActionItemForm,
    GenerateForm,
)
from ..models import Assessment
from ..services import action_plan as plan_service
from ..services import plan_versions as version_service
from . import assessable_participation


@require_safe
def plan(request, pk):
    """Action items by policy or by horizon, suggestions, the PDF versions."""
    participation = assessable_participation(request, pk)
    user = request.user
    current = get_object_or_404(Assessment, participation=participation)
    items = list(current.actions.all())
    view = "horizon" if request.GET.get("view") == "horizon" else "policy"
    groups = plan_service.by_horizon(items) if view == "horizon" else plan_service.by_policy(items)
    signed = participation.plan_versions.filter(signed_at__isnull=False).exists()
    can_edit = permissions.can_write_assessment(user, participation) and not signed
    versions = list(participation.plan_versions.select_related("requested_by", "signed_by"))
    return render(
        request,
        "mentoring/plan.html",
        {
            "participation": participation,
            "assessment": current,
            "groups": groups,
            "view": view,
            "item_count": len(items),
            "can_edit": can_edit,
            "suggestions": plan_service.suggestions(current) if can_edit else [],
            "versions": versions,
            "can_generate": permissions.can_generate_plan(user, participation)
            and current.state == Assessment.State.SUBMITTED,
            "generate_form": GenerateForm(
                initial={"language": version_service.default_language(participation)}
            ),
            "can_sign": permissions.can_sign_off(user),
            "is_officer": permissions.is_officer(user),
            "horizon_ends": {
                h.value: plan_service.horizon_end(current.assessed_on, h)
                for h in plan_service.Horizon
            },
        },
    )


def _plan_items(request, pk):
    participation = assessable_participation(request, pk)
    current = get_object_or_404(Assessment, participation=participation)
    if not permissions.can_write_assessment(request.user, participation):
        raise Http404
    return participation, current


def item_form(request, pk, item_pk=None):
    """Add (optionally from a suggestion) or change an action item."""
    participation, current = _plan_items(request, pk)
    item = get_object_or_404(current.actions, pk=item_pk) if item_pk else None
    initial = {"currency": participation.cohort.currency}
    key = request.GET.get("suggestion")
    if item is None and key:
        found = next((s for s in plan_service.suggestions(current) if s.key == key), None)
        if found is not None:
            initial.update(found.initial())
    form = ActionItemForm(request.POST or None, instance=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ActionItemForm.Meta.fields}
        try:
            saved = save_current(
                form,
                lambda: (
                    plan_service.add_item(request.user, current, **values)
                    if item is None
                    else plan_service.change_item(request.user, item, **values)
                ),
            )
        except Refused as error:
            form.add_error(None, error.shown(hidden=True))
        else:
            if saved:
                messages.success(request, _("Action saved."))
                return redirect("mentoring:plan", pk=participation.pk)
    return render(
        request,
        "mentoring/action_form.html",
        {
            "participation": participation,
            "assessment": current,
            "form": form,
            "item": item,
            "horizon_ends": [
                (h.label, plan_service.horizon_end(current.assessed_on, h))
                for h in plan_service.Horizon
            ],
        },
        status=form.status,
    )


@require_POST
def item_delete(request, pk, item_pk):
    participation, current = _plan_items(request, pk)
    item = get_object_or_404(current.actions, pk=item_pk)
    try:
        plan_service.delete_item(request.user, item)
    except Refused as error:
        messages.error(request, error.shown())
    else:
        messages.success(request, _("Action deleted."))
    return redirect("mentoring:plan", pk=participation.pk)
