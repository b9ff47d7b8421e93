"""The matchmaking's stateful models, one ``Machine`` each (see clinic/transitions.py)."""

from clinic.transitions import Machine

from .models import Introduction, Need, PartnerOrganisation, Technology

TECHNOLOGY = Machine(Technology, related=("company",))
NEED = Machine(Need, related=("partner",))
PARTNER = Machine(PartnerOrganisation)
INTRODUCTION = Machine(Introduction, related=("technology__company", "partner"))
