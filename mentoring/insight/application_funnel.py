"""The funnel's application stages (applied, eligible, reviewed, selected, confirmed) for the
programme dashboard: how many applications reached each stage and the median days between
stages, from the audit log's timestamps as the applications keep them. Each application holds
the first time it reached each stage in a column (``submitted_at``, ``eligible_at``,
``reviewed_at``, ``selected_at``, ``confirmed_at``): copies of the moment of the move that
reached it, written by the services in the same transaction as its audit record, and computed
from the audit log for older rows (cohorts/services/stage_times.py). So the counts are one
aggregate over plain columns, and each median the middle one or two of the ordered
differences of two columns (one query each; SQLite and PostgreSQL share no percentile
function).

(A single query computing every stage time once, with window row numbers for the medians, was
tried before the columns: on PostgreSQL it ran 7 s instead of 0.6 s.)
"""

from statistics import median

from django.db.models import Count, F, FloatField, Func, Q

from cohorts.services.stage_times import PAST_CONFIRMED, PAST_ELIGIBLE, PAST_SELECTED

APPLICATION_STAGES = ("applied", "eligible", "reviewed", "selected", "confirmed")


STAMPS = {  # stage -> its column
    "applied": "submitted_at",
    "eligible": "eligible_at",
    "reviewed": "reviewed_at",
    "selected": "selected_at",
    "confirmed": "confirmed_at",
}


# A row whose state is past a stage has reached it, even without a time (rows written before
# the audit log existed, or by hand).
PAST = {"eligible": PAST_ELIGIBLE, "selected": PAST_SELECTED, "confirmed": PAST_CONFIRMED}


def reached(stage):
    """Applications that reached ``stage``."""
    known = Q(**{f"{STAMPS[stage]}__isnull": False})
    return known | Q(state__in=PAST[stage]) if stage in PAST else known


def timed(stage):
    """Applications that reached ``stage`` at a known time."""
    return Q(**{f"{STAMPS[stage]}__isnull": False})


class Gap(Func):
    """``end - start``, to order by: SQLite's julianday difference (Django's timestamp
    difference calls Python once per row there), elsewhere the interval."""

    output_field = FloatField()  # only ordered by, never read

    def __init__(self, start, end):
        super().__init__(F(end), F(start))

    def as_sql(self, compiler, connection, **extra):
        (end, end_params), (start, start_params) = (
            compiler.compile(side) for side in self.get_source_expressions()
        )
        if connection.vendor == "sqlite":
            end, start = f"julianday({end})", f"julianday({start})"
        return f"({end} - {start})", (*end_params, *start_params)


def median_days(rows, start, end, count):
    """The median of ``end - start`` in days over the ``count`` rows timed at both, read as
    the middle one or two rows of the ordered differences (their times subtracted here)."""
    first, last = STAMPS[start], STAMPS[end]
    middle = (
        rows.filter(timed(start) & timed(end))
        .order_by(Gap(first, last), "pk")
        .values_list(first, last)[max(count - 1, 0) // 2 : count // 2 + 1]
    )
    days = [(to - since).total_seconds() / 86400 for since, to in middle]
    return median(days) if count and days else None


def application_stages(applications):
    """({stage: companies reaching it}, {stage: median days from the stage before}) for the
    application stages, counted by the database whatever the number of applications."""
    rows = applications.order_by()
    pairs = list(zip(APPLICATION_STAGES, APPLICATION_STAGES[1:], strict=False))
    counts = rows.aggregate(
        **{key: Count("pk", filter=reached(key)) for key in APPLICATION_STAGES},
        **{f"{a}_{b}": Count("pk", filter=timed(a) & timed(b)) for a, b in pairs},
    )
    medians = {b: median_days(rows, a, b, counts[f"{a}_{b}"]) for a, b in pairs}
    return {key: counts[key] for key in APPLICATION_STAGES}, medians
