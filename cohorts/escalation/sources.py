"""Deadlines of the application stage: reviews (per reviewer and cohort) and the lead's
approval of a submitted selection."""

from collections import defaultdict
from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clinic import roles

from ..models import Review, SelectionProposal
from ..transitions import AWAITING_DECISION
from . import Due, Overseer, holders, register


@register("reviews", _("Reviews"), remind=False)  # cohorts.jobs.remind_reviewers reminds
def open_reviews(now):
    """One item per reviewer and cohort with open reviews, due at the cohort's review deadline."""
    groups = defaultdict(list)
    for review in Review.objects.filter(
        state__in=Review.OPEN_STATES,
        application__state__in=AWAITING_DECISION,
        application__cohort__review_deadline__isnull=False,
    ).select_related("reviewer", "application__cohort"):
        groups[(review.application.cohort, review.reviewer)].append(review)
    return [
        Due(
            subject=cohort,
            key=f"{cohort.pk}:{reviewer.pk}",
            due_at=cohort.review_deadline,
            cohort_id=cohort.pk,
            owners=(reviewer,),
            owner_label=reviewer.get_full_name() or reviewer.get_username(),
            summary=f"{cohort.name} ({len(reviews)})",
            url=reverse("cohorts:reviews"),
        )
        for (cohort, reviewer), reviews in groups.items()
    ]


@register("approval", _("Selection approval"))
def submitted_proposals(now):
    """A submitted selection waits for a lead (a pool task): due ``approval_days`` after it was
    submitted; the leads are its owners and its overseers."""
    proposals = SelectionProposal.objects.filter(
        state=SelectionProposal.State.SUBMITTED, submitted_at__isnull=False
    ).select_related("cohort")
    leads = tuple(holders(roles.LEAD))
    return [
        Due(
            subject=proposal,
            key=str(proposal.pk),
            due_at=proposal.submitted_at + timedelta(days=proposal.cohort.approval_days),
            cohort_id=proposal.cohort_id,
            owners=leads,
            owner_label="",  # pool work: shown as the unclaimed lead task
            summary=proposal.cohort.name,
            url=reverse("cohorts:proposal", args=[proposal.cohort_id]),
            overseer=Overseer.LEADS,
        )
        for proposal in proposals
    ]
