"""The cohort stage's stateful models, one ``Machine`` each with its transition table (see
clinic/transitions.py). Services make these moves through ``Machine.move``; views and templates
read the allowed states and actions from here."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from clinic import roles
from clinic.services import outbox
from clinic.transitions import Machine, Move

from .models import Application, Review, SelectionProposal

A = Application.State
R = Review.State
P = SelectionProposal.State


def tell_representatives(application, kind, context=None, **_move):
    """Queue ``kind`` to each representative of the application's company."""
    for representative in application.company.representatives.all():
        outbox.queue_message(
            representative,
            kind,
            {"application": application, "cohort": application.cohort, **(context or {})},
            related=application,
        )


def tell_officers(review, kind, context=None, **_move):
    """Queue ``kind`` to every active officer and lead (a reviewer's conflict to replace)."""
    officers = get_user_model().objects.filter(groups__name__in=roles.STAFF_ROLES, is_active=True)
    for officer in officers.distinct().order_by("pk"):
        outbox.queue_message(
            officer,
            kind,
            {"application": review.application, "reviewer": review.reviewer, **(context or {})},
            related=review.application,
        )


def tell_proposer(proposal, kind, context=None, **_move):
    """Queue ``kind`` to the officer who submitted the proposal (the lead's return)."""
    if proposal.proposed_by is not None:
        outbox.queue_message(
            proposal.proposed_by,
            kind,
            {"proposal": proposal, "cohort": proposal.cohort, "comment": proposal.lead_comment},
            related=proposal,
        )


APPLICATION = Machine(
    Application,
    related=("cohort", "company"),
    notify=tell_representatives,
    badges={
        "colours": {
            "light": (A.DRAFT,),
            "warning": (A.NEEDS_INFO,),
            "secondary": (A.INELIGIBLE, A.WITHDRAWN, A.REJECTED, A.DECLINED, A.LAPSED),
            "success": (A.SELECTED, A.CONFIRMED),
        },
        "default": "primary",
    },
    moves=[
        Move(
            "submitted",
            (A.DRAFT, A.NEEDS_INFO),
            A.SUBMITTED,
            "represents",
            ("application_received",),
        ),
        Move(
            "confirmed_eligible",
            (A.SUBMITTED,),
            A.ELIGIBLE,
            "can_screen",
            done=_("The application is eligible."),
            stamp=("eligible_at", "screened_at"),
        ),
        Move(
            "marked_ineligible",
            (A.SUBMITTED,),
            A.INELIGIBLE,
            "can_screen",
            ("application_ineligible",),
            done=_("The application is marked not eligible."),
        ),
        Move(
            "information_requested",
            (A.SUBMITTED,),
            A.NEEDS_INFO,
            "can_screen",
            ("application_needs_info",),
            done=_("The applicant was asked for information."),
        ),
        Move(
            "withdrawn",
            (A.DRAFT, A.SUBMITTED, A.NEEDS_INFO, A.ELIGIBLE, A.UNDER_REVIEW, A.WAITLISTED),
            A.WITHDRAWN,
            "represents",
            ("application_withdrawn",),
            _("Withdraw the application"),
        ),
        Move("reopened", (A.WITHDRAWN,), A.DRAFT, "can_reopen"),
        Move("review_started", (A.ELIGIBLE,), A.UNDER_REVIEW, "can_manage_reviews"),
        Move(
            "selected",
            (A.ELIGIBLE, A.UNDER_REVIEW),
            A.SELECTED,
            "can_approve",
            ("selection_decision",),
            action="decision_published",
            stamp=("selected_at", "decided_at"),
        ),
        Move(
            "waitlisted",
            (A.ELIGIBLE, A.UNDER_REVIEW),
            A.WAITLISTED,
            "can_approve",
            ("selection_decision",),
            action="decision_published",
        ),
        Move(
            "rejected",
            (A.ELIGIBLE, A.UNDER_REVIEW),
            A.REJECTED,
            "can_approve",
            ("selection_decision",),
            action="decision_published",
        ),
        Move(
            "place_confirmed",
            (A.SELECTED,),
            A.CONFIRMED,
            "represents",
            ("place_confirmed",),
            stamp=("confirmed_at", "answered_at"),
        ),
        Move("place_declined", (A.SELECTED,), A.DECLINED, "represents", ("place_declined",)),
        Move("place_lapsed", (A.SELECTED,), A.LAPSED, sends=("place_lapsed",)),
        Move(  # selected at the offer (its decided_at is the waitlist decision's)
            "place_offered",
            (A.WAITLISTED,),
            A.SELECTED,
            sends=("place_offered",),
            stamp=("selected_at", ""),
        ),
        Move("waitlist_closed", (A.WAITLISTED,), A.REJECTED, sends=("waitlist_closed",)),
    ],
)

REVIEW = Machine(
    Review,
    related=("application__cohort", "application__company"),
    notify=tell_officers,
    badges={"colours": {"success": (R.SUBMITTED,), "danger": (R.CONFLICTED,)}, "default": "light"},
    moves=[
        # the reviewer's "review_assigned" is one digest per assignment run (the count of new
        # reviews), queued by services/reviews.py: it goes with no single move
        Move("reviewer_assigned", (R.REMOVED,), R.ASSIGNED, "can_manage_reviews"),
        Move("review_drafted", (R.ASSIGNED,), R.DRAFT, "reviews_for"),
        Move("review_submitted", (R.ASSIGNED, R.DRAFT), R.SUBMITTED, "reviews_for"),
        Move("review_abstained", (R.ASSIGNED, R.DRAFT), R.SUBMITTED, "reviews_for"),
        Move(
            "conflict_declared",
            (R.ASSIGNED, R.DRAFT, R.SUBMITTED),
            R.CONFLICTED,
            "reviews_for",
            ("reviewer_conflict",),
        ),
        Move("reviewer_unassigned", (R.ASSIGNED, R.DRAFT), R.REMOVED, "can_manage_reviews"),
    ],
)

PROPOSAL = Machine(
    SelectionProposal,
    related=("cohort",),
    notify=tell_proposer,
    badges={
        "colours": {"success": (P.APPROVED,), "primary": (P.SUBMITTED,), "warning": (P.RETURNED,)},
        "default": "light",
    },
    moves=[
        Move(
            "proposal_submitted",
            (P.DRAFT, P.RETURNED),
            P.SUBMITTED,
            "can_propose",
            label=_("Submit to the lead"),
            done=_("The proposal is with the programme lead."),
        ),
        Move(
            "proposal_approved",
            (P.SUBMITTED,),
            P.APPROVED,
            "can_approve",
            (),  # each application's decision move sends its "selection_decision"
            _("Approve and publish"),
            done=_("The selection is approved and every decision is published."),
        ),
        Move(
            "proposal_returned",
            (P.SUBMITTED,),
            P.RETURNED,
            "can_approve",
            ("selection_returned",),
            _("Return to the officers"),
            done=_("The proposal went back to the officers."),
        ),
    ],
)

# Asked of the tables instead of listed apart:
# eligible and under review: what the reviews, the ranking and the proposal work on
AWAITING_DECISION = APPLICATION.sources("selected", "waitlisted", "rejected")
# selected and confirmed: the applications that hold one of the cohort's places
HOLDING = (APPLICATION["selected"].target, APPLICATION["place_confirmed"].target)
