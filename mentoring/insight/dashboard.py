"""The programme dashboard's numbers, read in a fixed number of queries whatever the number of
applications and cohorts. The funnel's application stages are counted by the database and their
medians read as the middle of the ordered differences (SQLite and PostgreSQL share no
percentile function); the participation stages (a cohort's few places) are computed in Python;
reviewer agreement is one aggregate of the distances the review services keep
(cohorts.services.summaries).

Every section is a ``Table``: a title, column headers and rows; the page draws a chart from it,
shows it as a table and offers it as CSV (the same numbers three ways).
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_
from statistics import median

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import Cast, Coalesce, Least
from django.utils.translation import gettext_lazy as _

from clinic.models import AuditLog
from cohorts.models import Application, Cohort, Review

from ..models import (
    Assessment,
    FollowUpReport,
    Participation,
    PlanVersion,
)
from .charts import Table
from .composition import quota_composition
from .workload import expert_load, overdue_work, reviewer_workload

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


PartState = Participation.State


SIGNED_OFF = (PartState.COMPLETED, PartState.FOLLOW_UP, PartState.CLOSED)


STAGES = [
    ("applied", _("Applied")),
    ("eligible", _("Eligible")),
    ("reviewed", _("Reviewed")),
    ("selected", _("Selected")),
    ("confirmed", _("Confirmed")),
    ("audit", _("Audit submitted")),
    ("assessed", _("Assessed")),
    ("signed", _("Plan signed")),
    ("six", _("6-month report")),
    ("twelve", _("12-month report")),
]


@dataclass(frozen=True)
class Filters:
    programme: object = None
    cohort: object = None
    year: int | None = None
    region: str = ""
    green_area: str = ""
    size_class: str = ""

    def cohorts(self):
        cohorts = Cohort.objects.all()
        if self.programme is not None:
            cohorts = cohorts.filter(programme=self.programme)
        if self.cohort is not None:
            cohorts = cohorts.filter(pk=self.cohort.pk)
        if self.year:
            cohorts = cohorts.filter(start_date__year=self.year)
        return cohorts

    def applications(self):
        applications = Application.objects.filter(cohort__in=self.cohorts().values("pk"))
        if self.region:
            applications = applications.filter(company__region__iexact=self.region.strip())
        if self.green_area:
            applications = applications.filter(tech_area=self.green_area)
        if self.size_class:
            applications = applications.filter(size_class=self.size_class)
        return applications


def id_texts(queryset):
    """The primary keys of ``queryset`` as text, to match the audit log's ``object_id``."""
    return queryset.annotate(key=Cast("pk", CharField())).values("key")


def earliest(times, key, when):
    """Record that ``key`` reached the stage, at ``when`` (None: reached, time unknown)."""
    if key not in times or (when is not None and (times[key] is None or when < times[key])):
        times[key] = when


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


def participation_times(applications, times):
    """Adds the participation stages to ``times`` (keyed by application id)."""
    participations = Participation.objects.filter(application__in=applications)
    application_of = {}
    for pk, application_id, submitted, state in participations.values_list(
        "pk", "application_id", "audit__submitted_at", "state"
    ).order_by():
        application_of[pk] = application_id
        if submitted is not None:  # the audit's own stamp (older data has no audit record)
            earliest(times["audit"], application_id, submitted)
        if state in SIGNED_OFF:  # completed only by a sign-off (its time: the version's)
            times["signed"].setdefault(application_id, None)
    for entry in (
        AuditLog.objects.filter(
            object_type="mentoring.participation",
            action="audit_completed",
            object_id__in=id_texts(participations),
        )
        .values("object_id", "created_at")
        .order_by()
    ):
        earliest(times["audit"], application_of[int(entry["object_id"])], entry["created_at"])
    for pk, when in Assessment.objects.filter(
        participation__in=participations, submitted_at__isnull=False
    ).values_list("participation_id", "submitted_at"):
        earliest(times["assessed"], application_of[pk], when)
    for pk, when in (
        PlanVersion.objects.filter(participation__in=participations, signed_at__isnull=False)
        .values("participation_id")
        .annotate(first=Min("signed_at"))
        .values_list("participation_id", "first")
    ):
        times["signed"].pop(application_of[pk], None)
        earliest(times["signed"], application_of[pk], when)
    rounds = {FollowUpReport.Round.SIX: "six", FollowUpReport.Round.TWELVE: "twelve"}
    for pk, round_, when in FollowUpReport.objects.filter(
        participation__in=participations, submitted_at__isnull=False
    ).values_list("participation_id", "round", "submitted_at"):
        earliest(times[rounds[round_]], application_of[pk], when)


def days_between(start, end):
    return [
        (end[pk] - start[pk]).total_seconds() / 86400
        for pk in end
        if pk in start and start[pk] is not None and end[pk] is not None
    ]


def percent(part, whole):
    return round(100 * part / whole) if whole else None


def funnel(filters):
    """Applied → … → 12-month report: companies reaching each stage, conversion from the stage
    before and from applied, median days from the stage before."""
    applications = filters.applications()
    reached, medians = application_stages(applications)
    times = {key: {} for key, _label in STAGES if key not in reached}
    times["confirmed"] = dict(  # the participants' confirmation, for the days to their audit
        keyed(applications)
        .filter(timed("confirmed"), participation__isnull=False)
        .annotate(confirmed_at=stage_time("confirmed"))
        .values_list("pk", "confirmed_at")
    )
    participation_times(applications, times)
    for key in times.keys() - reached.keys():
        reached[key] = len(times[key])
    previous = None
    for key, _label in STAGES:
        if key not in medians and previous:
            gaps = days_between(times[previous], times[key])
            medians[key] = median(gaps) if gaps else None
        previous = key
    return funnel_table(reached, medians)


def funnel_table(reached, medians):
    table = Table(
        "funnel",
        _("Funnel"),
        [
            _("Stage"),
            _("Companies"),
            _("Per cent of the stage before"),
            _("Per cent of applied"),
            _("Median days from the stage before"),
        ],
    )
    previous = None
    for key, label in STAGES:
        gap = medians.get(key)
        table.rows.append(
            [
                label,
                reached[key],
                percent(reached[key], reached[previous]) if previous else None,
                percent(reached[key], reached["applied"]),
                round(gap, 1) if gap is not None else None,
            ]
        )
        previous = key
    return table


SECTIONS = {
    "funnel": funnel,
    "composition": quota_composition,
    "reviewers": reviewer_workload,
    "experts": expert_load,
    "overdue": overdue_work,
}


def dashboard(filters):
    return [build(filters) for build in SECTIONS.values()]
