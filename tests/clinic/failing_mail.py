from django.core.mail.backends.base import BaseEmailBackend


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down: every send raises, as an unreachable SMTP host does."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")


class RowReadingBackend(BaseEmailBackend):
    """A mail server that notes, as each mail goes out, what the outbox row says in the database
    at that moment (the sending transaction's view)."""

    seen = []

    def send_messages(self, email_messages):
        from clinic.models import OutboxMessage

        for email in email_messages:
            row = OutboxMessage.objects.get(subject=email.subject, to_email=email.to[0])
            self.seen.append((row.status, row.attempts))
        return len(email_messages)
