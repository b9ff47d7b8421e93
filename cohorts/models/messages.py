"""A message an officer wrote once to chosen applicants or the participants of a cohort: sent as
one outbox message per recipient, in each recipient's language."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clinic.limits import TITLE_MAX, long_text

from .applications import Application
from .cohorts import localized


class BulkMessage(models.Model):
    class Audience(models.TextChoices):
        APPLICANTS = "applicants", _("Applicants in the chosen states")
        PARTICIPANTS = "participants", _("Participants (confirmed places)")

    cohort = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.CASCADE,
        related_name="bulk_messages",
        verbose_name=_("cohort"),
    )
    # The confirm form's token: a second click of the same confirmation finds it and sends nothing.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    audience = models.CharField(_("to"), max_length=20, choices=Audience.choices)
    states = models.JSONField(_("application states"), default=list, blank=True)
    subject = models.CharField(_("subject (English)"), max_length=TITLE_MAX, blank=True)
    subject_zh = models.CharField(_("subject (Chinese)"), max_length=TITLE_MAX, blank=True)
    body = long_text(_("message (English)"))
    body_zh = long_text(_("message (Chinese)"))
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message to applicants")
        verbose_name_plural = _("messages to applicants")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return self.localized_subject()

    def localized_subject(self, language=None):
        return localized(self.subject, self.subject_zh, language)

    def localized_body(self, language=None):
        return localized(self.body, self.body_zh, language)

    def audience_label(self):
        if self.audience == self.Audience.PARTICIPANTS:
            return self.get_audience_display()
        labels = dict(Application.State.choices)
        return ", ".join(str(labels.get(state, state)) for state in self.states)
