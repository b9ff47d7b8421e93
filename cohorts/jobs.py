"""Periodic jobs of the application stage (deadlines, reminders), registered with clinic.jobs and
run every 15 minutes by Celery beat (``clinic.tasks.run_periodic_jobs``)."""

from clinic import jobs

from .services import confirmation, reviews, screening


@jobs.register
def withdraw_overdue_applications():
    """Applications whose needs-information deadline passed are withdrawn (system actor)."""
    return screening.withdraw_overdue()


@jobs.register
def remind_reviewers():
    """Reviewers with open reviews hear from us the cohort's lead time before the deadline."""
    return reviews.send_review_reminders()


@jobs.register
def remind_information_requests():
    """SMEs with an open information request hear from us before its deadline."""
    return screening.remind_information_requests()


@jobs.register
def remind_confirmations():
    """Selected SMEs hear from us the cohort's lead time before their confirmation deadline."""
    return confirmation.remind_confirmations()


@jobs.register
def lapse_overdue_confirmations():
    """Places not confirmed in time lapse and go to the waitlist (system actor)."""
    return confirmation.lapse_overdue()


@jobs.register
def close_waitlists():
    """Waitlisted applications still waiting when their cohort starts close as not selected."""
    return confirmation.close_waitlists()
