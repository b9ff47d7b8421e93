"""Programme events and everything attached to them.

An event belongs to a programme and, usually, to one of its cohorts (its time zone and reminder
lead time come from there). Texts staff write for people are stored in both languages (``title``
and ``title_zh``, …) and shown through ``localized`` like every bilingual name.
"""

from .demo_days import DemoSlot, IntroductionRequest
from .events import COMPANY_LIMIT, AgendaItem, Event, Material, Speaker, material_path
from .registrations import Feedback, Invitation, Registration, SpeakerScore

__all__ = [
    "COMPANY_LIMIT",
    "AgendaItem",
    "DemoSlot",
    "Event",
    "Feedback",
    "IntroductionRequest",
    "Invitation",
    "Material",
    "Registration",
    "Speaker",
    "SpeakerScore",
    "material_path",
]
