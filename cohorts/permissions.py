"""Who may see and do what with applications, reviews and selection proposals: the one place for
these questions."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from clinic.models import AuditLog
from clinic.permissions import is_officer, is_reviewer, is_sme

from .models import Application, Conflict, Review


def represents(user, company):
    return company.representatives.filter(pk=user.pk).exists()


def visible_applications(user):
    """Officers see all; representatives their company's; reviewers the ones assigned to them
    that they have not declared a conflict with."""
    if not user.is_authenticated:
        return Application.objects.none()
    if is_officer(user):
        return Application.objects.all()
    condition = Q(pk__in=[])
    if is_sme(user):
        condition |= Q(company__representatives=user)
    if is_reviewer(user):
        condition |= Q(
            pk__in=Review.objects.filter(reviewer=user, state__in=Review.ACTIVE_STATES).values(
                "application_id"
            )
        )
    return Application.objects.filter(condition).distinct()


def own_applications(user):
    """Applications of the companies ``user`` represents."""
    return Application.objects.filter(company__representatives=user)


def reopen_refusal(user, application):
    """Why ``user`` may not bring ``application`` back to draft ("" when they may): only a
    representative, only a withdrawn application, only while its call is open."""
    if not represents(user, application.company):
        return _("Only the company's representatives can reopen its application.")
    if application.state != Application.State.WITHDRAWN:
        return _("Only a withdrawn application can return to draft.")
    if not application.cohort.is_open():
        return _("The call for applications is closed: a withdrawn application stays withdrawn.")
    return ""


def can_reopen(user, application):
    return not reopen_refusal(user, application)


def reviews_for(user):
    """The reviews ``user`` may open: their own, assigned or done, never conflicted ones."""
    if not is_reviewer(user):
        return Review.objects.none()
    return Review.objects.filter(reviewer=user, state__in=Review.ACTIVE_STATES)


def can_manage_cohorts(user):
    """Programmes and cohorts are managed by officers."""
    return is_officer(user)


def can_screen(user):
    return is_officer(user)


def can_send_bulk_messages(user):
    """Messages to a cohort's applicants or participants are written and sent by officers."""
    return is_officer(user)


def can_manage_reviews(user):
    return is_officer(user)


def may_see_other_scores(user, review):
    """Other reviewers' scores show only after the reviewer submitted (or never, per cohort)."""
    from .models import Cohort

    cohort = review.application.cohort
    if cohort.hide_scores == Cohort.HideScores.ALWAYS:
        return False
    return review.state == Review.State.SUBMITTED


def conflicted_reviewer_ids(company):
    """Users who may never review ``company``: its representatives and declared conflicts."""
    ids = set(company.representatives.values_list("pk", flat=True))
    ids.update(Conflict.objects.filter(company=company).values_list("reviewer_id", flat=True))
    return ids


def is_conflicted(user, company):
    return user.pk in conflicted_reviewer_ids(company)


def conflict_exists(reviewer_field="reviewer_id", company_field="application__company_id"):
    """An Exists() expression: the row's reviewer declared a conflict with the row's company."""
    return Exists(
        Conflict.objects.filter(reviewer_id=OuterRef(reviewer_field)).filter(
            company_id=OuterRef(company_field)
        )
    )


def can_see_selection(user):
    """Officers see a cohort's selection: its quota rules, the proposal and the roster."""
    return is_officer(user)


def can_propose(user):
    return user.is_authenticated and user.has_perm("cohorts.propose_selection")


AUTHOR_ACTIONS = ("proposal_started", "proposal_saved", "proposal_submitted", "proposal_reset")


def authors(proposal):
    """Everyone who started, edited or submitted the proposal: its proposers (four-eyes)."""
    recorded = AuditLog.objects.for_object(proposal).filter(action__in=AUTHOR_ACTIONS)
    ids = set(recorded.exclude(actor=None).values_list("actor_id", flat=True))
    return ids | {proposal.started_by_id, proposal.proposed_by_id} - {None}


def approval_refusal(user, proposal):
    """Why ``user`` may not approve or return ``proposal`` ("" when they may): only leads decide,
    never someone who took part in proposing the selection (four-eyes)."""
    if not (user.is_authenticated and user.has_perm("cohorts.approve_selection")):
        return _("Only a programme lead approves a selection.")
    if user.pk in authors(proposal):
        return _("You took part in proposing this selection: another lead must decide on it.")
    return ""


def authored_proposals(user):
    """The proposals ``user`` took part in proposing, as a queryset: ``authors`` asked the other
    way round, for lists (My tasks never offers these to them for approval)."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from .models import SelectionProposal

    recorded = AuditLog.objects.filter(
        object_type=SelectionProposal._meta.label_lower, actor=user, action__in=AUTHOR_ACTIONS
    ).values("object_id")
    return SelectionProposal.objects.annotate(key=Cast("pk", CharField())).filter(
        Q(started_by=user) | Q(proposed_by=user) | Q(key__in=recorded)
    )


def can_approve(user, proposal):
    """The four-eyes rule, asked by the approve node (offer, claim, execute), the proposal page
    and the services (``publishing.approve`` / ``return_proposal``)."""
    return not approval_refusal(user, proposal)
