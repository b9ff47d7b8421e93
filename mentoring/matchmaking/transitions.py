"""The matchmaking's stateful models, one ``Machine`` each (see clinic/transitions.py)."""

from clinic.transitions import Machine

from .models import Introduction, Need, PartnerOrganisation, Technology
from .services import MatchmakingError

TECHNOLOGY = Machine(Technology, error=MatchmakingError, related=("company",))
NEED = Machine(Need, error=MatchmakingError, related=("partner",))
PARTNER = Machine(PartnerOrganisation, error=MatchmakingError)
INTRODUCTION = Machine(
    Introduction, error=MatchmakingError, related=("technology__company", "partner")
)
