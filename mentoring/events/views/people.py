"""Invitations, registrations (accounts and guests), the attendee list and check-in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clinic.forms import whole_number
from clinic.spreadsheets import csv_response
from clinic.transitions import Refused

from .. import permissions
from ..forms import (
    AttendanceImportForm,
    GuestInviteForm,
    InviteCompaniesForm,
    PersonForm,
    RegistrationFilterForm,
)
from ..models import Event, Registration
from ..services import attendance, invitations, registrations
from ..services.links import guest_path, read_link
from . import managed_event, refused, visible_event
from .events import ics_response

ORDERINGS = {"name": "name", "-name": "-name", "date": "created_at", "state": "state"}


def invite(request, pk):
    event = managed_event(request, pk)
    companies = invitations.invitable_companies(event)
    company_form = InviteCompaniesForm(
        request.POST if "companies_submit" in request.POST else None, companies=companies
    )
    guest_form = GuestInviteForm(
        request.POST if "guest_submit" in request.POST else None,
        initial={"language": request.LANGUAGE_CODE},
    )
    try:
        if company_form.is_bound and company_form.is_valid():
            made = invitations.invite_companies(request.user, event, company_form.chosen())
            messages.success(request, _("%(count)d companies invited.") % {"count": len(made)})
            return redirect("events:invite", pk=pk)
        if guest_form.is_bound and guest_form.is_valid():
            invitations.invite_guest(request.user, event, **guest_form.cleaned_data)
            messages.success(request, _("Guest invited."))
            return redirect("events:invite", pk=pk)
    except Refused as error:
        return refused(request, error, "events:invite", pk)
    invited = list(
        event.invitations.select_related("company").order_by("company__legal_name", "email")
    )
    return render(
        request,
        "events/invite.html",
        {
            "event": event,
            "company_form": company_form,
            "guest_form": guest_form,
            "invited": invited,
            "guest_links": {i.pk: guest_path(i) for i in invited if i.is_guest},
        },
    )


@require_POST
def register(request, pk):
    event = visible_event(request, pk)
    form = PersonForm(request.POST, invitations=permissions.invitations_of(request.user, event))
    if not form.is_valid():
        return refused(request, _("Check the name and e-mail."), "events:detail", pk)
    data = form.cleaned_data
    own = data["email"].lower() == request.user.email.lower()
    try:
        registration = registrations.register(
            request.user,
            data["invitation"],
            name=data["name"],
            email=data["email"],
            language=data["language"],
            user=request.user if own else None,
        )
    except Refused as error:
        return refused(request, error, "events:detail", pk)
    registered_message(request, registration)
    return redirect("events:detail", pk=pk)


def registered_message(request, registration):
    if registration.state == Registration.State.WAITLISTED:
        messages.warning(
            request,
            _("The event is full: %(name)s is on the waitlist and gets a seat when one is freed.")
            % {"name": registration.name},
        )
    else:
        messages.success(
            request,
            _("%(name)s is registered; the calendar invitation is on its way.")
            % {"name": registration.name},
        )


@require_POST
def cancel_registration(request, pk, item):
    event = visible_event(request, pk)
    registration = get_object_or_404(event.registrations.select_related("company"), pk=item)
    if registration.state == Registration.State.CANCELLED:
        return redirect("events:detail", pk=pk)  # a repeated cancel: the first one's page
    if not permissions.can_cancel_registration(request.user, registration):
        raise Http404
    registrations.cancel_registration(request.user, registration)
    messages.success(request, _("Registration cancelled."))
    return redirect("events:detail", pk=pk)


def open_link(request, token):
    """The invitation of a guest link and None, or None and the page that says the link is
    closed: 404 for a bad link or a draft event; for an expired link (410) or a cancelled event
    a page in both languages (the guest may read either)."""
    link = read_link(token)
    if link.invitation is None or link.invitation.event.state == Event.State.DRAFT:
        raise Http404
    event = link.invitation.event
    if link.expired or event.state == Event.State.CANCELLED:
        page = render(
            request,
            "events/guest_closed.html",
            {
                "event": event,
                "expired": link.expired,
                "versions": [(code, event.localized_title(code)) for code in ("en", "zh-hans")],
            },
            status=410 if link.expired else 200,
        )
        return None, page
    return link.invitation, None


@login_not_required
def guest(request, token):
    """A guest's page through the signed link: the event, their people, register and cancel."""
    invitation, closed = open_link(request, token)
    if closed is not None:
        return closed
    event = invitation.event
    people = list(invitation.registrations.exclude(state=Registration.State.CANCELLED))
    form = PersonForm(
        request.POST if "register" in request.POST else None,
        initial={  # the guest first, then colleagues
            "name": "" if people else invitation.name,
            "email": "" if people else invitation.email,
            "organisation": invitation.organisation,
            "language": invitation.language,
        },
    )
    if request.method == "POST":
        try:
            outcome = guest_post(request, invitation, form)
        except Refused as error:
            messages.error(request, str(error))
            outcome = True
        if outcome:
            return redirect(request.path)
    return render(
        request,
        "events/guest.html",
        {
            "event": event,
            "invitation": invitation,
            "people": people,
            "seated": any(person.state in Registration.SEATED for person in people),
            "form": form if event.is_open else None,
        },
    )


def guest_post(request, invitation, form):
    if "cancel" in request.POST:
        registration = invitation.registrations.filter(
            pk=whole_number(request.POST.get("cancel")) or 0
        ).first()
        if registration is None:
            raise Http404
        registrations.cancel_registration(None, registration, guest=True)
        messages.success(request, _("Registration cancelled."))
        return True
    if form.is_valid():
        data = form.cleaned_data
        own = request.user.is_authenticated and request.user.email.lower() == data["email"].lower()
        registration = registrations.register(
            None,
            invitation,
            user=request.user if own else None,
            name=data["name"],
            email=data["email"],
            organisation=data["organisation"],
            language=data["language"],
        )
        registered_message(request, registration)
        return True
    return False


@login_not_required
@require_safe
def guest_ics(request, token, item):
    invitation, closed = open_link(request, token)
    if closed is not None:
        return closed
    registration = get_object_or_404(  # a seat's calendar: a waitlisted one has no place yet
        invitation.registrations.filter(state__in=Registration.SEATED).select_related(
            "event__programme"
        ),
        pk=item,
    )
    return ics_response(registration.event, registration)


@require_safe
def attendees(request, pk):
    """Officers: every registration of the event with search, state filter, ordering, pages."""
    event = managed_event(request, pk)
    rows = event.registrations.select_related("company")
    form = RegistrationFilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["q"]:
            q = form.cleaned_data["q"]
            rows = rows.filter(
                Q(name__icontains=q) | Q(email__icontains=q) | Q(organisation__icontains=q)
            )
        if form.cleaned_data["state"]:
            rows = rows.filter(state=form.cleaned_data["state"])
    ordering = request.GET.get("order", "date")
    rows = rows.order_by(ORDERINGS.get(ordering, "created_at"), "pk")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "events/attendees.html",
        {
            "event": event,
            "page": page,
            "filter_form": form,
            "ordering": ordering,
            "seated": registrations.seats_taken(event),
        },
    )


def check_in(request, pk):
    """Officers: the phone-friendly check-in list (one tap per person) and the CSV import."""
    event = managed_event(request, pk)
    query = (request.GET.get("q") or "")[:100]
    rows = event.registrations.filter(state__in=attendance.CHECK_STATES)
    if query:
        rows = rows.filter(
            Q(name__icontains=query) | Q(email__icontains=query) | Q(organisation__icontains=query)
        )
    page = Paginator(rows.order_by("name", "pk"), 100).get_page(request.GET.get("page"))
    form = AttendanceImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            changed, errors = attendance.import_attendance(
                request.user, event, form.cleaned_data["file"].read()
            )
        except Refused as error:
            return refused(request, error, "events:check_in", pk)
        if not errors:
            messages.success(
                request, _("Attendance imported: %(count)d changed.") % {"count": changed}
            )
            return redirect("events:check_in", pk=pk)
    counts = {s: event.registrations.filter(state=s).count() for s in attendance.CHECK_STATES}
    return render(
        request,
        "events/check_in.html",
        {
            "event": event,
            "page": page,
            "form": form,
            "errors": errors,
            "q": query,
            "counts": counts,
        },
        status=400 if errors else 200,
    )


@require_POST
def check(request, pk, item):
    event = managed_event(request, pk)
    registration = get_object_or_404(event.registrations, pk=item)
    try:
        attendance.set_attendance(request.user, registration, request.POST.get("attended") == "1")
    except Refused as error:
        return refused(request, error, "events:check_in", pk)
    if request.htmx:
        registration.refresh_from_db()
        return render(request, "events/_check_row.html", {"event": event, "row": registration})
    return redirect(
        reverse("events:check_in", args=[pk]) + "?" + urlencode({"q": request.POST.get("q", "")})
    )


@require_safe
def attendance_csv(request, pk):
    event = managed_event(request, pk)
    return csv_response(attendance.attendance_csv(event), f"attendance-{event.pk}.csv")
