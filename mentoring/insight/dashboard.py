"""The programme dashboard's numbers, read in a fixed number of queries whatever the number of
applications and cohorts. The funnel's application stages are counted by the database from the
first time of each stage the applications keep in columns (cohorts/services/stage_times.py),
their medians read as the middle of the ordered differences (SQLite and PostgreSQL share no
percentile function); the participation stages (a cohort's few places) are computed in Python;
reviewer agreement is one aggregate of the distances the review services keep
(cohorts.services.summaries).

Every section is a ``Table``: a title, column headers and rows; the page draws a chart from it,
shows it as a table and offers it as CSV (the same numbers three ways).
"""

from dataclasses import dataclass
from statistics import median

from django.db.models import CharField, Min
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from clinic.models import AuditLog
from cohorts.models import Application, Cohort

from ..models import (
    Assessment,
    FollowUpReport,
    Participation,
    PlanVersion,
)
from .application_funnel import STAMPS, application_stages
from .charts import Table
from .composition import quota_composition
from .workload import expert_load, overdue_work, reviewer_workload

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
        return self.of(Application.objects.all(), "")

    def of(self, rows, path="application__"):
        """``rows`` (a queryset of a model reaching the application through ``path``) of the
        filtered applications; joined rather than ``application__in`` the applications, so
        the database starts from the few participations rather than every application."""
        rows = rows.filter(**{f"{path}cohort__in": self.cohorts().values("pk")})
        if self.region:
            rows = rows.filter(**{f"{path}company__region__iexact": self.region.strip()})
        if self.green_area:
            rows = rows.filter(**{f"{path}tech_area": self.green_area})
        if self.size_class:
            rows = rows.filter(**{f"{path}size_class": self.size_class})
        return rows

    def participations(self):
        return self.of(Participation.objects.all())


def id_texts(queryset):
    """The primary keys of ``queryset`` as text, to match the audit log's ``object_id``."""
    return queryset.annotate(key=Cast("pk", CharField())).values("key")


def earliest(times, key, when):
    """Record that ``key`` reached the stage, at ``when`` (None: reached, time unknown)."""
    if key not in times or (when is not None and (times[key] is None or when < times[key])):
        times[key] = when


def participation_times(participations, times):
    """Adds the participation stages to ``times`` (keyed by application id), and the
    participants' confirmation times (for the days to their audit)."""
    application_of = {}
    confirmed_at = f"application__{STAMPS['confirmed']}"
    for pk, application_id, confirmed, submitted, state in participations.values_list(
        "pk", "application_id", confirmed_at, "audit__submitted_at", "state"
    ).order_by():
        application_of[pk] = application_id
        if confirmed is not None:
            times["confirmed"][application_id] = confirmed
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
    reached, medians = application_stages(filters.applications())
    times = {key: {} for key, _label in STAGES if key not in reached}
    times["confirmed"] = {}
    participation_times(filters.participations(), times)
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
