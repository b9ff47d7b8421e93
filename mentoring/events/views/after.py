"""After and around the event: feedback (attendees) and results (officers); demo-day slots and
introduction requests."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clinic.models import Company
from clinic.transitions import Refused

from .. import permissions
from ..forms_after import DemoSlotForm, FeedbackForm, IntroductionForm
from ..models import Registration
from ..services import demo_days, feedback
from . import managed_event, refused, visible_event


def give_feedback(request, pk):
    registration = get_object_or_404(
        Registration.objects.select_related("event__programme", "feedback"), pk=pk
    )
    if not permissions.can_give_feedback(request.user, registration):
        raise Http404
    event = registration.event
    speakers = list(event.speakers.all())
    given = getattr(registration, "feedback", None)
    initial = None
    if given is not None:
        initial = {"score": given.score, "comment": given.comment}
        initial.update({f"speaker_{s.speaker_id}": s.score for s in given.speaker_scores.all()})
    form = FeedbackForm(request.POST or None, speakers=speakers, initial=initial)
    if request.method == "POST" and form.is_valid():
        feedback.give_feedback(
            request.user,
            registration,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
            speaker_scores=form.speaker_scores(),
        )
        messages.success(request, _("Thank you for your feedback."))
        return redirect("events:detail", pk=event.pk)
    return render(request, "events/feedback_form.html", {"event": event, "form": form})


@require_safe
def results(request, pk):
    event = managed_event(request, pk)
    overall, per_speaker, comments = feedback.results(event)
    return render(
        request,
        "events/results.html",
        {"event": event, "overall": overall, "per_speaker": per_speaker, "comments": comments},
    )


@require_POST
def demo_sign_up(request, pk):
    event = visible_event(request, pk)
    companies = Company.objects.filter(
        pk__in=permissions.invitations_of(request.user, event).values("company")
    )
    form = DemoSlotForm(
        request.POST, companies=companies, listings=permissions.presentable_listings(companies)
    )
    if not form.is_valid():
        return refused(
            request, _("Choose a company, the technology and a time."), "events:detail", pk
        )
    try:
        demo_days.sign_up(request.user, event, **form.cleaned_data)
    except Refused as error:
        return refused(request, error, "events:detail", pk)
    messages.success(request, _("Your presentation slot is booked."))
    return redirect("events:detail", pk=pk)


@require_POST
def demo_withdraw(request, pk, item):
    event = visible_event(request, pk)
    slot = event.demo_slots.filter(pk=item).select_related("company").first()
    if slot is not None:
        try:
            demo_days.withdraw(request.user, slot)
        except Refused as error:
            return refused(request, error, "events:detail", pk)
    return redirect("events:detail", pk=pk)


@require_POST
def ask_introduction(request, pk, item):
    event = visible_event(request, pk)
    slot = get_object_or_404(event.demo_slots.select_related("company"), pk=item)
    registration = event.registrations.filter(
        user=request.user, state__in=Registration.SEATED
    ).first()
    if registration is None:
        raise Http404
    form = IntroductionForm(request.POST)
    form.is_valid()
    try:
        demo_days.ask_introduction(
            request.user, registration, slot, form.cleaned_data.get("message", "")
        )
    except Refused as error:
        return refused(request, error, "events:detail", pk)
    messages.success(request, _("Your request was passed to the programme officers."))
    return redirect("events:detail", pk=pk)
