"""Technologies and needs: lists, pages, forms and the approval moves."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clinic import sdgs
from clinic.versioning import save_current

from .. import permissions
from ..forms import NeedForm, ProposeForm, ReasonForm, TechnologyForm
from ..models import Need, Technology
from ..services import listings as service
from ..services import matching
from . import listing_page, scoped


@require_safe
def technology_list(request):
    if not permissions.may_browse(request.user):
        raise Http404
    queryset = permissions.visible_technologies(request.user).select_related("company")
    context = listing_page(
        request, queryset, states=Technology.State.choices, area_field="green_area"
    )
    context["companies"] = permissions.publishing_companies(request.user)
    return render(request, "matchmaking/technology_list.html", context)


@require_safe
def need_list(request):
    if not permissions.can_list_needs(request.user):
        raise Http404
    queryset = permissions.visible_needs(request.user).select_related("partner")
    context = listing_page(request, queryset, states=Need.State.choices, area_field="sector")
    context["can_post"] = permissions.need_partners(request.user).exists()
    return render(request, "matchmaking/need_list.html", context)


def _technology(request, pk):
    return scoped(permissions.visible_technologies(request.user).select_related("company"), pk)


@require_safe
def technology_detail(request, pk):
    technology = _technology(request, pk)
    user = request.user
    context = {
        "technology": technology,
        "assets": technology.assets.order_by("asset_type", "title"),
        "full_assets": permissions.sees_full_assets(user, technology),
        "sdg_labels": [sdgs.label(n) for n in technology.sdgs],
        "actions": service.actions_for(user, technology),
        "can_edit": permissions.editable_technologies(user).filter(pk=pk).exists(),
        "introductions": permissions.visible_introductions(user)
        .filter(technology=technology)
        .select_related("partner", "need"),
        "reason_form": ReasonForm(),
        "propose_form": ProposeForm(),
        "can_propose": permissions.can_propose_introduction(user),
    }
    if technology.state == Technology.State.APPROVED:
        context["similar"] = matching.similar_technologies(technology)
        if permissions.can_see_matches(user, technology):
            context["needs"] = matching.needs_for(technology)
            context["investors"] = matching.investors_for(technology)
            pairs = set(technology.introductions.values_list("partner_id", "need_id"))
            for ranked in context["needs"]:
                ranked.introduced = (
                    not ranked.external and (ranked.listing.partner_id, ranked.listing.pk) in pairs
                )
            for ranked in context["investors"]:
                ranked.introduced = (ranked.listing.pk, None) in pairs
    return render(request, "matchmaking/technology_detail.html", context)


@require_safe
def need_detail(request, pk):
    need = scoped(permissions.visible_needs(request.user).select_related("partner"), pk)
    user = request.user
    context = {
        "need": need,
        "actions": service.actions_for(user, need),
        "can_edit": permissions.editable_needs(user).filter(pk=pk).exists(),
        "introductions": permissions.visible_introductions(user)
        .filter(need=need)
        .select_related("technology__company"),
        "reason_form": ReasonForm(),
        "propose_form": ProposeForm(),
        "can_propose": permissions.can_propose_introduction(user),
    }
    if need.state in Need.VISIBLE_STATES and permissions.can_see_matches(user, need):
        context["matches"] = matching.technologies_for(need)
        introduced = set(need.introductions.values_list("technology_id", flat=True))
        for ranked in context["matches"]:
            ranked.introduced = ranked.listing.pk in introduced and not ranked.external
    return render(request, "matchmaking/need_detail.html", context)


def _edit(request, form, template, save, context):
    if request.method == "POST" and form.is_valid():
        listing = form.save(commit=False)
        if save_current(form, lambda: save(listing)):
            messages.success(request, _("Saved."))
            return _redirect(listing_url(listing))
    return render(request, template, {"form": form, **context}, status=form.status)


def listing_url(listing):
    kind = "technology" if isinstance(listing, Technology) else "need"
    return f"matchmaking:{kind}", listing.pk


def technology_edit(request, pk=None, company_pk=None):
    user = request.user
    if pk is None:
        company = get_object_or_404(permissions.publishing_companies(user), pk=company_pk)
        technology = Technology(company=company, green_area=company.green_area)
    else:
        technology = scoped(permissions.editable_technologies(user).select_related("company"), pk)
    form = TechnologyForm(request.POST or None, instance=technology, company=technology.company)

    def save(listing):
        changed = [f for f in form.changed_data if f != "assets"]
        service.save_technology(user, listing, changed, form.cleaned_data["assets"])

    return _edit(
        request, form, "matchmaking/technology_form.html", save, {"technology": technology}
    )


def need_edit(request, pk=None):
    user = request.user
    partners = permissions.need_partners(user)
    if pk is None:
        if not partners.exists():
            raise Http404
        need = Need()
    else:
        need = scoped(permissions.editable_needs(user), pk)
    form = NeedForm(request.POST or None, instance=need, partners=partners)

    def save(listing):
        service.save_need(user, listing, form.changed_data)

    return _edit(request, form, "matchmaking/need_form.html", save, {"need": need})


def _redirect(target):
    name, pk = target
    return redirect(name, pk)


@require_POST
def technology_move(request, pk, action):
    technology = _technology(request, pk)
    return _move(request, technology, action)


@require_POST
def need_move(request, pk, action):
    need = scoped(permissions.visible_needs(request.user).select_related("partner"), pk)
    return _move(request, need, action)


def _move(request, listing, action):
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if service.move_listing(request.user, listing, action, reason):
        messages.success(request, _("Done: %(state)s.") % {"state": listing.get_state_display()})
    return _redirect(listing_url(listing))
