"""An SME's application: draft, submit (with the eligibility rules), withdraw.

Every function checks who may act and the state, writes, records the audit log (from -> to) and
queues the notifications its docstring names.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clinic import limits
from clinic.formatting import money
from clinic.models.companies import (
    ELIGIBLE_SIZE_CLASSES,
    GreenArea,
    default_rate_to_eur,
    size_class_for,
)
from clinic.services import audit
from clinic.transitions import Refused

from .. import permissions
from ..models import Application, EligibilityCheck, EligibilityRule, region_key
from ..transitions import APPLICATION, REVIEW
from . import flow_events, summaries

State = Application.State

# Fields an application needs before it can be submitted, with the message shown next to each.
REQUIRED_ON_SUBMIT = {
    "tech_title": gettext_lazy("Give your technology a title."),
    "tech_description": gettext_lazy("Describe your technology."),
    "tech_area": gettext_lazy("Choose the technology area."),
    "development_stage": gettext_lazy("Choose the development stage."),
    "green_impact": gettext_lazy("Describe the green impact."),
    "sdg_goals": gettext_lazy("Choose at least one SDG goal."),
    "patents_granted": gettext_lazy("Enter a number (0 if none)."),
    "patents_pending": gettext_lazy("Enter a number (0 if none)."),
    "utility_models": gettext_lazy("Enter a number (0 if none)."),
    "trademarks": gettext_lazy("Enter a number (0 if none)."),
    "designs": gettext_lazy("Enter a number (0 if none)."),
    "software_copyrights": gettext_lazy("Enter a number (0 if none)."),
    "ip_challenges": gettext_lazy("Describe your IP challenges."),
    "motivation": gettext_lazy("Tell us why you want to join."),
    "commitment": gettext_lazy("Tick the commitment to attend."),
    "pitch_deck": gettext_lazy("Upload your pitch deck (PDF)."),
}


# What the SME edits in a draft (save_draft writes no other field).
DRAFT_FIELDS = (*REQUIRED_ON_SUBMIT, "trade_secrets")


@transaction.atomic
def create_draft(actor, cohort, company):
    """Start an application of ``company`` to ``cohort``.

    Checks: actor represents the company; one application per company and cohort.
    Side-effects: draft row; audit record.
    """
    if not permissions.represents(actor, company):
        raise Refused("not_permitted")
    if cohort.stage not in ("upcoming", "open"):
        raise Refused("wrong_state", _("This call for applications is closed."))
    if Application.objects.filter(cohort=cohort, company=company).exists():
        raise Refused("wrong_state", _("This company has already applied to this cohort."))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                cohort=cohort, company=company, created_by=actor
            )
    except IntegrityError as error:
        raise Refused(
            "wrong_state", _("This company has already applied to this cohort.")
        ) from error
    audit.record(application, "created", actor=actor, to_state=State.DRAFT)
    return application


def check_can_edit(actor, application):
    if not permissions.represents(actor, application.company):
        raise Refused("not_permitted")
    if not application.editable:
        raise Refused("wrong_state", _("This application can no longer be changed."))


@transaction.atomic
def save_draft(actor, application, changed_fields=None):
    """Save the SME's changes (any completeness). Checks, on the locked row: representative;
    draft or needs info (a draft saved after its submission is refused, never reopened).

    ``application`` carries the new values; only ``changed_fields`` (default: every draft
    field) are written, so a stale form never overwrites the state or anyone else's fields.
    Side-effects: those fields saved (no audit record: drafts change often, submission is
    recorded); a replaced pitch deck file is deleted after commit.
    """
    stored = APPLICATION.lock(application)
    check_can_edit(actor, stored)
    application.state = stored.state
    fields = [f for f in DRAFT_FIELDS if changed_fields is None or f in changed_fields]
    if not fields:
        return application
    limits.enforce(application, fields)
    application.save(update_fields=[*fields, "updated_at"])
    previous = stored.pitch_deck.name
    if previous and previous != application.pitch_deck.name:
        storage = application.pitch_deck.storage
        transaction.on_commit(lambda: storage.delete(previous))
    return application


def missing_fields(application):
    """Field name -> message for everything a submission still needs."""
    errors = {}
    for field, message in REQUIRED_ON_SUBMIT.items():
        value = getattr(application, field)
        if field in ("commitment", "pitch_deck", "sdg_goals"):
            missing = not value
        else:
            missing = value is None or value == ""
        if missing:
            errors[field] = message
    return errors


@transaction.atomic
def submit(actor, application, at=None):
    """Submit (or, after a needs-information request, resubmit) an application.

    Checks: representative with a verified email; state draft or needs_info; the call window is
    open (a resubmission only needs its information deadline not passed); every field complete and
    within its limits.
    Side-effects: state -> submitted; submitted_at (first submission) and last_submitted_at;
    size class and every eligibility rule result stored; audit record; receipt to every
    representative; the application flow started (first submission) or its wait for
    information completed (resubmission) so the screening task is offered to officers.
    Submitting a submitted application again (a double click) changes nothing.
    """
    at = at or timezone.now()
    application = APPLICATION.lock(application)
    if not permissions.represents(actor, application.company):
        raise Refused("not_permitted")
    if not APPLICATION.applies(
        application,
        "submitted",
        message=_("This application has already been submitted."),
    ):
        return application  # a repeated submit: the first one did everything
    if actor.email_verified_at is None:
        raise Refused(
            "wrong_state",
            _("Verify your email address first: your draft is kept and can be submitted then."),
        )
    cohort = application.cohort
    if application.state == State.DRAFT:
        call = cohort.call_state(at)
        if call == "upcoming":
            raise Refused("wrong_state", _("The call for applications is not open yet."))
        if call == "closed":
            raise Refused(
                "wrong_state",
                _("The call for applications closed; your draft is kept but cannot be submitted."),
            )
    elif application.info_due_at and at > application.info_due_at:
        raise Refused("wrong_state", _("The deadline for the requested information has passed."))
    errors = missing_fields(application)
    if errors:
        raise ValidationError(errors)
    limits.enforce(application, DRAFT_FIELDS)
    from_state = application.state
    application.submitted_at = application.submitted_at or at
    application.last_submitted_at = at
    run_eligibility(application)
    APPLICATION.move(
        application,
        "submitted",
        actor=actor,
        fields=["submitted_at", "last_submitted_at", "size_class"],
        context={"resubmitted": from_state != State.DRAFT},
    )
    if from_state == State.DRAFT:
        flow_events().start_application_flow(application)
    else:
        flow_events().information_received(application)
    return application


def rate_to_eur(company, cohort):
    """The cohort's rate when the turnover is in the cohort's currency, else the default."""
    if company.turnover_currency == cohort.currency:
        return cohort.rate_to_eur
    return default_rate_to_eur(company.turnover_currency)


def company_size_class(company, cohort):
    """The company's size class with its turnover converted at the cohort's rate."""
    return size_class_for(company.employees, company.annual_turnover, rate_to_eur(company, cohort))


def eligibility_results(application):
    """Rule -> (passed, detail) for the DOMAIN.md eligibility rules."""
    cohort, company = application.cohort, application.company
    size_class = company_size_class(company, cohort)
    location_ok = company.country == cohort.country and (
        not cohort.region_list
        or region_key(company.region) in cohort.region_list
        or company.city.strip().lower() in cohort.region_list
    )
    # Details are stored language-neutral (codes and numbers); pages label them.
    turnover_eur = company.annual_turnover * rate_to_eur(company, cohort)
    return {
        EligibilityRule.SIZE: (
            size_class in ELIGIBLE_SIZE_CLASSES,
            f"{company.employees} · {money(company.annual_turnover, company.turnover_currency)}"
            f" ≈ {money(turnover_eur, 'EUR')}",
        ),
        EligibilityRule.LOCATION: (location_ok, f"{company.country.code} · {company.region}"),
        EligibilityRule.GREEN_AREA: (application.tech_area in GreenArea.values, ""),
        EligibilityRule.COMMITMENT: (bool(application.commitment), ""),
    }


def run_eligibility(application):
    """Store every rule's result for the application. Side-effects: rows replaced; size class."""
    application.size_class = company_size_class(application.company, application.cohort)
    results = eligibility_results(application)
    for rule, (passed, detail) in results.items():
        EligibilityCheck.objects.update_or_create(
            application=application, rule=rule, defaults={"passed": passed, "detail": detail[:300]}
        )
    return results


@transaction.atomic
def withdraw(actor, application, reason=""):
    """The SME withdraws its application.

    Checks: representative; state before a decision (or waitlisted).
    Side-effects: state -> withdrawn; open reviews closed; audit record; the application flow
    cancelled; confirmation to the representatives. Withdrawing again changes nothing.
    """
    application = APPLICATION.lock(application)
    if not permissions.represents(actor, application.company):
        raise Refused("not_permitted")
    return withdraw_locked(application, actor, reason)


def withdraw_locked(application, actor, reason):
    """Withdraw the locked ``application``; a repeat (already withdrawn) changes nothing."""

    from_state = application.state
    if not APPLICATION.move(
        application,
        "withdrawn",
        actor=actor,
        reason=reason,
        message=_("This application can no longer be withdrawn."),
        # a draft was never received: nothing to tell
        context={"by_system": actor is None} if from_state != State.DRAFT else False,
    ):
        return application
    for review in application.reviews.filter(state__in=REVIEW.sources("reviewer_unassigned")):
        REVIEW.move(review, "reviewer_unassigned", actor=actor, reason=_("Withdrawn"))
    summaries.renew(application)
    if from_state != State.DRAFT:
        flow_events().application_closed(application)
    return application


@transaction.atomic
def reopen(actor, application):
    """Bring a withdrawn application back to draft while its call is open.

    Checks: representative; withdrawn; the call window open now (``permissions.can_reopen``).
    Side-effects: state -> draft; submission times cleared (a new submission counts from when it
    is made); audit record ``reopened`` (the withdrawal stays in the history). The row stays the
    company's one application to the cohort. Reopening a draft again changes nothing.
    """
    application = APPLICATION.lock(application)
    if not permissions.represents(actor, application.company):
        raise Refused("not_permitted")
    if application.state == State.DRAFT:
        return application  # a repeated click: the first one reopened it
    reason = permissions.reopen_refusal(actor, application)
    if reason:
        raise Refused("wrong_state", reason)
    application.submitted_at = application.last_submitted_at = None
    APPLICATION.move(
        application,
        "reopened",
        actor=actor,
        fields=["submitted_at", "last_submitted_at"],
    )
    return application
