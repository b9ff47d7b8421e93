"""The events app's periodic jobs (registered with clinic.jobs where they are defined):
reminders at the cohort's lead time and seating waitlists."""

from .services import registrations  # noqa: F401 - send_reminders, seat_waitlists
