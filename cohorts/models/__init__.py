from .applications import (
    PITCH_DECK_MAX_BYTES,
    SDG_CHOICES,
    Application,
    ApplicationProcess,
    DevelopmentStage,
    EligibilityCheck,
    EligibilityRule,
    pitch_deck_path,
    validate_pitch_deck,
)
from .cohorts import (
    COHORT_STAGES,
    TIME_ZONES,
    Cohort,
    Programme,
    QuotaDimension,
    QuotaRule,
    default_languages,
)
from .deadlines import Deadline
from .reviews import Conflict, RankingVersion, Review, RubricCriterion, Score
from .selection import (
    Outcome,
    ProposalEntry,
    SelectionProcess,
    SelectionProposal,
    TermsAcceptance,
)

__all__ = [
    "COHORT_STAGES",
    "PITCH_DECK_MAX_BYTES",
    "SDG_CHOICES",
    "TIME_ZONES",
    "Application",
    "ApplicationProcess",
    "Cohort",
    "Conflict",
    "Deadline",
    "DevelopmentStage",
    "EligibilityCheck",
    "EligibilityRule",
    "Outcome",
    "Programme",
    "ProposalEntry",
    "QuotaDimension",
    "QuotaRule",
    "RankingVersion",
    "Review",
    "RubricCriterion",
    "Score",
    "SelectionProcess",
    "SelectionProposal",
    "TermsAcceptance",
    "default_languages",
    "pitch_deck_path",
    "validate_pitch_deck",
]
