"""Periodic jobs of the application stage, run by Celery beat through clinic.jobs."""

from clinic import jobs

from .services import reviews, screening


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
