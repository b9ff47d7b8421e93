"""Signals of the shared core that later stages listen to."""

from django.dispatch import Signal

# Sent after an SME submits its IP audit (first time or after a return); kwargs: audit, actor.
audit_submitted = Signal()
