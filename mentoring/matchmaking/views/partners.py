"""Partner organisations: the network list, a profile, officers' forms, invitations,
self-registration and approval."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clinic import ratelimit
from clinic.forms import AcceptInvitationForm
from clinic.versioning import save_current
from clinic.views.accounts import LOGIN_BACKEND, joining

from .. import permissions
from ..forms import InviteForm, PartnerForm, PartnerSignUpForm, ReasonForm
from ..models import Need, PartnerInvitation, PartnerOrganisation
from ..services import partners as service
from . import PAGE_SIZE, scoped

ORDERS = {"name": "name", "kind": "kind", "-created_at": "-created_at"}


@require_safe
def partner_list(request):
    if not permissions.can_list_partners(request.user):
        raise Http404
    queryset = permissions.visible_partners(request.user).annotate(
        need_count=Count("needs", filter=Q(needs__state__in=Need.VISIBLE_STATES))
    )
    query = request.GET.get("q", "").strip()[:200]
    if query:
        queryset = queryset.filter(
            Q(name__icontains=query)
            | Q(name_zh__icontains=query)
            | Q(offers__icontains=query)
            | Q(offers_zh__icontains=query)
            | Q(region__icontains=query)
        )
    kind = request.GET.get("kind", "")
    if kind in PartnerOrganisation.Kind.values:
        queryset = queryset.filter(kind=kind)
    state = request.GET.get("state", "")
    if state in PartnerOrganisation.State.values:
        queryset = queryset.filter(state=state)
    order = ORDERS.get(request.GET.get("order", ""), "name")
    page = Paginator(queryset.order_by(order, "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matchmaking/partner_list.html",
        {
            "page": page,
            "query": query,
            "kind": kind,
            "state": state,
            "order": request.GET.get("order", ""),
            "kinds": PartnerOrganisation.Kind.choices,
            "states": PartnerOrganisation.State.choices,
            "can_manage": permissions.can_manage_partners(request.user),
        },
    )


@require_safe
def partner_detail(request, pk):
    organisation = scoped(permissions.visible_partners(request.user), pk)
    user = request.user
    sees_people = permissions.sees_representatives(user, organisation)
    return render(
        request,
        "matchmaking/partner_detail.html",
        {
            "organisation": organisation,
            "needs": permissions.visible_needs(user).filter(partner=organisation),
            "representatives": organisation.representatives.all() if sees_people else None,
            "invitations": organisation.invitations.filter(accepted_at=None)
            if permissions.can_manage_partners(user)
            else None,
            "can_edit": permissions.can_edit_partner(user, organisation),
            "can_manage": permissions.can_manage_partners(user),
            "invite_form": InviteForm(),
            "reason_form": ReasonForm(),
        },
    )


def partner_edit(request, pk=None):
    user = request.user
    if pk is None:
        if not permissions.can_manage_partners(user):
            raise Http404
        organisation = PartnerOrganisation()
    else:
        organisation = scoped(permissions.visible_partners(user), pk)
        if not permissions.can_edit_partner(user, organisation):
            raise Http404
    form = PartnerForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if save_current(form, lambda: service.save_partner(user, saved, form.changed_data)):
            messages.success(request, _("Saved."))
            return redirect("matchmaking:partner", saved.pk)
    return render(
        request,
        "matchmaking/partner_form.html",
        {"form": form, "organisation": organisation},
        status=form.status,
    )


@require_POST
def partner_invite(request, pk):
    if not permissions.can_manage_partners(request.user):
        raise Http404
    organisation = get_object_or_404(PartnerOrganisation, pk=pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        service.invite(
            request.user, organisation, form.cleaned_data["email"], form.cleaned_data["language"]
        )
        messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
    else:
        messages.error(request, _("Please enter a valid email address."))
    return redirect("matchmaking:partner", pk)


@require_POST
def partner_decide(request, pk, decision):
    if not permissions.can_manage_partners(request.user):
        raise Http404
    organisation = get_object_or_404(PartnerOrganisation, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if service.decide(request.user, organisation, decision == "approve", reason):
        messages.success(
            request, _("Done: %(state)s.") % {"state": organisation.get_state_display()}
        )
    return redirect("matchmaking:partner", pk)


@login_not_required
def partner_register(request):
    person = PartnerSignUpForm(request.POST or None, prefix="person")
    organisation = PartnerForm(request.POST or None, prefix="org")
    if request.method == "POST" and person.is_valid() and organisation.is_valid():
        try:
            with transaction.atomic():
                service.register(
                    person.save(commit=False),
                    organisation.save(commit=False),
                    ratelimit.client_ip(request),
                )
        except ratelimit.RateLimited as refusal:
            return ratelimit.too_many_requests(
                request,
                refusal,
                "matchmaking/partner_register.html",
                {"person": person, "organisation": organisation},
            )
        return render(request, "matchmaking/partner_registered.html")
    return render(
        request,
        "matchmaking/partner_register.html",
        {"person": person, "organisation": organisation},
    )


@login_not_required
def accept_invitation(request, token):
    invitation = get_object_or_404(
        PartnerInvitation.objects.select_related("organisation"), token=token, accepted_at=None
    )
    shown = joining(request, invitation)
    if shown["existing"]:  # its owner joins with it once logged in as it
        if request.method == "POST" and shown["joins_as"] is not None:
            service.accept_invitation(invitation, request.user)
            return redirect("matchmaking:home")
        return render(request, "matchmaking/join.html", {"invitation": invitation, **shown})
    form = AcceptInvitationForm(
        request.POST or None, initial={"preferred_language": invitation.language}
    )
    if request.method == "POST" and form.is_valid():
        user = service.accept_invitation(invitation, form.save(commit=False))
        login(request, user, backend=LOGIN_BACKEND)
        return redirect("matchmaking:home")
    return render(request, "matchmaking/join.html", {"form": form, "invitation": invitation})
