"""The clinic's measured impact: IP maturity at the audit, at the expert's assessment and at 12
months (the company's re-rating as its lead expert confirmed it), per company, and per cohort
or expert as the mean change per dimension with its spread and number of companies, action
items done against planned per horizon and the outcomes reported. A fixed number of queries
whatever the number of companies.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import mean, pstdev

from django.db.models import Avg, Count, Prefetch
from django.utils.translation import gettext_lazy as _

from clinic.dimensions import Dimension

from ..models import (
    ActionItem,
    Assignment,
    DimensionScore,
    ExpertProfile,
    FollowUpReport,
    Horizon,
    Participation,
    Rating,
    Session,
)
from ..services.assessment import audit_scores, readiness

Round = FollowUpReport.Round
POINTS = ("audit", "assessment", "twelve")
POINT_LABELS = {
    "audit": _("IP audit (self-assessed)"),
    "assessment": _("Expert assessment"),
    "twelve": _("12 months (confirmed)"),
}


@dataclass
class Company:
    participation: Participation
    levels: dict  # point -> {dimension: level or None}
    readiness: dict = field(default_factory=dict)  # point -> percent or None

    @property
    def measured(self):
        return any(v is not None for v in self.levels["twelve"].values())

    def change(self, dimension, since):
        before, after = self.levels[since][dimension], self.levels["twelve"][dimension]
        return None if before is None or after is None else after - before

    @property
    def readiness_change_since_audit(self):
        return self.readiness_change("audit")

    def readiness_change(self, since):
        before, after = self.readiness[since], self.readiness["twelve"]
        return None if before is None or after is None else round(after - before, 1)


def load(participations):
    """One ``Company`` per participation of ``participations`` (a queryset), in three queries."""
    rows = list(
        participations.select_related("company", "cohort", "audit").prefetch_related(
            Prefetch(
                "assessment__scores",
                queryset=DimensionScore.objects.all(),
                to_attr="loaded_scores",
            ),
            Prefetch(
                "follow_up_reports",
                queryset=FollowUpReport.objects.filter(
                    round=Round.TWELVE, state=FollowUpReport.State.CONFIRMED
                ),
                to_attr="confirmed_twelve",
            ),
        )
    )
    companies = []
    for participation in rows:
        assessment = getattr(participation, "assessment", None)
        submitted = assessment is not None and assessment.submitted_at is not None
        expert = {s.dimension: s.maturity for s in assessment.loaded_scores} if submitted else {}
        twelve = (
            participation.confirmed_twelve[0].confirmed_levels
            if participation.confirmed_twelve
            else {}
        )
        levels = {
            "audit": audit_scores(participation),
            "assessment": {d: expert.get(d) for d in Dimension.values},
            "twelve": {d: twelve.get(str(d)) for d in Dimension.values},
        }
        company = Company(participation, levels)
        company.readiness = {point: readiness(levels[point].values()) for point in POINTS}
        companies.append(company)
    return companies


def spread(values):
    """(mean, population standard deviation, n) of the values that are not None."""
    values = [v for v in values if v is not None]
    if not values:
        return None, None, 0
    return round(mean(values), 2), round(pstdev(values), 2), len(values)


def dimension_changes(companies):
    """Per dimension: the mean change (with spread and n) since the audit and since the
    assessment, over the companies measured at 12 months."""
    measured = [c for c in companies if c.measured]
    rows = []
    for dimension in Dimension:
        rows.append(
            {
                "dimension": dimension,
                "audit": spread(c.change(dimension.value, "audit") for c in measured),
                "assessment": spread(c.change(dimension.value, "assessment") for c in measured),
            }
        )
    rows.append(
        {
            "dimension": None,
            "audit": spread(c.readiness_change("audit") for c in measured),
            "assessment": spread(c.readiness_change("assessment") for c in measured),
        }
    )
    return rows


def actions_by_horizon(participations):
    """Per horizon: action items planned (all but dropped) and done."""
    counts = defaultdict(lambda: defaultdict(int))
    for row in (
        ActionItem.objects.filter(assessment__participation__in=participations)
        .values("horizon", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["horizon"]][row["status"]] += row["n"]
    return [
        {
            "horizon": horizon,
            "planned": sum(n for s, n in counts[horizon.value].items() if s != "dropped"),
            "done": counts[horizon.value][ActionItem.Status.DONE],
        }
        for horizon in Horizon
    ]


def outcomes(participations):
    """Per round: reports in, filings, registrations, licences, finance per currency and the
    mean satisfaction."""
    reports = FollowUpReport.objects.filter(
        participation__in=participations, state__in=FollowUpReport.DONE_STATES
    )
    totals = []
    for round_ in Round:
        these = [r for r in reports if r.round == round_.value]
        finance = defaultdict(Decimal)
        for report in these:
            finance[report.finance_currency] += report.finance_raised
        ratings = [r.satisfaction for r in these if r.satisfaction]
        totals.append(
            {
                "round": round_,
                "reports": len(these),
                "filings": sum(r.filings for r in these),
                "registrations": sum(r.registrations for r in these),
                "licences": sum(r.licences for r in these),
                "finance": sorted(finance.items()),
                "satisfaction": round(mean(ratings), 1) if ratings else None,
            }
        )
    return totals


def report(participations):
    """Everything the impact pages, the CSV and the PDF show for ``participations``."""
    companies = load(participations)
    return {
        "companies": companies,
        "measured": sum(c.measured for c in companies),
        "changes": dimension_changes(companies),
        "actions": actions_by_horizon(participations),
        "outcomes": outcomes(participations),
    }


def led_by(expert):
    """The participations ``expert`` is (or was, until it closed) the lead expert of."""
    ids = Assignment.objects.filter(expert=expert, role=Assignment.Role.LEAD).values(
        "participation_id"
    )
    return Participation.objects.filter(pk__in=ids)


def expert_load(expert):
    """An expert's own load: companies now (lead, support) against capacity, sessions held and
    the mean rating of their sessions, over every cohort (four queries)."""
    active = dict(
        Assignment.objects.filter(expert=expert, ended_at__isnull=True)
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    ratings = Rating.objects.filter(session__expert=expert).aggregate(
        average=Avg("score"), n=Count("pk")
    )
    profile = ExpertProfile.objects.filter(user=expert).values_list("capacity", flat=True)
    return {
        "lead": active.get(Assignment.Role.LEAD, 0),
        "support": active.get(Assignment.Role.SUPPORT, 0),
        "capacity": profile.first(),
        "held": Session.objects.filter(expert=expert, status=Session.Status.HELD).count(),
        "rating": round(float(ratings["average"]), 2) if ratings["average"] is not None else None,
        "ratings": ratings["n"],
    }
