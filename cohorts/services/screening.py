"""An officer screens a submitted application: eligible, ineligible, or needs information.

The same decision made again (a double click, two officers at once) changes nothing.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.services import outbox
from clinic.transitions import Refused

from .. import permissions
from ..models import Application
from ..transitions import APPLICATION
from . import flow_events
from .applications import withdraw_locked

State = Application.State


def _check(actor, application, name):
    """Officer, and the locked application still submitted: ``False`` when it already is in
    the target of the move ``name`` (the same decision again: a repeat that changes nothing)."""
    if not permissions.can_screen(actor):
        raise Refused("not_permitted")
    return APPLICATION.applies(
        application,
        name,
        message=_("Only a submitted application can be screened."),
    )


def _decide(application, actor, name, reason, fields=(), context=None):
    application.screening_reason = reason
    application.screened_by = actor
    application.screened_at = timezone.now()
    APPLICATION.move(
        application,
        name,
        actor=actor,
        reason=reason,
        fields=["screening_reason", "screened_by", "screened_at", *fields],
        context=context,
    )


@transaction.atomic
def confirm_eligible(actor, application, reason=""):
    """Confirm the application eligible.

    Checks: officer; state submitted; a reason when any eligibility rule failed (an override).
    Side-effects: state -> eligible; override flag; audit record; the flow's screening task done
    (when not run from it) so the application waits for reviews.
    """
    application = APPLICATION.lock(application)
    if not _check(actor, application, "confirmed_eligible"):
        return application
    failed = application.eligibility_checks.filter(passed=False).exists()
    if failed and not reason.strip():
        raise Refused(
            "invalid", _("Some eligibility rules failed: give a reason to override them.")
        )
    application.eligibility_overridden = failed
    _decide(
        application,
        actor,
        "confirmed_eligible",
        reason.strip(),
        ["eligibility_overridden"],
    )
    flow_events().screening_done(application, actor)
    return application


@transaction.atomic
def mark_ineligible(actor, application, reason):
    """Mark the application ineligible.

    Checks: officer; state submitted; a reason (it is shown to the SME).
    Side-effects: state -> ineligible; audit record; message with the reason to the
    representatives; the flow's screening task done and the flow ended.
    """
    application = APPLICATION.lock(application)
    if not _check(actor, application, "marked_ineligible"):
        return application
    if not reason.strip():
        raise Refused("invalid", _("Give the reason the applicant will see."))
    _decide(
        application, actor, "marked_ineligible", reason.strip(), context={"reason": reason.strip()}
    )
    flow_events().screening_done(application, actor)
    return application


@transaction.atomic
def request_information(actor, application, message, due_at=None):
    """Send the application back to the SME for more information.

    Checks: officer; state submitted; a message; a deadline in the future (default: the cohort's
    info_days from now).
    Side-effects: state -> needs_info; request and deadline stored; audit record; message to the
    representatives; the flow waits for the resubmission.
    """
    application = APPLICATION.lock(application)
    if not _check(actor, application, "information_requested"):
        return application
    if not message.strip():
        raise Refused("invalid", _("Say which information is missing."))
    now = timezone.now()
    due_at = due_at or now + timedelta(days=application.cohort.info_days)
    if due_at <= now:
        raise Refused("invalid", _("The deadline must be in the future."))
    application.info_request = message.strip()
    application.info_due_at = due_at
    application.info_reminded_at = None
    _decide(
        application,
        actor,
        "information_requested",
        message.strip(),
        ["info_request", "info_due_at", "info_reminded_at"],
        context={"message": message.strip()},
    )
    flow_events().screening_done(application, actor)
    return application


def withdraw_overdue(now=None):
    """Withdraw applications whose needs-information deadline passed (the system is the actor).

    Side-effects per application: as ``applications.withdraw``. Returns the number withdrawn.
    """
    now = now or timezone.now()
    count = 0
    overdue = Application.objects.filter(state=State.NEEDS_INFO, info_due_at__lt=now)
    for application_id in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            application = APPLICATION.lock(Application(pk=application_id))
            if application.state != State.NEEDS_INFO:
                continue
            withdraw_locked(
                application, None, _("The requested information was not received in time.")
            )
            count += 1
    return count


def remind_information_requests(now=None):
    """Remind representatives of an open information request the cohort's reminder lead time
    before its deadline (once per request).

    Side-effects: one message per representative; info_reminded_at set. Returns the count of
    applications reminded.
    """
    now = now or timezone.now()
    count = 0
    due = Application.objects.filter(
        state=State.NEEDS_INFO, info_reminded_at__isnull=True, info_due_at__gt=now
    ).select_related("cohort", "company")
    for application in due:
        lead = timedelta(days=application.cohort.reminder_lead_days)
        if application.info_due_at - lead > now:
            continue
        with transaction.atomic():
            claimed = Application.objects.filter(
                pk=application.pk, state=State.NEEDS_INFO, info_reminded_at__isnull=True
            ).update(info_reminded_at=now)
            if not claimed:
                continue  # another run reminded it meanwhile
            for representative in application.company.representatives.all():
                outbox.queue_message(
                    representative,
                    "application_info_reminder",
                    {"application": application, "cohort": application.cohort},
                    related=application,
                )
        count += 1
    return count


def clean_applications(cohort):
    """The cohort's submitted applications whose every eligibility rule passed."""
    from ..models import EligibilityCheck

    failed = EligibilityCheck.objects.filter(passed=False).values("application_id")
    return (
        cohort.applications.filter(state=State.SUBMITTED, eligibility_checks__isnull=False)
        .exclude(pk__in=failed)
        .distinct()
    )


@transaction.atomic
def confirm_all_clean(actor, cohort):
    """Confirm eligible, at once, every submitted application of ``cohort`` that passed every
    eligibility rule (no override needed). Checks: officer. Runs once at a time per cohort (the
    cohort row is locked); a second run finds nothing left. Side-effects: for each, what
    ``confirm_eligible`` does (state, audit record, flow). Returns how many were confirmed.
    """
    from clinic import versioning

    if not permissions.can_screen(actor):
        raise Refused("not_permitted")
    versioning.lock(cohort)
    confirmed = 0
    for application in clean_applications(cohort).order_by("last_submitted_at", "pk"):
        before = application.state
        if confirm_eligible(actor, application).state != before:
            confirmed += 1
    return confirmed
