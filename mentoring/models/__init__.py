"""Mentoring data: participation (its flow), experts and assignments, sessions and their notes.

Each capability keeps its models in its own module; import them from ``mentoring.models``.
Private expert notes live in their own table (``PrivateNote``) so that nothing that reads
sessions, shared notes or follow-ups for an SME ever loads them.
"""

from .experts import Assignment, ExpertProfile
from .impact import ImpactReport
from .participation import Participation, ParticipationProcess
from .plans import (
    ActionItem,
    Assessment,
    DimensionScore,
    FollowUpReport,
    Horizon,
    PlanVersion,
    Policy,
)
from .sessions import (
    FollowUp,
    NoteRevision,
    OfferedSlot,
    PrivateNote,
    Rating,
    Session,
    SessionNote,
)

__all__ = [
    "ImpactReport",
    "ActionItem",
    "Assessment",
    "DimensionScore",
    "FollowUpReport",
    "Horizon",
    "PlanVersion",
    "Policy",
    "Assignment",
    "ExpertProfile",
    "FollowUp",
    "NoteRevision",
    "OfferedSlot",
    "Participation",
    "ParticipationProcess",
    "PrivateNote",
    "Rating",
    "Session",
    "SessionNote",
]
