"""An SME's way through the programme, one stepper per application: verify -> apply -> screening
-> review -> decision -> confirm, then the steps later stages register (audit, mentoring, plan,
follow-up). The home page shows it with the open calls (``home_panel``).

Each step says where it stands (done, current, waiting, stopped), what is next and by when.
Later stages register ``provider(applications) -> {application id: [Step]}`` with
``register_later``; a provider runs a fixed number of queries whatever the number of rows.
"""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic import home
from clinic.permissions import is_sme

from .models import Application, Cohort

State = Application.State

DONE, CURRENT, WAITING, STOPPED = "done", "current", "waiting", "stopped"
STATUS_LABELS = {
    DONE: _("done"),
    CURRENT: _("now"),
    WAITING: _("later"),
    STOPPED: _("stopped"),
}

_LATER = []


@dataclass
class Step:
    key: str
    label: str
    status: str = WAITING
    next: str = ""
    due: datetime | None = None
    url: str = ""

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


def register_later(provider):
    _LATER.append(provider)
    return provider


# Where each state stands: the step it is at and whether the way stops there.
AT = {
    State.DRAFT: ("apply", CURRENT),
    State.WITHDRAWN: ("apply", STOPPED),
    State.SUBMITTED: ("screening", CURRENT),
    State.NEEDS_INFO: ("screening", CURRENT),
    State.INELIGIBLE: ("screening", STOPPED),
    State.ELIGIBLE: ("review", CURRENT),
    State.UNDER_REVIEW: ("review", CURRENT),
    State.WAITLISTED: ("decision", CURRENT),
    State.REJECTED: ("decision", STOPPED),
    State.SELECTED: ("confirm", CURRENT),
    State.DECLINED: ("confirm", STOPPED),
    State.LAPSED: ("confirm", STOPPED),
    State.CONFIRMED: ("confirm", DONE),
}

KEYS = ("verify", "apply", "screening", "review", "decision", "confirm")
LABELS = {
    "verify": _("Verify your email"),
    "apply": _("Apply"),
    "screening": _("Screening"),
    "review": _("Review"),
    "decision": _("Decision"),
    "confirm": _("Confirm your place"),
}


def application_steps(application, user):
    """The six steps before the programme starts, with the current one explained."""
    at, status = AT[application.state]
    position = KEYS.index(at)
    steps = [Step(key, LABELS[key]) for key in KEYS]
    for index, step in enumerate(steps):
        if index < position:
            step.status = DONE
        elif index == position:
            step.status = status
    verify = steps[0]
    if user.email_verified_at is None and verify.status == DONE:
        verify.status = CURRENT
        verify.next = _("Verify your email address: you need it to submit.")
        verify.url = reverse("resend_verification")
    explain(steps[position], application)
    return steps


def explain(step, application):
    """What is next at the current step, by when, and where to do it."""
    cohort = application.cohort
    edit = reverse("cohorts:application_edit", args=[application.pk])
    detail = reverse("cohorts:application", args=[application.pk])
    texts = {
        State.DRAFT: (
            _("Complete and submit your application."),
            cohort.applications_close_at,
            edit,
        ),
        State.WITHDRAWN: (_("You withdrew this application."), None, detail),
        State.SUBMITTED: (_("Programme officers check your eligibility."), None, detail),
        State.NEEDS_INFO: (_("Answer the information request."), application.info_due_at, edit),
        State.INELIGIBLE: (_("The application was found not eligible."), None, detail),
        State.ELIGIBLE: (_("Reviewers score your application."), cohort.review_deadline, detail),
        State.UNDER_REVIEW: (
            _("Reviewers score your application."),
            cohort.review_deadline,
            detail,
        ),
        State.WAITLISTED: (
            _("You are on the waitlist: a place may still be offered."),
            None,
            detail,
        ),
        State.REJECTED: (_("Your application was not selected this time."), None, detail),
        State.SELECTED: (
            _("Confirm or decline your place."),
            application.confirm_due_at,
            reverse("cohorts:place", args=[application.pk]),
        ),
        State.DECLINED: (_("You declined the place."), None, detail),
        State.LAPSED: (_("The time to confirm the place ran out."), None, detail),
        State.CONFIRMED: ("", None, detail),
    }
    step.next, step.due, step.url = texts[application.state]
    if application.state == State.WITHDRAWN and cohort.is_open():
        step.next = _("You withdrew this application; while the call is open you can reopen it.")


# The home page shows the newest applications' steppers; My applications lists every one.
JOURNEYS_SHOWN = 10


def journeys(user, limit=None):
    """Each application of the companies ``user`` represents (the newest ``limit``), newest
    first, with its steps."""
    applications = (
        Application.objects.filter(company__representatives=user)
        .select_related("cohort", "company")
        .order_by("-created_at", "-pk")
    )
    applications = list(applications[:limit] if limit else applications)
    later = {}
    for provider in _LATER:
        for pk, steps in provider(applications).items():
            later.setdefault(pk, []).extend(steps)
    result = []
    for application in applications:
        before, after = application_steps(application, user), later.get(application.pk, [])
        steps = before + after
        current = next((s for s in steps if s.status in (CURRENT, STOPPED)), None)
        result.append(
            {
                "application": application,
                "steps": steps,
                "rows": [row for row in (before, after) if row],
                "current": current,
            }
        )
    return result


def open_calls(user):
    """Cohorts whose call is open now, each with this user's application to it (or None)."""
    now = timezone.now()
    cohorts = list(
        Cohort.objects.filter(applications_open_at__lte=now, applications_close_at__gt=now)
        .select_related("programme")
        .order_by("applications_close_at", "pk")
    )
    mine = {
        application.cohort_id: application
        for application in Application.objects.filter(
            company__representatives=user, cohort__in=cohorts
        )
    }
    return [(cohort, mine.get(cohort.pk)) for cohort in cohorts]


@home.register
def home_panel(user):
    if not is_sme(user):
        return []
    context = {
        "open_calls": open_calls(user),
        "journeys": journeys(user, JOURNEYS_SHOWN),
        "applications_total": Application.objects.filter(company__representatives=user).count(),
    }
    return [home.Panel("cohorts/_home_journey.html", context, order=10)]
