"""The programme dashboard's numbers, read in a fixed number of queries whatever the number of
applications and cohorts (medians and agreement are computed in Python: SQLite and PostgreSQL
share no percentile function).

Every section is a ``Table``: a title, column headers and rows; the page draws a chart from it,
shows it as a table and offers it as CSV (the same numbers three ways).
"""

from collections import defaultdict
from dataclasses import dataclass
from statistics import median

from django.db.models import CharField, Min, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from clinic.models import AuditLog
from cohorts.models import Application, Cohort, QuotaRule, Review
from cohorts.views.proposals import composition

from ..models import (
    Assessment,
    FollowUpReport,
    Participation,
    PlanVersion,
)
from .charts import Table
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


IN_COHORT = (AppState.SELECTED, AppState.CONFIRMED)


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


def application_times(applications):
    """{stage: {application id: first time reached}} for the application stages."""
    rows = list(
        applications.values(
            "pk", "state", "submitted_at", "screened_at", "decided_at", "answered_at"
        ).order_by()
    )
    times = {key: {} for key, _label in STAGES}
    for row in rows:
        if row["submitted_at"] is not None:
            earliest(times["applied"], row["pk"], row["submitted_at"])
    logged = AuditLog.objects.filter(
        object_type="cohorts.application", object_id__in=id_texts(applications)
    ).filter(Q(action__in=("confirmed_eligible", "place_confirmed")) | Q(to_state="selected"))
    stage_of = {"confirmed_eligible": "eligible", "place_confirmed": "confirmed"}
    for entry in logged.values("object_id", "action", "to_state", "created_at").order_by():
        stage = stage_of.get(entry["action"], "selected")
        earliest(times[stage], int(entry["object_id"]), entry["created_at"])
    for row in rows:  # the rows' own stamps (set with the audit record; older data: alone)
        if row["state"] in PAST_ELIGIBLE:
            earliest(times["eligible"], row["pk"], row["screened_at"])
        if row["state"] in PAST_SELECTED:
            earliest(times["selected"], row["pk"], row["decided_at"])
        if row["state"] == AppState.CONFIRMED:
            earliest(times["confirmed"], row["pk"], row["answered_at"])
    times["reviewed"] = reviewed_times(applications)
    return rows, times


def reviewed_times(applications):
    """When each application got its cohort's minimum number of submitted reviews."""
    submitted = defaultdict(list)
    minimum = {}
    for row in (
        Review.objects.filter(application__in=applications, state=Review.State.SUBMITTED)
        .values("application_id", "submitted_at", "application__cohort__min_reviews")
        .order_by()
    ):
        submitted[row["application_id"]].append(row["submitted_at"])
        minimum[row["application_id"]] = row["application__cohort__min_reviews"]
    return {
        pk: sorted(stamps)[minimum[pk] - 1]
        for pk, stamps in submitted.items()
        if len(stamps) >= minimum[pk] and None not in stamps
    }


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
    _rows, times = application_times(applications)
    participation_times(applications, times)
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
    applied = len(times["applied"])
    previous = None
    for key, label in STAGES:
        reached = len(times[key])
        gaps = days_between(times[previous], times[key]) if previous else []
        table.rows.append(
            [
                label,
                reached,
                percent(reached, len(times[previous])) if previous else None,
                percent(reached, applied),
                round(median(gaps), 1) if gaps else None,
            ]
        )
        previous = key
    return table


def quota_composition(filters):
    """Each cohort's selected and confirmed companies against its quota rules."""
    cohorts = {c.pk: c for c in filters.cohorts()}
    rules = defaultdict(list)
    for rule in QuotaRule.objects.filter(cohort__in=cohorts):
        rules[rule.cohort_id].append(rule)
    attributes = defaultdict(list)
    for row in (
        filters.applications()
        .filter(state__in=IN_COHORT, cohort__in=list(rules))
        .values("cohort_id", "tech_area", "size_class", "company__region")
        .order_by()
    ):
        attributes[row["cohort_id"]].append(
            {
                "green_area": row["tech_area"],
                "size_class": row["size_class"],
                "region": (row["company__region"] or "").strip().lower(),
            }
        )
    table = Table(
        "composition",
        _("Composition against quotas"),
        [_("Cohort"), _("Rule"), _("Companies"), _("At least"), _("At most"), _("Holds")],
    )
    for cohort_id, cohort_rules in sorted(rules.items(), key=lambda kv: str(cohorts[kv[0]])):
        for line in composition(cohort_rules, attributes[cohort_id]):
            rule = line["rule"]
            table.rows.append(
                [
                    str(cohorts[cohort_id]),
                    rule.label,
                    line["count"],
                    rule.minimum,
                    rule.maximum,
                    line["ok"],
                ]
            )
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
