"""Event list, page, form, publish / cancel / held, .ics."""

from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clinic.forms import whole_number
from clinic.services import audit
from clinic.transitions import Refused
from clinic.versioning import save_current

from .. import permissions
from ..forms import (
    AgendaItemForm,
    EventFilterForm,
    EventForm,
    MaterialForm,
    PersonForm,
    ReasonForm,
    SpeakerForm,
)
from ..forms_after import DemoSlotForm
from ..models import Event, IntroductionRequest, Registration
from ..services import events as service
from ..services.mail import event_ics, ics_filename
from ..transitions import CHANGEABLE
from . import managed_event, refused, run, visible_event

HISTORY_SHOWN = 12
ORDERINGS = {
    "date": ("starts_at",),
    "-date": ("-starts_at",),
    "title": ("title",),
    "-title": ("-title",),
    "kind": ("kind", "starts_at"),
}


@require_safe
def event_list(request):
    """Events a user may see, with search, filters, ordering and pagination."""
    events = permissions.visible_events(request.user).select_related("programme", "cohort")
    form = EventFilterForm(request.GET or None)
    if form.is_valid():
        events = filter_events(events, form.cleaned_data)
    ordering = request.GET.get("order", "date")
    events = events.order_by(*ORDERINGS.get(ordering, ORDERINGS["date"]), "pk").annotate(
        seated=Count("registrations", filter=Q(registrations__state__in=Registration.SEATED)),
        waiting=Count(
            "registrations", filter=Q(registrations__state=Registration.State.WAITLISTED)
        ),
    )
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "events/event_list.html",
        {
            "page": page,
            "filter_form": form,
            "ordering": ordering,
            "can_manage": permissions.can_manage_events(request.user),
        },
    )


def filter_events(events, data):
    if data.get("q"):
        q = data["q"]
        events = events.filter(
            Q(title__icontains=q)
            | Q(title_zh__icontains=q)
            | Q(series__icontains=q)
            | Q(series_zh__icontains=q)
            | Q(cohort__name__icontains=q)
        )
    if data.get("kind"):
        events = events.filter(kind=data["kind"])
    if data.get("state"):
        events = events.filter(state=data["state"])
    if data.get("when") == "upcoming":
        events = events.filter(starts_at__gte=timezone.now())
    elif data.get("when") == "past":
        events = events.filter(starts_at__lt=timezone.now())
    return events


@require_safe
def event_detail(request, pk):
    event = visible_event(request, pk)
    user = request.user
    manage = permissions.can_manage_events(user)
    speakers, agenda = service.speakers_agenda(event)
    mine = event.registrations.exclude(state=Registration.State.CANCELLED)
    if not manage:
        mine = mine.filter(Q(user=user) | Q(company__representatives=user) | Q(registered_by=user))
    mine = list(mine.select_related("company").distinct().order_by("created_at"))
    invitations = permissions.invitations_of(user, event)
    slots = list(event.demo_slots.select_related("company", "listing"))
    seat = next((r for r in mine if r.user_id == user.pk and r.state in Registration.SEATED), None)
    context = {
        "event": event,
        "speakers": speakers,
        "agenda": agenda,
        "materials": list(event.materials.all())
        if permissions.can_see_materials(user, event)
        else None,
        "materials_later": not permissions.materials_open(event),
        "registrations": mine,
        "manage": manage,
        "seated": service.registrations.seats_taken(event),
        "register_form": PersonForm(
            invitations=invitations,
            initial={
                "name": user.get_full_name(),
                "email": user.email,
                "language": user.preferred_language,
            },
        )
        if invitations.exists() and event.is_open
        else None,
        "slots": slots,
        "seat": seat,
        "demo_form": demo_form(user, event),
        "can_cancel": {r.pk for r in mine if permissions.can_cancel_registration(user, r)},
    }
    if manage:
        changing = event.state in CHANGEABLE
        context.update(
            speaker_form=SpeakerForm() if changing else None,
            agenda_form=AgendaItemForm(event=event) if changing else None,
            material_form=MaterialForm() if event.state != Event.State.CANCELLED else None,
            cancel_form=ReasonForm(),
            history=audit.history(event)[:HISTORY_SHOWN],
            introductions=list(
                IntroductionRequest.objects.filter(slot__event=event).select_related(
                    "slot__company", "slot__listing", "registration", "partner"
                )
            ),
        )
    return render(request, "events/event_detail.html", context)


def demo_form(user, event):
    if event.kind != Event.Kind.DEMO_DAY or not event.is_open:
        return None
    companies = [i.company for i in permissions.invitations_of(user, event) if i.company_id]
    allowed = [c.pk for c in companies if not permissions.demo_signup_refusal(user, event, c)]
    if not allowed:
        return None
    from clinic.models import Company

    companies = Company.objects.filter(pk__in=allowed)
    return DemoSlotForm(companies=companies, listings=permissions.presentable_listings(companies))


def event_form(request, pk=None):
    if not permissions.can_manage_events(request.user):
        raise Http404
    event = managed_event(request, pk) if pk else None
    initial = {}
    cohort_id = whole_number(request.GET.get("cohort"))
    if event is None and cohort_id is not None:
        from cohorts.models import Cohort

        cohort = Cohort.objects.filter(pk=cohort_id).first()
        if cohort is not None:
            initial = {"cohort": cohort, "programme": cohort.programme}
    form = EventForm(request.POST or None, instance=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = {}

        def save():
            saved["event"] = service.save_event(request.user, form.save(), form.changed_names)

        try:
            ok = save_current(form, save)
        except Refused as error:
            form.add_error(None, str(error))
            ok = False
        if ok:
            messages.success(request, _("Event saved."))
            return redirect("events:detail", pk=saved["event"].pk)
    return render(
        request, "events/event_form.html", {"form": form, "event": event}, status=form.status
    )


@require_POST
def event_publish(request, pk):
    event = managed_event(request, pk)
    return run(
        request,
        pk,
        partial(service.publish_event, request.user, event),
        _("Event published; the invitations were sent."),
    )


@require_POST
def event_cancel(request, pk):
    event = managed_event(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return refused(request, _("Give a reason for cancelling."), "events:detail", pk)
    cancel = partial(service.cancel_event, request.user, event, form.cleaned_data["reason"])
    return run(request, pk, cancel, _("Event cancelled; everyone registered was told."))


@require_POST
def event_held(request, pk):
    event = managed_event(request, pk)
    done = _("Attendance closed; attendees were asked for feedback.")
    return run(
        request, pk, partial(service.mark_held, request.user, event), done, "events:check_in"
    )


@require_safe
def event_ics_download(request, pk):
    """The .ics of the user's own seat (officers: a neutral one)."""
    event = visible_event(request, pk)
    registration = (
        event.registrations.filter(user=request.user, state__in=Registration.SEATED)
        .order_by("-created_at")
        .first()
    )
    if registration is None:
        if not permissions.can_manage_events(request.user):
            raise Http404
        registration = Registration(
            event=event,
            name=str(request.user),
            email=request.user.email,
            language=request.user.preferred_language,
        )
    return ics_response(event, registration)


def ics_response(event, registration):
    response = HttpResponse(
        event_ics(event, registration), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{ics_filename(event)}"'
    return response
