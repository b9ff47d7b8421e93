"""The funnel's application stages (applied, eligible, reviewed, selected, confirmed) for the
programme dashboard: which applications reached each stage and when (the audit log's records
and the rows' own stamps), counted with the median days between stages in one query.
"""

from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import Cast, Coalesce, Least

from clinic.models import AuditLog
from cohorts.models import Application, Review

AppState = Application.State


PAST_ELIGIBLE = (
    AppState.ELIGIBLE,
    AppState.UNDER_REVIEW,
    AppState.SELECTED,
    AppState.WAITLISTED,
    AppState.REJECTED,
    AppState.CONFIRMED,
    AppState.DECLINED,
    AppState.LAPSED,
)


PAST_SELECTED = (AppState.SELECTED, AppState.CONFIRMED, AppState.DECLINED, AppState.LAPSED)


APPLICATION_STAGES = ("applied", "eligible", "reviewed", "selected", "confirmed")


LOGGED = {  # the audit records marking a stage, and the row's own stamp (set with the record)
    "eligible": (Q(action="confirmed_eligible"), "screened_at", PAST_ELIGIBLE),
    "selected": (
        Q(to_state="selected") & ~Q(action__in=("confirmed_eligible", "place_confirmed")),
        "decided_at",
        PAST_SELECTED,
    ),
    "confirmed": (Q(action="place_confirmed"), "answered_at", (AppState.CONFIRMED,)),
}


def logged_keys(stage):
    matching, _stamp, _states = LOGGED[stage]
    return AuditLog.objects.filter(matching, object_type="cohorts.application").values("object_id")


def reaching_reviews():
    """The submitted reviews that bring their application to its cohort's minimum (none for
    an application with a submitted review without a time)."""
    submitted = Review.objects.filter(state=Review.State.SUBMITTED)
    up_to = (
        submitted.filter(
            application=OuterRef("application"), submitted_at__lte=OuterRef("submitted_at")
        )
        .order_by()
        .values("application")
        .annotate(count=Count("pk"))
        .values("count")
    )
    unstamped = submitted.filter(submitted_at__isnull=True).values("application_id")
    return (
        submitted.exclude(application__in=unstamped)
        .annotate(up_to=Subquery(up_to))
        .filter(up_to__gte=F("application__cohort__min_reviews"))
    )


def reviewed_keys():
    """Applications with their cohort's minimum of submitted reviews, all with a time."""
    return (
        Review.objects.filter(state=Review.State.SUBMITTED)
        .order_by()
        .values("application_id")
        .annotate(count=Count("pk"), unstamped=Count("pk", filter=Q(submitted_at__isnull=True)))
        .filter(count__gte=F("application__cohort__min_reviews"), unstamped=0)
        .values("application_id")
    )


def reached(stage):
    """Applications that reached ``stage`` (a filter on plain columns and uncorrelated
    subqueries, cheap on every row)."""
    if stage == "applied":
        return Q(submitted_at__isnull=False)
    if stage == "reviewed":
        return Q(pk__in=reviewed_keys())
    _matching, _stamp, states = LOGGED[stage]
    return Q(state__in=states) | Q(key__in=logged_keys(stage))


def timed(stage):
    """Applications that reached ``stage`` at a known time."""
    if stage not in LOGGED:
        return reached(stage)
    _matching, stamp, states = LOGGED[stage]
    return Q(state__in=states, **{f"{stamp}__isnull": False}) | Q(key__in=logged_keys(stage))


def stage_time(stage):
    """The first time the application reached ``stage``: the earlier of its first audit
    record and its own stamp (correlated: only for the rows ``timed`` keeps)."""
    if stage == "applied":
        return F("submitted_at")
    if stage == "reviewed":
        reviews = reaching_reviews().filter(application=OuterRef("pk")).order_by("submitted_at")
        return Subquery(reviews.values("submitted_at")[:1])
    matching, stamp, states = LOGGED[stage]
    logged = AuditLog.objects.filter(
        matching, object_type="cohorts.application", object_id=OuterRef("key")
    ).order_by("created_at")
    logged = Subquery(logged.values("created_at")[:1])
    own = Case(When(state__in=states, then=F(stamp)), default=None)
    return Coalesce(Least(logged, own), logged, own, output_field=DateTimeField())


def keyed(applications):
    return applications.order_by().annotate(key=Cast("pk", CharField()))


def needed(index):
    """Rows whose time at stage ``index`` counts in a median: timed at it and at a stage next
    to it (the stage times are correlated subqueries: computed only there)."""
    neighbours = [
        timed(APPLICATION_STAGES[i])
        for i in (index - 1, index + 1)
        if 0 <= i < len(APPLICATION_STAGES)
    ]
    return timed(APPLICATION_STAGES[index]) & reduce(or_, neighbours[1:], neighbours[0])


def stage_columns(applications):
    """The applications as rows of 0/1 per stage reached and, per stage, the time it was reached
    (None where it is not known or not needed)."""
    return keyed(applications).values(
        **{f"r_{key}": Case(When(reached(key), then=1), default=0) for key in APPLICATION_STAGES},
        **{
            f"t_{key}": Case(
                When(needed(index), then=stage_time(key)),
                default=None,
                output_field=DateTimeField(),
            )
            for index, key in enumerate(APPLICATION_STAGES)
        },
    )


def seconds_between(start, end):
    """SQL: the seconds from column ``start`` to column ``end``."""
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({end} - {start}))"
    return f"django_timestamp_diff({end}, {start}) / 1000000.0"  # Django's SQLite function


def application_stages(applications):
    """({stage: companies reaching it}, {stage: median days from the stage before}) for the
    application stages, in one query whatever the number of applications: each stage's time is
    computed once per row, and each median is the mean of the middle one or two of the ordered
    differences over the rows timed at both stages (window row numbers; SQLite and PostgreSQL
    share no percentile function)."""
    pairs = list(zip(APPLICATION_STAGES, APPLICATION_STAGES[1:], strict=False))
    flags = [f"r_{key}" for key in APPLICATION_STAGES]
    gaps = [
        f"CASE WHEN t_{a} IS NOT NULL AND t_{b} IS NOT NULL "
        f"THEN {seconds_between(f't_{a}', f't_{b}')} END AS g{i}"
        for i, (a, b) in enumerate(pairs)
    ]
    ordered = [
        f"g{i}, ROW_NUMBER() OVER (ORDER BY (g{i} IS NULL), g{i}) AS n{i}, "
        f"COUNT(g{i}) OVER () AS c{i}"
        for i in range(len(pairs))
    ]
    middles = [
        f"AVG(CASE WHEN n{i} IN ((c{i} + 1) / 2, (c{i} + 2) / 2) THEN g{i} END)"
        for i in range(len(pairs))
    ]
    sql, params = stage_columns(applications).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(  # materialized: each row's stage times computed once, not per use
            f"WITH stages AS MATERIALIZED ({sql}), "  # noqa: S608 - our own SQL around the ORM's
            f"gaps AS MATERIALIZED (SELECT * FROM (SELECT {', '.join(gaps)} FROM stages) timed "
            f"WHERE {' OR '.join(f'g{i} IS NOT NULL' for i in range(len(pairs)))}) "
            f"SELECT * FROM (SELECT {', '.join(f'COALESCE(SUM({f}), 0)' for f in flags)} "
            f"FROM stages) counted, (SELECT {', '.join(middles)} "
            f"FROM (SELECT {', '.join(ordered)} FROM gaps) numbered) middle",
            params,
        )
        found = cursor.fetchone()
    counts = dict(zip(APPLICATION_STAGES, found, strict=False))
    seconds = found[len(flags) :]
    medians = {
        b: None if middle is None else float(middle) / 86400
        for (_a, b), middle in zip(pairs, seconds, strict=True)
    }
    return {key: int(counts[key]) for key in APPLICATION_STAGES}, medians
