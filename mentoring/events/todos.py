"""My tasks entries of events: register for an invitation, give feedback, record attendance.

Each provider runs a fixed number of queries whatever the number of rows.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic import permissions as core
from clinic import todos

from .models import Event, Invitation, Registration
from .permissions import can_manage_events


@todos.register
def invitations_to_answer(user):
    if not core.is_sme(user):
        return []
    pending = (
        Invitation.objects.filter(
            company__representatives=user,
            event__state=Event.State.PUBLISHED,
            event__starts_at__gt=timezone.now(),
        )
        .select_related("event", "company")
        .order_by("event__starts_at")
    )
    registered = set(
        Registration.objects.filter(company__representatives=user)
        .exclude(state=Registration.State.CANCELLED)
        .values_list("event_id", "company_id")
    )
    return [
        todos.Todo(
            title=_("Register for %(event)s") % {"event": invitation.event},
            url=reverse("events:detail", args=[invitation.event_id]),
            detail=invitation.company.legal_name,
            due=invitation.event.starts_at,
        )
        for invitation in pending
        if (invitation.event_id, invitation.company_id) not in registered
    ]


@todos.register
def feedback_to_give(user):
    if not user.is_authenticated:
        return []
    attended = Registration.objects.filter(
        user=user,
        state=Registration.State.ATTENDED,
        event__state=Event.State.HELD,
        feedback__isnull=True,
    ).select_related("event")
    return [
        todos.Todo(
            title=_("Give your feedback on %(event)s") % {"event": registration.event},
            url=reverse("events:feedback", args=[registration.pk]),
        )
        for registration in attended
    ]


@todos.register
def attendance_to_record(user):
    if not can_manage_events(user):
        return []
    ended = Event.objects.filter(
        state=Event.State.PUBLISHED, starts_at__lt=timezone.now()
    ).order_by("starts_at")[:50]
    return [
        todos.Todo(
            title=_("Record the attendance of %(event)s") % {"event": event},
            url=reverse("events:check_in", args=[event.pk]),
            due=event.ends_at,
            overdue=event.ends_at < timezone.now(),
        )
        for event in ended
    ]
