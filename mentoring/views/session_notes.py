"""A session's notes (the expert writes, shares, and after the lock only officers change them),
its follow-ups (added in place, ticked by the SME) and the SME's rating."""

from http import HTTPStatus

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clinic.forms import whole_number
from clinic.transitions import Refused
from clinic.versioning import save_current

from .. import permissions
from ..forms_notes import (
    FollowUpForm,
    FollowUpFormSet,
    NotesForm,
    RatingForm,
    notes_edited,
)
from ..models import FollowUp, PrivateNote, SessionNote
from ..services import session_notes as notes_service
from . import visible_session


def session_notes(request, pk):
    session = visible_session(request, pk)
    user = request.user
    if not permissions.works_with(user, session.participation):
        raise Http404
    locked = not permissions.can_edit_notes(user, session)
    show_private = permissions.can_see_private_notes(user, session)
    note = SessionNote.objects.filter(session=session).first()
    initial = {
        "outcome": session.status if session.status != session.Status.PLANNED else "held",
        "summary": note.summary if note else "",
        "dimensions": note.dimensions if note else [],
        "recommendations": note.recommendations if note else "",
    }
    if show_private:
        private = PrivateNote.objects.filter(session=session).first()
        initial["private_notes"] = private.text if private else ""
    follow_up_initial = [
        {"id": f.pk, "title": f.title, "owner": f.owner, "due_date": f.due_date}
        for f in session.follow_ups.order_by("pk")
    ]
    form = NotesForm(
        request.POST or None, initial=initial, edited=notes_edited(session), private=show_private
    )
    formset = FollowUpFormSet(request.POST or None, initial=follow_up_initial, prefix="follow_ups")
    not_started = session.starts_at > timezone.now()
    cancelled = session.status == session.Status.CANCELLED
    if request.method == "POST" and not locked and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            saved = save_current(
                form,
                lambda: notes_service.save_notes(
                    user,
                    session,
                    outcome=data["outcome"],
                    summary=data["summary"],
                    dimensions=data["dimensions"],
                    recommendations=data["recommendations"],
                    private_notes=data.get("private_notes"),
                    follow_ups=[f for f in formset.cleaned_data if f],
                    share="share" in request.POST,
                ),
            )
        except Refused as error:
            form.add_error(None, error.shown(hidden=True))
        else:
            if saved:
                messages.success(
                    request,
                    _("Notes shared with the company.")
                    if "share" in request.POST
                    else _("Notes saved."),
                )
                return redirect("mentoring:session", pk=session.pk)
    status = form.status
    if request.method == "POST" and (locked or not_started or cancelled):
        status = HTTPStatus.CONFLICT  # the page shows no form (a tab left open): nothing saved
    return render(
        request,
        "mentoring/session_notes.html",
        {
            "session": session,
            "form": form,
            "formset": formset,
            "locked": locked,
            "not_started": not_started,
            "shared": note is not None and note.is_shared,
            "cancelled": cancelled,
        },
        status=status,
    )


@require_safe
def follow_up_row(request, pk):
    """One more empty follow-up line for the notes form (htmx), numbered after the lines shown;
    the form's line count and, at the limit, the add button are swapped with it."""
    session = visible_session(request, pk)
    user = request.user
    if not permissions.works_with(user, session.participation):
        raise Http404
    if not permissions.can_edit_notes(user, session):
        raise Http404
    index = whole_number(request.GET.get("follow_ups-TOTAL_FORMS"), minimum=0)
    if index is None or index >= FollowUpFormSet.max_num:
        raise Http404
    context = {
        "item": FollowUpForm(prefix=f"follow_ups-{index}"),
        "total": index + 1,
        "full": index + 1 >= FollowUpFormSet.max_num,
    }
    return render(request, "mentoring/_follow_up_new_row.html", context)


@require_POST
def follow_up_toggle(request, pk):
    follow_up = get_object_or_404(
        FollowUp.objects.filter(
            participation__in=permissions.visible_participations(request.user).values("pk")
        ).select_related("participation__company", "session"),
        pk=pk,
    )
    try:
        follow_up = notes_service.set_follow_up_done(
            request.user, follow_up, request.POST.get("done") == "1"
        )
    except Refused as error:
        error.hide()
    if request.htmx:
        return render(
            request,
            "mentoring/_follow_up.html",
            {
                "follow_up": follow_up,
                "can_tick": True,
                "next": request.POST.get("next", ""),
                "show_session": request.POST.get("next") != "session",
            },
        )
    if request.POST.get("next") == "session":
        return redirect("mentoring:session", pk=follow_up.session_id)
    return redirect("mentoring:participant", pk=follow_up.participation_id)


@require_POST
def rate(request, pk):
    session = visible_session(request, pk)
    if not permissions.can_rate(request.user, session):
        raise Http404
    form = RatingForm(request.POST)
    if form.is_valid():
        notes_service.rate_session(
            request.user, session, form.cleaned_data["score"], form.cleaned_data["comment"]
        )
        messages.success(request, _("Thank you for rating the session."))
    else:
        messages.error(request, _("Choose a rating from 1 to 5."))
    return redirect("mentoring:session", pk=session.pk)
