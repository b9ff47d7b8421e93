"""The programme dashboard's matchmaking section: introductions per cohort by the stage they
reached (introduced → accepted → met → MOU signed → deployed), registered with
``mentoring.insight`` when the app is ready. One query whatever the number of rows."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.insight import charts, dashboard

from .models import Introduction
from .transitions import REACHED_STATES

S = Introduction.State
REACHED = {
    "proposed": Q(),
    **{stage: Q(state__in=states) for stage, states in REACHED_STATES.items()},
}
COHORT = "technology__company__participations__cohort"


def matchmaking_table(filters):
    cohorts = {c.pk: c for c in filters.cohorts()}
    table = dashboard.Table(
        "matchmaking",
        _("Matchmaking by cohort"),
        [_("Cohort"), _("Introduced"), _("Accepted"), _("Met"), _("MOUs signed"), _("Deployed")],
    )
    rows = (
        Introduction.objects.filter(**{f"{COHORT}__in": list(cohorts)})
        .values(COHORT)
        .annotate(**{name: Count("pk", filter=q, distinct=True) for name, q in REACHED.items()})
        .order_by(COHORT)
    )
    for row in rows:
        table.rows.append([str(cohorts[row[COHORT]]), *(row[name] for name in REACHED)])
    return table


def matchmaking_bars(table):
    return [
        charts.Bar(cohort, introduced, f"{introduced} · {mous} MOU · {deployed}", outline=None)
        for cohort, introduced, _accepted, _met, mous, deployed in table.rows
    ]


def register():
    dashboard.SECTIONS.setdefault("matchmaking", matchmaking_table)
    charts.BARS.setdefault("matchmaking", matchmaking_bars)
    charts.LEGENDS.setdefault(
        "matchmaking", gettext_lazy("introductions · MOUs signed · deployments")
    )
