"""Signals later stages listen to (dependencies point one way: mentoring -> cohorts -> clinic)."""

from django.dispatch import Signal

# Sent when a selected SME confirms its place; kwargs: application, actor.
place_confirmed = Signal()
