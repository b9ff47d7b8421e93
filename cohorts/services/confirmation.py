"""Confirmation of places and the waitlist: confirm, decline, lapse, backfill, close.

A selected SME confirms within the cohort's days (accepting the programme terms version in
force) or declines. A decline, a missed deadline or a drop-out before the cohort starts offers
the place to the highest-ranked waitlisted SME whose entry keeps every quota rule satisfied (the
first on the waitlist when none does, and the officer is told); it gets its own deadline and
this repeats until the cohort is full or the waitlist is empty. Waitlisted applications still
waiting when the cohort starts close as not selected. Timed changes run from periodic jobs with
the system as actor.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic import roles
from clinic.services import audit, outbox
from clinic.transitions import Refused

from .. import permissions, selection
from ..models import Application, SelectionProposal, TermsAcceptance
from ..signals import place_confirmed
from ..transitions import APPLICATION, HOLDING, tell_representatives
from .quotas import rules_for

State = Application.State


def started(cohort, today=None):
    return (today or timezone.localdate()) >= cohort.start_date


@transaction.atomic
def confirm_place(actor, application, terms_version, at=None):
    """The SME confirms its place, accepting the cohort's programme terms.

    Checks: representative; state selected; the deadline has not passed; ``terms_version`` is
    the version in force (the terms changed while the page was open otherwise).
    Side-effects: state -> confirmed; who accepted which terms version when (with the text);
    audit record; receipt to the representatives; ``place_confirmed`` sent (mentoring starts
    the participation). Confirming a confirmed place again changes nothing.
    """
    at = at or timezone.now()
    application = APPLICATION.lock(application)
    if not permissions.represents(actor, application.company):
        raise Refused("not_permitted")
    if not APPLICATION.applies(
        application,
        "place_confirmed",
        message=_("This place is not waiting for a confirmation."),
    ):
        return application  # confirmed already (a double click): nothing again
    if application.confirm_due_at and at > application.confirm_due_at:
        raise Refused("wrong_state", _("The deadline to confirm this place has passed."))
    cohort = application.cohort
    if terms_version != cohort.terms_version:
        raise Refused(
            "stale",
            _("The programme terms changed while you were reading them: read version %(v)s.")
            % {"v": cohort.terms_version},
        )
    TermsAcceptance.objects.create(
        application=application,
        accepted_by=actor,
        terms_version=cohort.terms_version,
        terms_text=cohort.terms_text,
        terms_text_zh=cohort.terms_text_zh,
        accepted_at=at,
    )
    application.answered_at = at
    APPLICATION.move(
        application,
        "place_confirmed",
        actor=actor,
        reason=_("terms version %(v)s accepted") % {"v": cohort.terms_version},
        fields=["answered_at"],
    )
    place_confirmed.send(sender=Application, application=application, actor=actor)
    return application


@transaction.atomic
def decline_place(actor, application, reason=""):
    """The SME declines its place.

    Checks: representative; state selected. Side-effects: state -> declined with the reason;
    audit record; receipt to the representatives; the place offered to the waitlist
    (``backfill``). Declining a declined place again changes nothing.
    """
    application = APPLICATION.lock(application)
    if not permissions.represents(actor, application.company):
        raise Refused("not_permitted")
    if not APPLICATION.applies(
        application,
        "place_declined",
        message=_("This place is not waiting for an answer."),
    ):
        return application  # declined already: nothing again
    application.answered_at = timezone.now()
    application.decline_reason = reason.strip()
    APPLICATION.move(
        application,
        "place_declined",
        actor=actor,
        reason=application.decline_reason,
        fields=["answered_at", "decline_reason"],
    )
    backfill(application.cohort, actor)
    return application


def lapse_overdue(now=None):
    """Selected places whose confirmation deadline passed lapse (the system is the actor).

    Side-effects per application: state -> lapsed; audit record; message to the
    representatives; the place offered to the waitlist. Returns the number lapsed.
    """
    now = now or timezone.now()
    count = 0
    overdue = Application.objects.filter(state=State.SELECTED, confirm_due_at__lt=now)
    for application_id in overdue.order_by("confirm_due_at", "pk").values_list("pk", flat=True):
        with transaction.atomic():
            application = APPLICATION.lock(Application(pk=application_id))
            if application.state != State.SELECTED or application.confirm_due_at >= now:
                continue
            APPLICATION.move(
                application,
                "place_lapsed",
                reason=_("The place was not confirmed in time."),
            )
            backfill(application.cohort, None, now=now)
            count += 1
    return count


def remind_confirmations(now=None):
    """Remind selected SMEs the cohort's reminder lead time before their deadline (once).

    Side-effects: one message per representative; confirm_reminded_at set. Returns the count.
    """
    now = now or timezone.now()
    count = 0
    due = Application.objects.filter(
        state=State.SELECTED, confirm_reminded_at__isnull=True, confirm_due_at__gt=now
    ).select_related("cohort", "company")
    for application in due:
        if application.confirm_due_at - timedelta(days=application.cohort.reminder_lead_days) > now:
            continue
        with transaction.atomic():
            claimed = Application.objects.filter(
                pk=application.pk, state=State.SELECTED, confirm_reminded_at__isnull=True
            ).update(confirm_reminded_at=now)
            if not claimed:
                continue  # another run reminded it meanwhile
            tell_representatives(application, "place_reminder")
        count += 1
    return count


def close_waitlists(today=None):
    """Waitlisted applications of cohorts that have started close as not selected (system).

    Side-effects per application: state -> rejected; audit record; message to the
    representatives. Returns the number closed.
    """
    today = today or timezone.localdate()
    count = 0
    waiting = Application.objects.filter(state=State.WAITLISTED, cohort__start_date__lte=today)
    for application_id in waiting.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            application = APPLICATION.lock(Application(pk=application_id))
            if application.state != State.WAITLISTED:
                continue
            application.waitlist_position = None
            APPLICATION.move(
                application,
                "waitlist_closed",
                reason=_("The cohort started; the waitlist is closed."),
                fields=["waitlist_position"],
            )
            count += 1
    return count


@transaction.atomic
def place_released(actor, application, reason=""):
    """A confirmed participant dropped out (mentoring calls this): before the cohort starts,
    the freed place goes to the waitlist; afterwards nothing changes here.

    Side-effects before the start: released_at set; audit record; ``backfill``. Returns the
    applications offered a place.
    """
    application = APPLICATION.lock(application)
    if application.state != State.CONFIRMED or application.released_at is not None:
        return []
    if started(application.cohort):
        return []
    application.released_at = timezone.now()
    application.save(update_fields=["released_at", "updated_at"])
    audit.record(application, "place_released", actor=actor, reason=reason)
    return backfill(application.cohort, actor)


def holding_places(cohort):
    return Application.objects.filter(
        cohort=cohort, state__in=HOLDING, released_at__isnull=True
    ).select_related("company")


def backfill(cohort, actor=None, now=None):
    """Offer free places to the waitlist until the cohort is full or the waitlist is empty.

    Each offer goes to the first waitlisted application (by position) whose entry keeps every
    quota rule satisfied; when none does, to the first one, and the officers are told. Nothing
    happens once the cohort has started.
    Side-effects per offer: state waitlisted -> selected with its own deadline; audit record
    (actor, or the system); message to the representatives; a notice to the officer when the
    quotas could not be kept or the waitlist ran empty. Returns the applications offered a place.
    """
    now = now or timezone.now()
    if started(cohort, timezone.localdate(now)):
        return []
    offered = []
    rules = rules_for(cohort)
    while True:
        holding = list(holding_places(cohort).select_for_update())
        if len(holding) >= cohort.capacity:
            return offered
        waitlist = list(
            Application.objects.select_for_update()
            .filter(cohort=cohort, state=State.WAITLISTED)
            .select_related("company", "cohort")
            .order_by("waitlist_position", "pk")
        )
        if not waitlist:
            _tell_officers(cohort, empty=True)
            return offered
        by_id = {application.pk: application for application in waitlist}
        candidate, keeps = selection.pick_backfill(
            [a.quota_attributes for a in holding],
            [
                selection.Candidate(a.pk, 0.0, 0.0, a.submitted_at or now, a.quota_attributes)
                for a in waitlist
            ],
            rules,
        )
        application = by_id[candidate.id]
        application.waitlist_position = None
        application.confirm_due_at = now + timedelta(days=cohort.confirm_days)
        application.confirm_reminded_at = None
        APPLICATION.move(
            application,
            "place_offered",
            actor=actor,
            reason=""
            if keeps
            else _("No waitlisted company keeps every quota rule; the first one was offered."),
            fields=["waitlist_position", "confirm_due_at", "confirm_reminded_at"],
        )
        if not keeps:
            _tell_officers(cohort, application=application)
        offered.append(application)


def officers_to_tell(cohort):
    """The officer who proposed the selection, or every active officer when unknown."""
    proposal = SelectionProposal.objects.filter(cohort=cohort).select_related("proposed_by").first()
    if proposal is not None and proposal.proposed_by is not None:
        return [proposal.proposed_by]
    return list(
        get_user_model().objects.filter(groups__name=roles.OFFICER, is_active=True).distinct()
    )


def _tell_officers(cohort, *, empty=False, application=None):
    for officer in officers_to_tell(cohort):
        outbox.queue_message(
            officer,
            "backfill_notice",
            {"cohort": cohort, "application": application, "empty": empty},
            related=cohort,
        )
