"""Mentoring services: one function per transition (see each module)."""


class MentoringError(Exception):
    """A rule refuses the change; the message says why, in the user's language."""
