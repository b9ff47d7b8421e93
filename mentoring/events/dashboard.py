"""The programme dashboard's attendance section: per cohort, its held mandatory events and the
participating companies that missed one, registered with ``mentoring.insight`` when the app is
ready. Three queries whatever the number of rows."""

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.insight import charts, dashboard
from mentoring.models import Participation

from .models import Event, Registration


def attendance_table(filters):
    cohorts = {c.pk: c for c in filters.cohorts()}
    table = dashboard.Table(
        "attendance",
        _("Mandatory events by cohort"),
        [_("Cohort"), _("Held"), _("Companies"), _("Missed one or more"), _("Absences")],
    )
    held = defaultdict(set)
    for event, cohort in Event.objects.filter(
        cohort__in=list(cohorts), mandatory=True, state=Event.State.HELD
    ).values_list("pk", "cohort"):
        held[cohort].add(event)
    attended = defaultdict(set)
    for event, company, cohort in (
        Registration.objects.filter(
            event__in=[pk for events in held.values() for pk in events],
            state=Registration.State.ATTENDED,
        )
        .values_list("event", "company", "event__cohort")
        .distinct()
    ):
        attended[cohort, company].add(event)
    companies = defaultdict(list)
    for cohort, company in (
        Participation.objects.filter(cohort__in=list(held))
        .exclude(state=Participation.State.DROPPED_OUT)
        .values_list("cohort", "company")
    ):
        companies[cohort].append(company)
    for cohort_id in sorted(held, key=lambda pk: str(cohorts[pk])):
        missed = [len(held[cohort_id] - attended[cohort_id, c]) for c in companies[cohort_id]]
        table.rows.append(
            [
                str(cohorts[cohort_id]),
                len(held[cohort_id]),
                len(missed),
                sum(1 for gaps in missed if gaps),
                sum(missed),
            ]
        )
    return table


def attendance_bars(table):
    return [
        charts.Bar(cohort, missing, f"{missing} / {companies}", outline=companies)
        for cohort, _held, companies, missing, _absences in table.rows
    ]


def register():
    dashboard.SECTIONS.setdefault("attendance", attendance_table)
    charts.BARS.setdefault("attendance", attendance_bars)
    charts.LEGENDS.setdefault(
        "attendance", gettext_lazy("companies that missed a mandatory event / participating")
    )
