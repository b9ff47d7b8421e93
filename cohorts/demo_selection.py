"""Demo data of selection and confirmation: a submitted proposal awaiting a lead, and the running
cohort selected, approved, published and confirmed through the services.
"""

from datetime import timedelta

from clinic.transitions import Refused

SELECTION_RULES = [
    ("size_class", "micro", 6, None),
    ("size_class", "medium", None, 5),
    ("green_area", "water", None, 2),
    ("green_area", "renewable_energy", None, 2),
]


RUNNING_RULES = [
    ("size_class", "micro", 5, None),
    ("size_class", "medium", None, 4),
    ("green_area", "renewable_energy", None, 3),
]


MEETING = "Agreed at the selection committee meeting."


def quota_rules(cohort, rules):
    from .models import QuotaRule

    for dimension, value, minimum, maximum in rules:
        QuotaRule.objects.get_or_create(
            cohort=cohort,
            dimension=dimension,
            value=value,
            defaults={"minimum": minimum, "maximum": maximum},
        )


def seed_selection_proposal(demo):
    """The selection cohort: quota rules and a proposal by ``officer`` awaiting the lead (one
    waitlist entry moved up, with its reason)."""
    from .models import Outcome, SelectionProposal
    from .services import proposals

    cohort, officer = demo["cohort_selection"], demo["users"]["officer"]
    quota_rules(cohort, SELECTION_RULES)
    if SelectionProposal.objects.filter(cohort=cohort).exists():
        return
    try:
        proposal = proposals.start_proposal(officer, cohort)
    except Refused as error:
        demo["log"](f"Selection proposal not started: {error}")
        return
    entries = list(proposal.entries.all())
    rows = {e.pk: (e.outcome, e.position, "") for e in entries}
    waitlist = sorted(
        (e for e in entries if e.outcome == Outcome.WAITLISTED), key=lambda e: e.position
    )
    if len(waitlist) >= 3:
        rows[waitlist[2].pk] = (
            Outcome.WAITLISTED,
            1,
            "Pilot customer in Shanghai already signed; ready to start at once.",
        )
    proposals.save_proposal(officer, proposal, proposal.version, rows, submit=True)
    demo["log"](f"Selection proposal for {cohort} awaiting the lead's approval (by officer)")


def seed_running_selection(demo, cohort, plan):
    """The running cohort's selection as it happened: proposed by officer2, approved by the
    lead, every selected SME confirmed on the terms version; timestamps moved to the weeks
    after the call closed and its messages marked as sent (demo data sends no mail)."""
    from clinic.models import OutboxMessage

    from .models import Application, SelectionProposal, TermsAcceptance
    from .services import confirmation, proposals, publishing

    users = demo["users"]
    quota_rules(cohort, RUNNING_RULES)
    if SelectionProposal.objects.filter(cohort=cohort).exists():
        return
    first_message = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    proposal = proposals.start_proposal(users["officer2"], cohort)
    rows = {}
    for entry in proposal.entries.all():
        outcome = plan.get(entry.application_id, "rejected")
        reason = "" if outcome == entry.suggested_outcome else MEETING
        rows[entry.pk] = (outcome, None, reason)
    proposal = proposals.save_proposal(
        users["officer2"], proposal, proposal.version, rows, submit=True
    )
    publishing.approve(users["lead"], proposal, "Balanced cohort; go ahead.")
    selected = Application.objects.filter(cohort=cohort, state=Application.State.SELECTED)
    for application in selected.select_related("company"):
        representative = application.company.representatives.order_by("pk").first()
        confirmation.confirm_place(representative, application, cohort.terms_version)
    decided = cohort.applications_close_at + timedelta(days=14)
    answered = decided + timedelta(days=3)
    SelectionProposal.objects.filter(pk=proposal.pk).update(
        saved_at=decided - timedelta(days=2),
        submitted_at=decided - timedelta(days=2),
        approved_at=decided,
        published_at=decided,
    )
    apps = Application.objects.filter(cohort=cohort, decided_at__isnull=False)
    apps.update(decided_at=decided, confirm_due_at=decided + timedelta(days=cohort.confirm_days))
    apps.filter(state=Application.State.CONFIRMED).update(answered_at=answered)
    TermsAcceptance.objects.filter(application__cohort=cohort).update(accepted_at=answered)
    sent = OutboxMessage.objects.filter(pk__gt=first_message)
    sent.filter(kind="selection_decision").update(
        status=OutboxMessage.Status.SENT, created_at=decided, sent_at=decided
    )
    sent.filter(kind="place_confirmed").update(
        status=OutboxMessage.Status.SENT, created_at=answered, sent_at=answered
    )
