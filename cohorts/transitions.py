"""The cohort stage's stateful models, one ``Machine`` each (see clinic/transitions.py)."""

from clinic.transitions import Machine

from .models import Application, Review, SelectionProposal

APPLICATION = Machine(Application, related=("cohort", "company"))
REVIEW = Machine(Review, related=("application__cohort",))
PROPOSAL = Machine(SelectionProposal, related=("cohort",))
