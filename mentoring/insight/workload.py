"""Who carries the programme's work, for the dashboard: reviewers' load and agreement, experts'
load, sessions and ratings, and overdue work by owner."""

from collections import defaultdict

from django.db.models import Avg, Count, Min, Sum
from django.utils.translation import gettext_lazy as _

from cohorts.escalation import kind_label, overdue
from cohorts.models import Application, Review
from cohorts.services.summaries import fill_missing

from ..models import Assignment, ExpertProfile, Rating, Session
from .charts import Table


def person(row, prefix):
    full = " ".join(filter(None, (row[f"{prefix}first_name"], row[f"{prefix}last_name"])))
    return full or row[f"{prefix}username"]


def reviewer_workload(filters):
    """Per reviewer: reviews assigned, submitted, open; agreement = mean distance (points on
    the 1–5 scale) of their mean score from the other reviewers' median on the same
    application (the ``ReviewGap`` rows the review services keep, cohorts.services.summaries,
    one per submitted review not abstained). One aggregate per reviewer and state, counts and
    gaps together, after the summaries missing among these applications are computed (which
    also renews their gaps)."""
    # IN the applications: a join looks each of the many reviews' application up (slower)
    reviews = Review.objects.filter(application__in=filters.applications())
    submitted = reviews.filter(**Review.COUNTING)
    fill_missing(Application.objects.filter(pk__in=submitted.values("application_id")))
    names, counts = {}, defaultdict(lambda: defaultdict(int))
    gaps = defaultdict(lambda: [0.0, 0])  # reviewer id -> [sum of gaps, gaps]
    for row in (
        reviews.values(
            "reviewer_id",
            "reviewer__username",
            "reviewer__first_name",
            "reviewer__last_name",
            "state",
        )
        .annotate(n=Count("pk"), gap=Sum("agreement_gap__gap"), gaps=Count("agreement_gap"))
        .order_by()
    ):
        names[row["reviewer_id"]] = person(row, "reviewer__")
        counts[row["reviewer_id"]][row["state"]] += row["n"]
        gaps[row["reviewer_id"]][0] += row["gap"] or 0.0
        gaps[row["reviewer_id"]][1] += row["gaps"]
    table = Table(
        "reviewers",
        _("Reviewer workload and agreement"),
        [_("Reviewer"), _("Assigned"), _("Submitted"), _("Open"), _("Distance from others")],
    )
    for reviewer_id, name in sorted(names.items(), key=lambda kv: kv[1]):
        states = counts[reviewer_id]
        total, number = gaps[reviewer_id]
        table.rows.append(
            [
                name,
                sum(states[s] for s in Review.ACTIVE_STATES),
                states[Review.State.SUBMITTED],
                sum(states[s] for s in Review.OPEN_STATES),
                round(total / number, 2) if number else None,
            ]
        )
    return table


def expert_load(filters):
    """Per expert: companies (lead, support) against capacity, sessions held, mean rating."""
    participations = filters.participations()
    load = defaultdict(lambda: defaultdict(int))
    names = {}
    for row in (
        Assignment.objects.filter(participation__in=participations, ended_at__isnull=True)
        .values("expert_id", "expert__username", "expert__first_name", "expert__last_name", "role")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        names[row["expert_id"]] = person(row, "expert__")
        load[row["expert_id"]][row["role"]] += row["n"]
    held = dict(
        Session.objects.filter(participation__in=participations, status=Session.Status.HELD)
        .values("expert_id")
        .annotate(n=Count("pk"))
        .values_list("expert_id", "n")
    )
    ratings = {
        row["session__expert_id"]: row
        for row in Rating.objects.filter(session__participation__in=participations)
        .values("session__expert_id")
        .annotate(average=Avg("score"), n=Count("pk"))
        .order_by()
    }
    capacity = dict(
        ExpertProfile.objects.filter(user_id__in=list(names)).values_list("user_id", "capacity")
    )
    table = Table(
        "experts",
        _("Expert load, sessions and ratings"),
        [
            _("Expert"),
            _("Lead"),
            _("Support"),
            _("Capacity"),
            _("Sessions held"),
            _("Mean rating"),
            _("Ratings"),
        ],
    )
    for expert_id, name in sorted(names.items(), key=lambda kv: kv[1]):
        rating = ratings.get(expert_id, {})
        average = rating.get("average")
        table.rows.append(
            [
                name,
                load[expert_id][Assignment.Role.LEAD],
                load[expert_id][Assignment.Role.SUPPORT],
                capacity.get(expert_id),
                held.get(expert_id, 0),
                round(float(average), 2) if average is not None else None,
                rating.get("n", 0),
            ]
        )
    return table


def overdue_work(filters, now=None):
    """Overdue items per owner and kind (the escalation's open rows past their deadline)."""
    rows = overdue(now).filter(cohort__in=filters.cohorts().values("pk"))
    table = Table(
        "overdue",
        _("Overdue work by owner"),
        [_("Owner"), _("Kind"), _("Items"), _("Oldest due")],
    )
    for row in (
        rows.values("owner_label", "kind")
        .annotate(n=Count("pk"), oldest=Min("due_at"))
        .order_by("-n", "owner_label", "kind")
    ):
        table.rows.append(
            [
                row["owner_label"] or _("Programme lead (not taken)"),
                kind_label(row["kind"]),
                row["n"],
                row["oldest"],
            ]
        )
    return table
