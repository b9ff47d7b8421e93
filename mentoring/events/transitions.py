"""The events app's stateful models, one ``Machine`` each (see clinic/transitions.py).

Event: draft -> published -> held | cancelled (published -> cancelled, draft -> cancelled).
Registration: registered | waitlisted -> attended | absent | cancelled; waitlisted -> registered
(a seat freed); attended <-> absent (an officer corrects the check-in list).
"""

from clinic.transitions import Machine, Move

from .models import Event, Registration

E = Event.State
R = Registration.State

EVENT = Machine(
    Event,
    related=("programme",),  # cohort: nullable (no FOR UPDATE)
    badges={
        "colours": {"light": (E.DRAFT,), "primary": (E.PUBLISHED,), "success": (E.HELD,)},
    },
    moves=[
        Move("event_published", (E.DRAFT,), E.PUBLISHED, "can_manage_events"),
        Move("event_held", (E.PUBLISHED,), E.HELD, "can_manage_events", ("event_feedback",)),
        Move(
            "event_cancelled",
            (E.DRAFT, E.PUBLISHED),
            E.CANCELLED,
            "can_manage_events",
            ("event_cancelled",),
        ),
    ],
)
# draft and published: the event still changes (details, programme, invitations)
CHANGEABLE = EVENT.sources("event_cancelled")
# one move per target; the services name the audit record after the door (check-in, import)
REGISTRATION = Machine(
    Registration,
    related=("event",),
    badges={
        "colours": {
            "primary": (R.REGISTERED,),
            "warning": (R.WAITLISTED,),
            "success": (R.ATTENDED,),
        },
        "default": "light",
    },
    moves=[
        Move("registered", (R.WAITLISTED,), R.REGISTERED, sends=("event_promoted",)),
        Move("attended", (R.REGISTERED, R.ABSENT), R.ATTENDED, "can_manage_events"),
        Move("absent", (R.REGISTERED, R.ATTENDED), R.ABSENT, "can_manage_events"),
        Move(
            "cancelled",
            (R.REGISTERED, R.WAITLISTED),
            R.CANCELLED,
            "can_cancel_registration",
            ("registration_cancelled",),
        ),
    ],
)
# registered and waitlisted: the registration is open (cancellable, told of the event's changes)
OPEN_REGISTRATION = REGISTRATION.sources("cancelled")
