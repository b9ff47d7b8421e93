"""The mentoring stage's stateful models, one ``Machine`` each (see clinic/transitions.py)."""

from clinic.transitions import Machine

from .models import Assessment, FollowUpReport, Participation, PlanVersion, Session

PARTICIPATION = Machine(
    Participation,
)
ASSESSMENT = Machine(Assessment, related=("participation",))
PLAN_VERSION = Machine(PlanVersion, related=("participation",))
FOLLOW_UP = Machine(FollowUpReport, related=("participation",))
SESSION = Machine(Session, state_field="status", related=("participation",))
