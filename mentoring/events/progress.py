"""Mandatory events (the kick-off) in each company's participation progress: how many of the
cohort's held mandatory events someone of the company attended, and the absences. Read in two
queries whatever the number of rows."""

from django.db.models import Count, Q

from .models import Event, Registration

R = Registration.State


def mandatory_events(cohort):
    """The cohort's mandatory events that were held (the ones that count)."""
    return Event.objects.filter(cohort=cohort, mandatory=True, state=Event.State.HELD)


def with_mandatory(rows, cohort):
    """Set ``mandatory_total``, ``mandatory_attended`` and ``mandatory_absent`` on each
    participation row (``company_id``) and return the rows. A company attended an event when
    one of its people did; it was absent when it registered and nobody came."""
    rows = list(rows)
    held = list(mandatory_events(cohort).values_list("pk", flat=True))
    per_company = {}
    if held and rows:
        seen = (
            Registration.objects.filter(
                event__in=held, company__in=[row.company_id for row in rows]
            )
            .values("company", "event")
            .annotate(here=Count("pk", filter=Q(state=R.ATTENDED)))
        )
        for item in seen:
            attended, absent = per_company.get(item["company"], (0, 0))
            if item["here"]:
                per_company[item["company"]] = (attended + 1, absent)
            else:
                per_company[item["company"]] = (attended, absent + 1)
    for row in rows:
        attended, _absent = per_company.get(row.company_id, (0, 0))
        row.mandatory_total = len(held)
        row.mandatory_attended = attended
        row.mandatory_absent = len(held) - attended
    return rows


def absent_companies(cohort):
    """How many participating companies missed at least one held mandatory event."""
    held = list(mandatory_events(cohort).values_list("pk", flat=True))
    if not held:
        return 0
    present = (
        Registration.objects.filter(event__in=held, state=R.ATTENDED)
        .values("company", "event")
        .distinct()
    )
    attended = {}
    for item in present:
        attended[item["company"]] = attended.get(item["company"], 0) + 1
    companies = cohort.participations.exclude(state="dropped_out").values_list("company", flat=True)
    return sum(1 for company in companies if attended.get(company, 0) < len(held))
