"""The cohort stage's stateful models, one ``Machine`` each (see clinic/transitions.py)."""

from clinic.transitions import Machine

from .models import Application, Review, SelectionProposal
from .services import InvalidTransition

APPLICATION = Machine(Application, error=InvalidTransition, related=("cohort", "company"))
REVIEW = Machine(Review, error=InvalidTransition, related=("application__cohort",))
PROPOSAL = Machine(SelectionProposal, error=InvalidTransition, related=("cohort",))
