"""My tasks entries of mentoring: schedule the next session, log notes, rate a session.

Each provider runs a fixed number of queries whatever the number of rows.
"""

from datetime import timedelta

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic import permissions as core
from clinic import todos

from .models import Assignment, Participation, Session
from .models.sessions import NOTES_EDIT_DAYS
from .permissions import mentored_participations
from .services.progress import with_progress


@todos.register
def expert_todos(user):
    if not core.is_expert(user):
        return []
    now = timezone.now()
    items = []
    notes_due = (
        Session.objects.filter(
            participation__in=mentored_participations(user).values("pk"),
            starts_at__lt=now,
            starts_at__gte=now - timedelta(days=NOTES_EDIT_DAYS + 1),
        )
        .filter(
            Q(status=Session.Status.PLANNED)
            | Q(status__in=[Session.Status.HELD, Session.Status.NO_SHOW], note__shared_at=None)
        )
        .select_related("participation__company")
        .order_by("starts_at")
    )
    for session in notes_due:
        items.append(
            todos.Todo(
                title=_("Log the notes of session %(number)s") % {"number": session.number},
                url=reverse("mentoring:notes", args=[session.pk]),
                detail=session.participation.company.legal_name,
                due=session.notes_lock_at,
            )
        )
    leads = with_progress(
        Participation.objects.filter(
            state=Participation.State.MENTORING,
            assignments__expert=user,
            assignments__role=Assignment.Role.LEAD,
            assignments__ended_at__isnull=True,
        ),
        now,
    ).filter(next_session_at__isnull=True, held__lt=F("cohort__target_sessions"))
    for participation in leads:
        items.append(
            todos.Todo(
                title=_("Schedule the next session"),
                url=reverse("mentoring:schedule", args=[participation.pk]),
                detail=_("%(company)s · %(held)d of %(target)d sessions held")
                % {
                    "company": participation.company.legal_name,
                    "held": participation.held,
                    "target": participation.cohort.target_sessions,
                },
            )
        )
    return items


@todos.register
def sme_todos(user):
    if not core.is_sme(user):
        return []
    unrated = (
        Session.objects.filter(
            participation__company__representatives=user,
            status=Session.Status.HELD,
            rating__isnull=True,
        )
        .select_related("participation__company")
        .order_by("starts_at")
    )
    return [
        todos.Todo(
            title=_("Rate mentoring session %(number)s") % {"number": session.number},
            url=reverse("mentoring:session", args=[session.pk]) + "#rate",
            detail=session.participation.company.legal_name,
        )
        for session in unrated
    ]
