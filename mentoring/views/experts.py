"""Expert profiles: the officers' list, a profile page, the edit form."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from clinic.forms import search_text
from clinic.search import PEOPLE_FIELDS
from clinic.text_search import matching
from clinic.transitions import Refused
from clinic.versioning import save_current

from .. import permissions
from ..forms import ExpertProfileForm
from ..models import Assignment
from ..services import experts as service
from ..services.progress import expert_rating_averages


@require_safe
def expert_list(request):
    if not permissions.is_officer(request.user):
        raise Http404
    query = search_text(request.GET.get("q"))
    users = matching(service.expert_users(), query, PEOPLE_FIELDS, order=service.EXPERT_ORDER)
    users = users.select_related("expert_profile").annotate(
        active_count=Count(
            "mentor_assignments", filter=Q(mentor_assignments__ended_at__isnull=True)
        )
    )
    users = list(users)
    ratings = expert_rating_averages([u.pk for u in users])
    for user in users:
        user.profile = getattr(user, "expert_profile", None)
        user.rating = ratings.get(user.pk)
    return render(request, "mentoring/expert_list.html", {"experts": users, "q": query})


def _expert(request, pk):
    user = get_object_or_404(service.expert_users(), pk=pk)
    if not (permissions.is_officer(request.user) or request.user.pk == user.pk):
        raise Http404
    return user


@require_safe
def expert_detail(request, pk):
    user = _expert(request, pk)
    profile = service.profile_for(user)
    assignments = (
        Assignment.objects.filter(expert=user, ended_at__isnull=True)
        .select_related("participation__company", "participation__cohort")
        .order_by("participation__cohort", "participation__company__legal_name")
    )
    rating = expert_rating_averages([user.pk]).get(user.pk)
    return render(
        request,
        "mentoring/expert_detail.html",
        {
            "expert": user,
            "profile": profile,
            "assignments": assignments,
            "rating": rating,
            "conflicts": profile.conflicts.order_by("legal_name"),
        },
    )


def expert_edit(request, pk):
    user = _expert(request, pk)
    profile = service.profile_for(user)
    form = ExpertProfileForm(
        request.POST or None,
        instance=profile,
        can_set_capacity=permissions.is_officer(request.user),
    )
    if request.method == "POST" and form.is_valid():
        profile = form.save(commit=False)

        def save():
            service.save_profile(request.user, profile, form.changed_data)
            form.save_m2m()

        try:
            saved = save_current(form, save)
        except Refused as error:
            error.hide()
        if saved:
            messages.success(request, _("Profile saved."))
            return redirect("mentoring:expert", pk=user.pk)
    context = {"expert": user, "form": form}
    return render(request, "mentoring/expert_form.html", context, status=form.status)


@require_safe
def my_profile(request):
    if not permissions.is_expert(request.user):
        raise Http404
    service.profile_for(request.user)
    return redirect("mentoring:expert_edit", pk=request.user.pk)
