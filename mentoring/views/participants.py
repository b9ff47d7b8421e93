"""A participant's mentoring page, My mentoring (expert dashboard / SME page), the cohort progress
table and the officer's drop-out page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from clinic.services import audit as audit_log
from clinic.spreadsheets import csv_response
from clinic.text_search import matching, natural
from clinic.transitions import Refused
from cohorts.models import Cohort

from .. import permissions
from ..events import progress as events_progress
from ..forms import DropOutForm, ProgressFilterForm
from ..models import Assignment, Participation, Session
from ..services import exports, progress
from ..services import participation as participation_service
from ..services.experts import expert_users
from ..services.match_scores import weakest_dimensions
from ..services.slots import bookable_slots
from . import visible_participation


@require_safe
def participant_detail(request, pk):
    participation = visible_participation(request, pk)
    user = request.user
    row = progress.decorate(
        progress.with_progress(Participation.objects.filter(pk=participation.pk))
    )[0]
    sessions = list(
        participation.sessions.select_related("expert", "note", "rating").order_by(
            "starts_at", "number"
        )
    )
    is_mentor = permissions.is_mentor_of(user, participation)
    is_officer = permissions.is_officer(user)
    is_representative = permissions.is_representative_of(user, participation)
    works_with = permissions.works_with(user, participation)
    follow_ups = list(
        participation.follow_ups.select_related("session").order_by("done", "due_date", "pk")
    )
    if not works_with:
        # The SME sees only follow-ups of notes the expert has shared.
        shared = {s.pk for s in sessions if _shared(s)}
        follow_ups = [f for f in follow_ups if f.session_id in shared]
    return render(
        request,
        "mentoring/participant_detail.html",
        {
            "participation": participation,
            "row": row,
            "sessions": sessions,
            "still_planned": still_planned(participation, sessions),
            "follow_ups": follow_ups,
            "is_mentor": is_mentor,
            "is_officer": is_officer,
            "is_representative": is_representative,
            "rateable": {
                s.pk for s in sessions if is_representative and permissions.can_rate(user, s)
            },
            "can_schedule": permissions.can_schedule(user, participation),
            "can_book": permissions.can_book(user, participation)
            and bookable_slots(participation).exists(),
            "can_tick": permissions.can_tick_follow_ups(user, participation),
            "show_history": works_with,
            "works_with": works_with,
            "can_match": permissions.can_match(user),
            "history": audit_log.history(participation)[:30] if works_with else [],
            "inactive": participation.state in permissions.INACTIVE_STATES,
            "weakest": weakest_dimensions(participation.audit) if works_with else [],
        },
    )


def _shared(session):
    note = getattr(session, "note", None)
    return note is not None and note.is_shared


@require_safe
def my_mentoring(request):
    """Experts: the dashboard of their SMEs. SMEs: their participation. Officers: cohorts."""
    user = request.user
    if permissions.is_expert(user):
        rows = progress.decorate(
            progress.with_progress(
                permissions.mentored_participations(user).order_by("cohort", "company__legal_name")
            )
        )
        upcoming = (
            Session.objects.filter(
                participation__in=permissions.mentored_participations(user).values("pk"),
                status=Session.Status.PLANNED,
                starts_at__gte=timezone.now(),
            )
            .select_related("participation__company")
            .order_by("starts_at")[:10]
        )
        return render(
            request,
            "mentoring/expert_dashboard.html",
            {"rows": rows, "upcoming": upcoming, "now": timezone.now()},
        )
    own = list(
        permissions.visible_participations(user)
        .filter(company__representatives=user)
        .order_by("-created_at")[:2]
    )
    if len(own) == 1:
        return redirect("mentoring:participant", pk=own[0].pk)
    if permissions.is_officer(user):
        cohorts = Cohort.objects.filter(participations__isnull=False).distinct()
        return render(request, "mentoring/officer_home.html", {"cohorts": cohorts})
    if not own:
        return render(request, "mentoring/none.html")
    rows = progress.decorate(
        progress.with_progress(
            permissions.visible_participations(user).filter(company__representatives=user)
        )
    )
    return render(request, "mentoring/sme_list.html", {"rows": rows})


def _filtered_progress(request, cohort, now):
    form = ProgressFilterForm(
        request.GET or None,
        experts=expert_users(),
        states=Participation.State.choices,
    )
    order = (natural("company__legal_name"), "pk")
    queryset = progress.with_progress(Participation.objects.filter(cohort=cohort), now)
    queryset = queryset.order_by(*order)
    if form.is_valid():
        data = form.cleaned_data
        fields = ["company__legal_name", "company__local_name"]
        queryset = matching(queryset, data["q"], fields, order=order)
        if data["expert"]:
            queryset = queryset.filter(
                assignments__expert=data["expert"],
                assignments__role=Assignment.Role.LEAD,
                assignments__ended_at__isnull=True,
            )
        if data["state"]:
            queryset = queryset.filter(state=data["state"])
        if data["flag"] == "stale":
            queryset = queryset.filter(progress.stale_filter(now))
    return form, queryset


@require_safe
def cohort_progress(request, pk):
    """Officers: every participant's progress with filters and flags; rating averages."""
    if not permissions.is_officer(request.user):
        raise Http404
    cohort = get_object_or_404(Cohort, pk=pk)
    now = timezone.now()
    form, queryset = _filtered_progress(request, cohort, now)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    rows = events_progress.with_mandatory(progress.decorate(page.object_list, now), cohort)
    per_expert, overall = progress.rating_averages(cohort)
    all_rows = progress.with_progress(Participation.objects.filter(cohort=cohort), now)
    stale_count = all_rows.filter(progress.stale_filter(now)).count()
    return render(
        request,
        "mentoring/cohort_progress.html",
        {
            "cohort": cohort,
            "form": form,
            "page": page,
            "rows": rows,
            "per_expert": per_expert,
            "overall": overall,
            "stale_count": stale_count,
            "stale_days": progress.STALE_DAYS,
            "mandatory_absent": events_progress.absent_companies(cohort),
        },
    )


def drop_out(request, pk):
    """Officers mark a participant dropped out, with a reason."""
    if not permissions.is_officer(request.user):
        raise Http404
    participation = visible_participation(request, pk)
    if participation.state in permissions.INACTIVE_STATES:
        messages.info(request, _("This participant is no longer in the programme."))
        return redirect("mentoring:participant", pk=participation.pk)
    form = DropOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            participation_service.drop_out(request.user, participation, form.cleaned_data["reason"])
        except Refused as error:
            messages.error(request, error.shown(hidden=True))
            return redirect("mentoring:participant", pk=participation.pk)
        messages.success(
            request,
            _("%(company)s is marked as dropped out.")
            % {"company": participation.company.legal_name},
        )
        return redirect("mentoring:participant", pk=participation.pk)
    planned = participation.sessions.filter(status=Session.Status.PLANNED).count()
    return render(
        request,
        "mentoring/drop_out.html",
        {"participation": participation, "form": form, "planned": planned},
    )


@require_safe
def cohort_progress_csv(request, pk):
    """The progress table as CSV, with the same filters (officers)."""
    if not permissions.is_officer(request.user):
        raise Http404
    cohort = get_object_or_404(Cohort, pk=pk)
    now = timezone.now()
    _form, queryset = _filtered_progress(request, cohort, now)
    content = exports.progress_csv(progress.decorate(queryset, now), cohort.time_zone)
    return csv_response(content, f"mentoring-progress-{cohort.pk}-{timezone.localdate()}.csv")


@require_safe
def session_log_csv(request, pk):
    """The company's session log as CSV: shared notes and follow-ups only."""
    participation = visible_participation(request, pk)
    content = exports.session_log_csv(participation)
    return csv_response(content, f"mentoring-sessions-{participation.pk}.csv")


FINISHED_STATES = ("completed", "follow_up", "closed")


def still_planned(participation, sessions):
    """How many sessions are still planned although the participation's plan is done (shown
    beside its state, so "Completed" never hides a meeting to come)."""
    if participation.state not in FINISHED_STATES:
        return 0
    return sum(1 for session in sessions if session.status == "planned")
