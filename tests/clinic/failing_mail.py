from django.core.mail.backends.base import BaseEmailBackend


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down: every send raises, as an unreachable SMTP host does."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")
