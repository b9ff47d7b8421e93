"""Introductions: the list, a page per introduction (acceptance, meeting, MOU, deployment,
closing), proposing one from a match, the meeting's .ics and the MOU document."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clinic import files
from clinic.forms import whole_number

from .. import permissions
from ..forms import DeploymentForm, MeetingForm, MouForm, ProposeForm, ReasonForm
from ..models import Introduction, Need, PartnerOrganisation, Technology
from ..services import introductions as service
from ..transitions import OPEN_INTRODUCTION
from . import PAGE_SIZE, scoped

RELATED = (
    "technology__company",
    "partner",
    "need",
    "provider_accepted_by",
    "partner_accepted_by",
)


def _visible(request):
    return permissions.visible_introductions(request.user).select_related(*RELATED)


@require_safe
def introduction_list(request):
    if not request.user.is_authenticated:
        raise Http404
    queryset = _visible(request)
    state = request.GET.get("state", "")
    if state in Introduction.State.values:
        queryset = queryset.filter(state=state)
    query = request.GET.get("q", "").strip()[:200]
    if query:
        from django.db.models import Q

        queryset = queryset.filter(
            Q(technology__title__icontains=query)
            | Q(technology__title_zh__icontains=query)
            | Q(partner__name__icontains=query)
            | Q(partner__name_zh__icontains=query)
        )
    order = request.GET.get("order", "")
    order_by = {"state": "state", "score": "-score"}.get(order, "-updated_at")
    page = Paginator(queryset.order_by(order_by, "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matchmaking/introduction_list.html",
        {
            "page": page,
            "state": state,
            "query": query,
            "order": order,
            "states": Introduction.State.choices,
            "funnel": service.funnel(permissions.visible_introductions(request.user)),
        },
    )


@require_safe
def introduction_detail(request, pk):
    introduction = scoped(_visible(request), pk)
    user = request.user
    sides = permissions.introduction_sides(user, introduction)
    return render(
        request,
        "matchmaking/introduction_detail.html",
        {
            "introduction": introduction,
            "sides": sides,
            "may_accept": introduction.state == Introduction.State.PROPOSED
            and any(
                getattr(introduction, f"{side}_accepted_at") is None
                for side in permissions.acceptable_sides(user, introduction)
            ),
            "self_dealing": introduction.state == Introduction.State.PROPOSED
            and bool(sides)
            and not permissions.acceptable_sides(user, introduction),
            "contacts": permissions.can_see_contacts(user, introduction),
            "may_record": permissions.can_record_outcome(user, introduction),
            "may_close": introduction.state in OPEN_INTRODUCTION
            and (permissions.is_officer(user) or bool(sides)),
            "meeting_form": MeetingForm(
                initial={"when": introduction.meeting_at, "place": introduction.meeting_place}
            ),
            "mou_form": MouForm(),
            "deployment_form": DeploymentForm(),
            "reason_form": ReasonForm(),
        },
    )


@require_POST
def propose(request):
    if not permissions.can_propose_introduction(request.user):
        raise Http404
    technology = get_object_or_404(Technology, pk=whole_number(request.POST.get("technology")))
    partner = get_object_or_404(PartnerOrganisation, pk=whole_number(request.POST.get("partner")))
    need_pk = whole_number(request.POST.get("need"))
    need = get_object_or_404(Need, pk=need_pk) if need_pk else None
    form = ProposeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    score = whole_number(request.POST.get("score"), minimum=0, maximum=100) or 0
    introduction, created = service.propose(request.user, technology, partner, need, note, score)
    if created:
        messages.success(request, _("Introduction proposed to both sides."))
    return redirect("matchmaking:introduction", introduction.pk)


@require_POST
def accept(request, pk):
    introduction = scoped(_visible(request), pk)
    service.accept(request.user, introduction)
    return redirect("matchmaking:introduction", pk)


def _form_step(request, pk, form_class, run):
    introduction = scoped(_visible(request), pk)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        if run(introduction, form.cleaned_data):
            messages.success(request, _("Saved."))
    else:
        messages.error(
            request,
            _("Please check the form: %(errors)s")
            % {"errors": "; ".join(e for errors in form.errors.values() for e in errors)},
        )
    return redirect("matchmaking:introduction", pk)


@require_POST
def meeting(request, pk):
    return _form_step(
        request,
        pk,
        MeetingForm,
        lambda i, d: service.schedule_meeting(request.user, i, d["when"], d["place"]),
    )


@require_POST
def meeting_held(request, pk):
    introduction = scoped(_visible(request), pk)
    service.record_meeting(request.user, introduction)
    return redirect("matchmaking:introduction", pk)


@require_POST
def mou(request, pk):
    return _form_step(
        request,
        pk,
        MouForm,
        lambda i, d: service.sign_mou(
            request.user, i, d["signed_on"], d["scope"], d.get("document")
        ),
    )


@require_POST
def deployment(request, pk):
    return _form_step(
        request,
        pk,
        DeploymentForm,
        lambda i, d: service.record_deployment(
            request.user, i, d["deployed_on"], d["place"], d["effect"]
        ),
    )


@require_POST
def close(request, pk):
    return _form_step(
        request, pk, ReasonForm, lambda i, d: service.close(request.user, i, d["reason"])
    )


@require_safe
def meeting_ics(request, pk):
    introduction = scoped(_visible(request), pk)
    if introduction.meeting_at is None or not permissions.can_record_outcome(
        request.user, introduction
    ):
        raise Http404
    response = HttpResponse(service.meeting_ics(introduction), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="meeting.ics"'
    return response


@require_safe
def mou_document(request, pk):
    introduction = scoped(_visible(request), pk)
    if not introduction.mou_document or not permissions.can_record_outcome(
        request.user, introduction
    ):
        raise Http404
    try:
        return files.serve_private(
            introduction.mou_document,
            filename="mou.pdf",
            content_type=introduction.mou_document_type,
        )
    except files.FileMissing:
        return files.missing_file_page(request, _("The MOU document is missing."))
