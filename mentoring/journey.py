"""The steps of an SME's stepper after it confirmed its place (see cohorts/journey.py): the IP
audit, mentoring, the plan and the follow-up, read from its participation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cohorts.journey import CURRENT, DONE, STOPPED, Step, register_later

from .models import Participation

State = Participation.State

KEYS = ("audit", "mentoring", "plan", "follow_up")
LABELS = {
    "audit": _("IP audit"),
    "mentoring": _("Mentoring"),
    "plan": _("Action plan"),
    "follow_up": _("Follow-up"),
}
AT = {
    State.CONFIRMED: "audit",
    State.AUDIT: "audit",
    State.MENTORING: "mentoring",
    State.ASSESSMENT: "plan",
    State.PLAN_REVIEW: "plan",
    State.COMPLETED: "follow_up",
    State.FOLLOW_UP: "follow_up",
}
NEXT = {
    "audit": _("Fill in and submit your IP audit."),
    "mentoring": _("Meet your expert: book or attend your sessions."),
    "plan": _("Your expert writes the assessment and your IP action plan."),
    "follow_up": _("Report progress on your action plan at 6 and 12 months."),
}


def participation_steps(participation):
    """The four later steps, the current one explained and linked."""
    steps = [Step(key, LABELS[key]) for key in KEYS]
    if participation.state == State.CLOSED:
        for step in steps:
            step.status = DONE
        return steps
    if participation.state == State.DROPPED_OUT:
        first = steps[0]
        first.status, first.next = STOPPED, _("The participation ended (dropped out).")
        return steps
    position = KEYS.index(AT[participation.state])
    for step in steps[:position]:
        step.status = DONE
    current = steps[position]
    current.status, current.next = CURRENT, NEXT[current.key]
    current.url = reverse("mentoring:participant", args=[participation.pk])
    if current.key == "audit" and participation.audit_id:
        current.url = reverse("ipaudit:detail", args=[participation.audit_id])
    return steps


@register_later
def later_steps(applications):
    """Application id -> its participation's steps (waiting steps for a confirmed application
    whose participation has not started); one query."""
    confirmed = [a.pk for a in applications if a.state == "confirmed"]
    rows = Participation.objects.filter(application_id__in=confirmed)
    found = {row.application_id: participation_steps(row) for row in rows}
    return {pk: found.get(pk) or [Step(key, LABELS[key]) for key in KEYS] for pk in confirmed}
