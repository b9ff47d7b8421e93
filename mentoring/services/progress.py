"""Mentoring progress: per participant and per cohort, read in a fixed number of queries.

A participant is flagged when it is in its mentoring stage and has had no held session in the
last 30 days (counting from its confirmation while none was held yet).
"""

from datetime import timedelta

from django.db.models import Avg, Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import Assignment, FollowUp, Participation, Rating, Session

STALE_DAYS = 30
Status = Session.Status


def _count(queryset):
    return Coalesce(
        Subquery(
            queryset.order_by()
            .values("participation")
            .annotate(count=Count("pk"))
            .values("count")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def with_progress(participations, now=None):
    """Annotate participations with held, open_follow_ups (of shared notes), next_session_at,
    next_session_id, last_held_at and ``active_assignments`` (prefetched, lead first)."""
    now = now or timezone.now()
    sessions = Session.objects.filter(participation=OuterRef("pk"))
    return (
        participations.select_related("company", "cohort")
        .annotate(
            held=_count(sessions.filter(status=Status.HELD)),
            open_follow_ups=_count(
                FollowUp.objects.filter(
                    participation=OuterRef("pk"), done=False, session__note__shared_at__isnull=False
                )
            ),
            next_session_at=Subquery(
                sessions.filter(status=Status.PLANNED, starts_at__gt=now)
                .order_by("starts_at")
                .values("starts_at")[:1]
            ),
            next_session_id=Subquery(
                sessions.filter(status=Status.PLANNED, starts_at__gt=now)
                .order_by("starts_at")
                .values("pk")[:1]
            ),
            last_held_at=Subquery(
                sessions.filter(status=Status.HELD).order_by("-starts_at").values("starts_at")[:1]
            ),
        )
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(ended_at__isnull=True)
                .select_related("expert")
                .order_by("role"),
                to_attr="active_assignments",
            )
        )
    )


def is_stale(participation, now=None):
    now = now or timezone.now()
    if participation.state != Participation.State.MENTORING:
        return False
    reference = participation.last_held_at or participation.created_at
    return reference < now - timedelta(days=STALE_DAYS)


def stale_filter(now=None):
    """The same rule as ``is_stale`` as a filter on annotated participations."""
    cutoff = (now or timezone.now()) - timedelta(days=STALE_DAYS)
    return Q(state=Participation.State.MENTORING) & (
        Q(last_held_at__lt=cutoff) | Q(last_held_at__isnull=True, created_at__lt=cutoff)
    )


def decorate(participations, now=None):
    """Add lead, support, stale and percent to each annotated participation (no queries)."""
    now = now or timezone.now()
    rows = list(participations)
    for row in rows:
        roles = {a.role: a.expert for a in row.active_assignments}
        row.lead = roles.get(Assignment.Role.LEAD)
        row.support = roles.get(Assignment.Role.SUPPORT)
        row.stale = is_stale(row, now)
        row.target = row.cohort.target_sessions
        row.percent = min(100, round(100 * row.held / row.target)) if row.target else 0
    return rows


def rating_averages(cohort):
    """Mean rating per expert in ``cohort`` and for the cohort: (rows, overall)."""
    ratings = Rating.objects.filter(session__participation__cohort=cohort)
    per_expert = list(
        ratings.values(
            "session__expert",
            "session__expert__first_name",
            "session__expert__last_name",
            "session__expert__username",
        )
        .annotate(average=Avg("score"), count=Count("pk"))
        .order_by("-average", "session__expert__username")
    )
    overall = ratings.aggregate(average=Avg("score"), count=Count("pk"))
    return per_expert, overall


def expert_rating_averages(experts):
    """{expert id: (average, count)} over every cohort."""
    return {
        row["session__expert"]: (row["average"], row["count"])
        for row in Rating.objects.filter(session__expert__in=experts)
        .values("session__expert")
        .annotate(average=Avg("score"), count=Count("pk"))
    }
