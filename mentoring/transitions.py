"""The mentoring stage's stateful models, one ``Machine`` each with its transition table (see
clinic/transitions.py). Services make these moves through ``Machine.move``; views and
permissions ask the tables which states allow what."""

from clinic.transitions import Machine, Move

from .models import ActionItem, Assessment, FollowUpReport, Participation, PlanVersion, Session

S = Participation.State
AS = Assessment.State
V = PlanVersion.State
F = FollowUpReport.State
SE = Session.Status
I = ActionItem.Status  # noqa: E741

ACTIVE = (S.CONFIRMED, S.AUDIT, S.MENTORING, S.ASSESSMENT, S.PLAN_REVIEW, S.COMPLETED, S.FOLLOW_UP)

# A participation's moves send no mail of their own: the new IP audit tells the company
# ("audit_started"), the assessment's moves tell the experts, each plan version's sign-off and
# each follow-up round's new report tell both sides, the sessions' cancellations the attendees.
PARTICIPATION = Machine(
    Participation,
    badges={"colours": {"secondary": (S.CLOSED, S.DROPPED_OUT)}, "default": "info"},
    moves=[
        Move("audit_opened", (S.CONFIRMED,), S.AUDIT),
        Move("audit_completed", (S.AUDIT,), S.MENTORING, "can_fill_audit"),
        Move("assessment_started", (S.MENTORING,), S.ASSESSMENT, "can_write_assessment"),
        Move(
            "assessment_submitted",
            (S.MENTORING, S.ASSESSMENT),
            S.PLAN_REVIEW,
            "can_write_assessment",
        ),
        Move("assessment_returned", (S.PLAN_REVIEW,), S.ASSESSMENT, "can_return_assessment"),
        Move("plan_signed_off", (S.PLAN_REVIEW,), S.COMPLETED, "can_sign_off"),
        Move("follow_up_opened", (S.COMPLETED,), S.FOLLOW_UP),
        Move("follow_up_completed", (S.COMPLETED, S.FOLLOW_UP), S.CLOSED, "can_report_follow_up"),
        Move("dropped_out", ACTIVE, S.DROPPED_OUT, "is_officer"),
    ],
)

# mail: services/assessment.py (@ASSESSMENT.mailer), services/sessions.py (@SESSION.mailer)
ASSESSMENT = Machine(
    Assessment,
    related=("participation",),
    badges={"colours": {"success": (AS.SUBMITTED,), "warning": (AS.RETURNED,)}},
    moves=[
        Move(
            "assessment_submitted",
            (AS.DRAFT, AS.RETURNED),
            AS.SUBMITTED,
            "can_write_assessment",
            ("assessment_submitted",),
        ),
        Move(
            "assessment_returned",
            (AS.SUBMITTED,),
            AS.RETURNED,
            "can_return_assessment",
            ("assessment_returned",),
        ),
    ],
)

PLAN_VERSION = Machine(
    PlanVersion,
    related=("participation",),
    badges={
        "colours": {"info": (V.RENDERING,), "success": (V.READY,), "danger": (V.FAILED,)},
        "icons": {
            V.QUEUED: "spinner",
            V.RENDERING: "spinner",
            V.READY: "bi-check2",
            V.FAILED: "bi-x-octagon",
        },
    },
    moves=[
        # rendering again: a dead worker's job taken over (its heartbeat stopped)
        Move("plan_render_started", (V.QUEUED, V.RENDERING), V.RENDERING),
        Move("plan_rendered", (V.RENDERING,), V.READY),
        Move("plan_failed", (V.QUEUED, V.RENDERING), V.FAILED),
        Move("plan_retry", (V.FAILED,), V.QUEUED, "can_generate_plan"),
        Move("plan_file_lost", (V.READY,), V.QUEUED),
    ],
)

FOLLOW_UP = Machine(
    FollowUpReport,
    related=("participation",),
    badges={"colours": {"warning": (F.OPEN,)}, "default": "light"},
    moves=[
        # the 12-month report's re-rating goes to the lead expert to confirm (other rounds: none)
        Move(
            "follow_up_submitted",
            (F.OPEN,),
            F.SUBMITTED,
            "can_report_follow_up",
            ("re_rating_submitted",),
        ),
        Move("re_rating_confirmed", (F.SUBMITTED,), F.CONFIRMED, "can_confirm_re_rating"),
    ],
)

SESSION = Machine(
    Session,
    state_field="status",
    related=("participation",),
    badges={"colours": {"success": (SE.HELD,), "primary": (SE.PLANNED,), "warning": (SE.NO_SHOW,)}},
    moves=[
        Move(
            "session_cancelled",
            (SE.PLANNED,),
            SE.CANCELLED,
            "can_cancel_session",
            ("session_cancelled",),
        ),
        Move("session_held", (SE.PLANNED, SE.NO_SHOW), SE.HELD, "can_edit_notes"),
        Move("session_no_show", (SE.PLANNED, SE.HELD), SE.NO_SHOW, "can_edit_notes"),
    ],
)

ACTION_ITEM = Machine(
    ActionItem,
    state_field="status",
    related=("assessment__participation",),
    badges={"colours": {"success": (I.DONE,), "info": (I.IN_PROGRESS,)}, "default": "light"},
    moves=[
        Move("action_started", (I.OPEN,), I.IN_PROGRESS, "can_report_follow_up"),
        Move("action_done", (I.OPEN, I.IN_PROGRESS, I.DROPPED), I.DONE, "can_report_follow_up"),
        Move("action_dropped", (I.OPEN, I.IN_PROGRESS, I.DONE), I.DROPPED, "can_report_follow_up"),
        Move("action_reopened", (I.IN_PROGRESS, I.DONE, I.DROPPED), I.OPEN, "can_report_follow_up"),
        Move("action_resumed", (I.DONE, I.DROPPED), I.IN_PROGRESS, "can_report_follow_up"),
    ],
)

# Asked of the tables instead of listed apart:
# dropped out and closed: no move leaves them
INACTIVE_STATES = PARTICIPATION.final_states()
# mentoring and assessment: the lead expert writes the assessment (reminders, My tasks, deadlines)
ASSESSING = PARTICIPATION.sources("assessment_submitted")
# completed and follow-up: follow-up reports are due
FOLLOWING_UP = PARTICIPATION.sources("follow_up_completed")
# queued and rendering: a version's PDF is still being made
RENDERING = PLAN_VERSION.sources("plan_failed")
# plan review, completed, follow-up: the plan is to be signed off or signed (versions can be made)
PLANNABLE_STATES = PARTICIPATION.sources(
    "plan_signed_off", "follow_up_opened", "follow_up_completed"
)
