"""Session pages: schedule, log a past session, book, the session page, reschedule, move, cancel,
.ics, and the expert's offered slots (notes, follow-ups and rating: session_notes.py)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clinic.forms import whole_number
from clinic.services import audit as audit_log
from clinic.transitions import Refused
from clinic.versioning import Edited, save_current

from .. import permissions
from ..forms import (
    SESSION_FIELDS,
    BookSlotForm,
    CancelForm,
    MoveSessionForm,
    PastSessionForm,
    SessionForm,
    SlotForm,
)
from ..forms_notes import RatingForm
from ..models import OfferedSlot, PrivateNote, Rating, SessionNote
from ..services import past_sessions, slot_moves
from ..services import sessions as service
from ..services import slots as slot_service
from ..services.calendar import CONTENT_TYPE, ics_filename, session_ics
from . import visible_participation, visible_session


def schedule(request, pk):
    participation = visible_participation(request, pk)
    if not permissions.can_schedule(request.user, participation):
        raise Http404
    form = SessionForm(request.POST or None, time_zone=participation.cohort.time_zone)
    if request.method == "POST" and form.is_valid():
        try:
            session = service.schedule_session(
                request.user, participation, agenda=form.cleaned_data["agenda"], **form.meeting()
            )
        except Refused as error:
            form.add_error(None, error.shown())
        else:
            messages.success(
                request, _("Session scheduled; both sides received a calendar invitation.")
            )
            return redirect("mentoring:session", pk=session.pk)
    return render(
        request,
        "mentoring/session_form.html",
        {"participation": participation, "form": form, "title": _("Schedule a session")},
    )


def log_past(request, pk):
    """Record a session that already happened, then write its notes on the notes page."""
    participation = visible_participation(request, pk)
    if not permissions.can_schedule(request.user, participation):
        raise Http404
    form = PastSessionForm(request.POST or None, cohort=participation.cohort)
    if request.method == "POST" and form.is_valid():
        try:
            session = past_sessions.log_past_session(
                request.user, participation, agenda=form.cleaned_data["agenda"], **form.meeting()
            )
        except Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Session logged as held: now write its notes."))
            return redirect("mentoring:notes", pk=session.pk)
    return render(
        request,
        "mentoring/session_form.html",
        {
            "participation": participation,
            "form": form,
            "title": _("Log a past session"),
            "intro": _(
                "For a meeting that took place without being scheduled here (between the "
                "cohort's start date and now). You write its notes, private notes and "
                "follow-ups next; they can be edited for 7 days from now."
            ),
        },
    )


def _booked(request, session):
    messages.success(request, _("Session booked; both sides received a calendar invitation."))
    return redirect("mentoring:session", pk=session.pk)


def book(request, pk):
    participation = visible_participation(request, pk)
    if not permissions.can_book(request.user, participation):
        raise Http404
    slots = slot_service.bookable_slots(participation).order_by("starts_at")
    slot_id = whole_number(request.POST.get("slot"))
    repeated = slot_service.booked_from(participation, slot_id) if slot_id is not None else None
    if request.method == "POST" and repeated is not None:
        return _booked(request, repeated)  # a repeated booking: the first one's page
    form = BookSlotForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            session = slot_service.book_slot(
                request.user, participation, form.cleaned_data["slot"], form.cleaned_data["agenda"]
            )
        except Refused as error:
            form.add_error(None, error.shown())
        else:
            return _booked(request, session)
    return render(
        request,
        "mentoring/book.html",
        {"participation": participation, "form": form, "has_slots": slots.exists()},
    )


@require_safe
def session_detail(request, pk):
    session = visible_session(request, pk)
    user = request.user
    participation = session.participation
    staff_view = permissions.works_with(user, participation)
    note = SessionNote.objects.filter(session=session).first()
    if note is not None and not note.is_shared and not staff_view:
        note = None  # a draft stays with the expert
    private = None
    if permissions.can_see_private_notes(user, session):
        private = PrivateNote.objects.filter(session=session).first()
    follow_ups = list(session.follow_ups.order_by("done", "due_date", "pk")) if note else []
    rating = Rating.objects.filter(session=session).first()
    can_rate = permissions.can_rate(user, session)
    can_change = permissions.can_change_session(user, session)
    can_cancel = permissions.can_cancel_session(user, session)
    can_move = permissions.can_move_session(user, session)
    return render(
        request,
        "mentoring/session_detail.html",
        {
            "session": session,
            "participation": participation,
            "note": note,
            "private": private,
            "show_private": permissions.can_see_private_notes(user, session),
            "follow_ups": follow_ups,
            "rating": rating,
            "rating_form": RatingForm(
                initial={"score": rating.score, "comment": rating.comment} if rating else None
            )
            if can_rate
            else None,
            "can_change": can_change,
            "can_cancel": can_cancel,
            "can_move": can_move,
            "can_edit_notes": permissions.can_edit_notes(user, session)
            and session.status != session.Status.CANCELLED
            and session.starts_at <= timezone.now(),
            "can_tick": permissions.can_tick_follow_ups(user, participation),
            "staff_view": staff_view,
            "history": audit_log.history(session)[:30] if staff_view else [],
            "revisions": list(session.note_revisions.select_related("saved_by")[:20])
            if staff_view
            else [],
            "locked": session.notes_locked(),
        },
    )


def session_edit(request, pk):
    session = visible_session(request, pk)
    if not permissions.can_change_session(request.user, session):
        raise Http404
    initial = {**SessionForm.initial_for(session), "agenda": session.agenda}
    form = SessionForm(
        request.POST or None,
        initial=initial,
        time_zone=session.time_zone,
        edited=Edited.row(session, SESSION_FIELDS),
    )
    if request.method == "POST" and form.is_valid():
        agenda = form.cleaned_data["agenda"]
        try:
            saved = save_current(
                form,
                lambda: service.reschedule_session(
                    request.user, session, agenda=agenda, **form.meeting()
                ),
            )
        except Refused as error:
            form.add_error(None, error.shown())
        else:
            if saved:
                messages.success(
                    request, _("Session updated; both sides received the new invitation.")
                )
                return redirect("mentoring:session", pk=session.pk)
    return render(
        request,
        "mentoring/session_form.html",
        {
            "participation": session.participation,
            "session": session,
            "form": form,
            "title": _("Reschedule session %(number)s") % {"number": session.number},
        },
        status=form.status,
    )


def _cancelled(request, session):
    messages.success(request, _("Session cancelled; both sides were told."))
    return redirect("mentoring:participant", pk=session.participation_id)


def session_move(request, pk):
    """The company moves a planned session to another time its expert offers."""
    session = visible_session(request, pk)
    slot_id = whole_number(request.POST.get("slot"))
    if request.method == "POST" and session.slot_id_is(slot_id):
        return _moved(request, session)  # a repeated move: the first one's page
    if not permissions.can_move_session(request.user, session):
        raise Http404
    slots = slot_moves.move_slots(session).order_by("starts_at")
    form = MoveSessionForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            slot_moves.move_to_slot(request.user, session, form.cleaned_data["slot"])
        except Refused as error:
            form.add_error(None, str(error))
        else:
            return _moved(request, session)
    context = {"session": session, "form": form, "has_slots": slots.exists()}
    return render(request, "mentoring/session_move.html", context)


def _moved(request, session):
    messages.success(
        request, _("Session moved; your expert was told and both calendars are updated.")
    )
    return redirect("mentoring:session", pk=session.pk)


def session_cancel(request, pk):
    session = visible_session(request, pk)
    if request.method == "POST" and session.status == session.Status.CANCELLED:
        return _cancelled(request, session)  # a repeated cancel: the first one's page
    if not permissions.can_cancel_session(request.user, session):
        raise Http404
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service.cancel_session(request.user, session, form.cleaned_data["reason"])
        return _cancelled(request, session)
    return render(request, "mentoring/session_cancel.html", {"session": session, "form": form})


@require_safe
def session_ics_download(request, pk):
    session = visible_session(request, pk)
    response = HttpResponse(session_ics(session), content_type=f"{CONTENT_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ics_filename(session)}"'
    return response


def slots(request):
    """The expert's offered slots: offer new ones, see which are booked, withdraw free ones."""
    user = request.user
    if not permissions.is_expert(user):
        raise Http404
    time_zone = _expert_time_zone(user)
    form = SlotForm(request.POST or None, time_zone=time_zone)
    if request.method == "POST" and form.is_valid():
        try:
            slot_service.offer_slot(user, time_zone=time_zone, **form.meeting())
        except Refused as error:
            form.add_error(None, error.shown())
        else:
            messages.success(request, _("Slot offered to your companies."))
            return redirect("mentoring:slots")
    offered = OfferedSlot.objects.filter(expert=user, starts_at__gte=timezone.now()).select_related(
        "session__participation__company"
    )
    return render(
        request,
        "mentoring/slots.html",
        {"form": form, "slots": offered, "time_zone": time_zone},
    )


def _expert_time_zone(user):
    """The time zone of the cohort the expert mentors in most recently (else the default)."""
    participation = (
        permissions.mentored_participations(user).select_related("cohort").order_by("-pk").first()
    )
    return participation.cohort.time_zone if participation else "Asia/Shanghai"


@require_POST
def slot_withdraw(request, pk):
    slot = get_object_or_404(OfferedSlot, pk=pk, expert=request.user)
    try:
        slot_service.withdraw_slot(request.user, slot)
    except Refused as error:
        messages.error(request, error.shown())
    else:
        messages.success(request, _("Slot withdrawn."))
    return redirect("mentoring:slots")
