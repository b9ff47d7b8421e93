"""The matchmaking's stateful models, one ``Machine`` each with its transition table (see
clinic/transitions.py). ``who`` names the rule in ``permissions.py`` (called with the user and
the row); services make the moves through ``Machine.move``; pages read the labels."""

from django.utils.translation import gettext_lazy as _

from clinic.transitions import Machine, Move

from .models import Introduction, Need, PartnerOrganisation, Technology

T, N, P, S = Technology.State, Need.State, PartnerOrganisation.State, Introduction.State
LISTING_MAIL = ("matchmaking_listing",)
INTRODUCTION_MAIL = ("matchmaking_introduction",)

# one colour per kind of state across the matchmaking's badges
GO, WAIT, BACK, UNDER_WAY = "success", "warning", "danger", "info"
PILL = "rounded-pill text-nowrap align-self-start"
TECHNOLOGY = Machine(
    Technology,
    related=("company",),
    badges={
        "colours": {GO: (T.APPROVED,), WAIT: (T.SUBMITTED,), BACK: (T.RETURNED,)},
        "classes": PILL,
    },
    moves=[
        Move(
            "submit",
            (T.DRAFT, T.RETURNED),
            T.SUBMITTED,
            "owns_listing",
            LISTING_MAIL,
            _("Submit for approval"),
        ),
        Move("approve", (T.SUBMITTED,), T.APPROVED, "may_review", LISTING_MAIL, _("Approve")),
        Move("return", (T.SUBMITTED,), T.RETURNED, "may_review", LISTING_MAIL, _("Return")),
        Move(
            "withdraw",
            (T.SUBMITTED, T.APPROVED),
            T.WITHDRAWN,
            "owner_or_officer",
            LISTING_MAIL,
            _("Withdraw"),
        ),
    ],
)
NEED = Machine(
    Need,
    related=("partner",),
    badges={
        "colours": {
            GO: (N.OPEN,),
            WAIT: (N.SUBMITTED,),
            BACK: (N.RETURNED,),
            UNDER_WAY: (N.MATCHED,),
        },
        "classes": PILL,
    },
    moves=[
        Move(
            "submit",
            (N.DRAFT, N.RETURNED),
            N.SUBMITTED,
            "owns_listing",
            LISTING_MAIL,
            _("Submit for approval"),
        ),
        Move("approve", (N.SUBMITTED,), N.OPEN, "may_review", LISTING_MAIL, _("Approve")),
        Move("return", (N.SUBMITTED,), N.RETURNED, "may_review", LISTING_MAIL, _("Return")),
        Move(
            "close",
            (N.SUBMITTED, N.OPEN, N.MATCHED),
            N.CLOSED,
            "owner_or_officer",
            LISTING_MAIL,
            _("Close"),
        ),
        Move("matched", (N.OPEN,), N.MATCHED),  # an introduction of it accepted by both
    ],
)
PARTNER = Machine(
    PartnerOrganisation,
    badges={
        "colours": {GO: (P.APPROVED,), WAIT: (P.PENDING,), BACK: (P.REJECTED,)},
        "classes": PILL,
    },
    moves=[
        Move(
            "approved",
            (P.PENDING,),
            P.APPROVED,
            "can_manage_partners",
            ("matchmaking_partner",),
            _("Approve"),
        ),
        Move(
            "rejected",
            (P.PENDING,),
            P.REJECTED,
            "can_manage_partners",
            ("matchmaking_partner",),
            _("Reject"),
        ),
    ],
)
OPEN_INTRODUCTION = (S.PROPOSED, S.ACCEPTED, S.MEETING, S.MOU_SIGNED)
# the funnel: the introductions that reached each stage (closed ones count only as closed)
REACHED_STATES = {
    "accepted": (S.ACCEPTED, S.MEETING, S.MOU_SIGNED, S.DEPLOYED),
    "meeting": (S.MEETING, S.MOU_SIGNED, S.DEPLOYED),
    "mou_signed": (S.MOU_SIGNED, S.DEPLOYED),
    "deployed": (S.DEPLOYED,),
}
INTRODUCTION = Machine(
    Introduction,
    related=("technology__company", "partner"),
    badges={
        "colours": {
            GO: (S.DEPLOYED,),
            WAIT: (S.PROPOSED,),
            UNDER_WAY: (S.ACCEPTED, S.MEETING, S.MOU_SIGNED),
        },
        "classes": PILL,
    },
    moves=[
        Move("accepted", (S.PROPOSED,), S.ACCEPTED, "introduction_sides", INTRODUCTION_MAIL),
        Move(
            "meeting_held",
            (S.ACCEPTED,),
            S.MEETING,
            "can_record_outcome",
            INTRODUCTION_MAIL,
            _("The meeting was held"),
        ),
        Move(
            "mou_signed",
            (S.ACCEPTED, S.MEETING),
            S.MOU_SIGNED,
            "can_record_outcome",
            INTRODUCTION_MAIL,
            _("Record the MOU"),
        ),
        Move(
            "deployed",
            (S.MOU_SIGNED,),
            S.DEPLOYED,
            "can_record_outcome",
            INTRODUCTION_MAIL,
            _("Record the deployment"),
        ),
        Move(
            "closed",
            OPEN_INTRODUCTION,
            S.CLOSED,
            "may_close_introduction",
            INTRODUCTION_MAIL,
            _("Close"),
        ),
    ],
)
