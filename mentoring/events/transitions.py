"""The events app's stateful models, one ``Machine`` each (see clinic/transitions.py).

Event: draft -> published -> held | cancelled (published -> cancelled, draft -> cancelled).
Registration: registered | waitlisted -> attended | absent | cancelled; waitlisted -> registered
(a seat freed); attended <-> absent (an officer corrects the check-in list).
"""

from clinic.transitions import Machine, Refused

from .models import Event, Registration


class EventError(Refused):
    """A rule refuses the change; the message says why, in the user's language."""

    def __init__(self, message="", code="wrong_state"):
        super().__init__(code, message)


EVENT = Machine(Event, related=("programme",))  # cohort: nullable (no FOR UPDATE)
REGISTRATION = Machine(Registration, related=("event",))

E = Event.State
R = Registration.State
# to: states it may come from
EVENT_MOVES = {
    E.PUBLISHED: (E.DRAFT,),
    E.HELD: (E.PUBLISHED,),
    E.CANCELLED: (E.DRAFT, E.PUBLISHED),
}
REGISTRATION_MOVES = {
    R.REGISTERED: (R.WAITLISTED,),
    R.ATTENDED: (R.REGISTERED, R.ABSENT),
    R.ABSENT: (R.REGISTERED, R.ATTENDED),
    R.CANCELLED: (R.REGISTERED, R.WAITLISTED),
}
