"""Programme events: kick-off, IP strategy training, webinars, demo days, matchmaking, closing.

Its own Django app (label ``events``) inside ``mentoring``: events of a cohort or a programme,
invitations (companies and guests), registrations with a waitlist, attendance, feedback and
demo-day slots. It registers with the core only through ``clinic.todos`` and ``clinic.jobs``.
"""
