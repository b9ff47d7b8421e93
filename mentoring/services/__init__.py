"""Mentoring services: one function per transition (see each module)."""

from clinic.transitions import Refused


class MentoringError(Refused):
    """A rule refuses the change; the message says why, in the user's language."""

    def __init__(self, message="", code="wrong_state"):
        super().__init__(code, message)
