"""Matching: the cohort's assignment board, one participant's ranked experts, assign/remove."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clinic.transitions import Refused
from cohorts.models import Cohort

from .. import permissions
from ..forms import AssignForm
from ..models import Assignment
from ..services import match_scores
from ..services import matching as service
from ..services.experts import expert_users
from . import visible_participation

SUGGESTIONS_ON_BOARD = 3


def _officer(request):
    if not permissions.can_match(request.user):
        raise Http404


@require_safe
def cohort_matching(request, pk):
    """Every participant of the cohort, its experts and its best three available matches."""
    _officer(request)
    cohort = get_object_or_404(Cohort, pk=pk)
    context = match_scores.MatchingContext(cohort)
    rows = []
    for participation in service.participants_to_match(cohort):
        active = [a for a in participation.assignments.all() if a.ended_at is None]
        languages = {u.preferred_language for u in participation.company.representatives.all()}
        suggestions = [
            s for s in context.rank(participation, languages) if s.available and not s.current_role
        ]
        rows.append(
            {
                "participation": participation,
                "lead": next((a for a in active if a.role == Assignment.Role.LEAD), None),
                "support": next((a for a in active if a.role == Assignment.Role.SUPPORT), None),
                "weakest": match_scores.weakest_dimensions(participation.audit),
                "suggestions": suggestions[:SUGGESTIONS_ON_BOARD],
            }
        )
    loads = [
        {
            "expert": user,
            "profile": profile,
            "load": context.loads.get(user.pk, 0),
        }
        for user, profile in context.profiles
    ]
    return render(
        request,
        "mentoring/cohort_matching.html",
        {
            "cohort": cohort,
            "rows": rows,
            "loads": loads,
            "without_lead": sum(1 for row in rows if row["lead"] is None),
        },
    )


@require_safe
def participant_match(request, pk):
    """All experts ranked for one participant, each with its score breakdown."""
    _officer(request)
    participation = visible_participation(request, pk)
    suggestions = match_scores.rank_experts(participation)
    assignments = participation.assignments.filter(ended_at__isnull=True).select_related("expert")
    return render(
        request,
        "mentoring/participant_match.html",
        {
            "participation": participation,
            "suggestions": suggestions,
            "assignments": assignments,
            "weakest": match_scores.weakest_dimensions(participation.audit),
            "roles": Assignment.Role.choices,
        },
    )


@require_POST
def assign(request, pk):
    _officer(request)
    participation = visible_participation(request, pk)
    form = AssignForm(request.POST, experts=expert_users())
    if not form.is_valid():
        messages.error(request, _("Choose an expert and a role."))
        return redirect(_safe_next(request, participation))
    expert, role = form.cleaned_data["expert"], form.cleaned_data["role"]
    try:
        service.assign_expert(
            request.user, participation, expert, role, score=form.cleaned_data["score"]
        )
    except Refused as error:
        messages.error(request, error.shown(hidden=True))
    else:
        messages.success(
            request,
            _("%(expert)s is now the %(role)s of %(company)s; both sides were notified.")
            % {
                "expert": expert,
                "role": Assignment.Role(role).label.lower(),
                "company": participation.company.legal_name,
            },
        )
    return redirect(_safe_next(request, participation))


def _safe_next(request, participation):
    """The page to go back to: a path on this site from ``next``, else the participant's match
    page (an absolute URL elsewhere, or a bare word, is never followed)."""
    target = request.POST.get("next", "")
    on_site = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    if on_site and target.startswith("/"):
        return target
    return reverse("mentoring:match", args=[participation.pk])


@require_POST
def unassign(request, pk):
    _officer(request)
    assignment = get_object_or_404(
        Assignment.objects.select_related("participation__company", "expert"),
        pk=pk,
        ended_at__isnull=True,
    )
    service.unassign_expert(request.user, assignment)
    messages.success(
        request,
        _("%(expert)s no longer mentors %(company)s.")
        % {"expert": assignment.expert, "company": assignment.participation.company.legal_name},
    )
    return redirect(_safe_next(request, assignment.participation))


@require_POST
def assign_all(request, pk):
    _officer(request)
    cohort = get_object_or_404(Cohort, pk=pk)
    made, unmatched = service.assign_all_best_matches(request.user, cohort)
    messages.success(
        request,
        _("%(count)d participants got their best available lead expert.") % {"count": len(made)},
    )
    if unmatched:
        messages.warning(
            request,
            _("No expert with a free place and no conflict for: %(companies)s.")
            % {"companies": ", ".join(p.company.legal_name for p in unmatched)},
        )
    return redirect("mentoring:cohort_matching", pk=cohort.pk)
