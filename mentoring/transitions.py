"""The mentoring stage's stateful models, one ``Machine`` each (see clinic/transitions.py)."""

from clinic.transitions import Machine

from .models import Assessment, FollowUpReport, Participation, PlanVersion, Session
from .services import MentoringError

PARTICIPATION = Machine(Participation, error=MentoringError)
ASSESSMENT = Machine(Assessment, error=MentoringError, related=("participation",))
PLAN_VERSION = Machine(PlanVersion, error=MentoringError, related=("participation",))
FOLLOW_UP = Machine(FollowUpReport, error=MentoringError, related=("participation",))
SESSION = Machine(Session, state_field="status", error=MentoringError, related=("participation",))
