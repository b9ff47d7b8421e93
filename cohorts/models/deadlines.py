"""Deadlines that have no automatic consequence: a reminder before them, an escalation after.

One row per item and deadline (a review, a session's notes, a plan to sign off ...), written by
the beat job in ``cohorts.escalation``. The row is the state: ``reminded_at`` and
``escalated_at`` are claimed once by a conditional UPDATE, so a second tick (or a second
worker at the same moment) finds nothing left to do. A moved deadline is a new row.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cohorts import Cohort


class Deadline(models.Model):
    class Overseer(models.TextChoices):
        OFFICERS = "officer", _("Programme officers")
        LEADS = "lead", _("Programme lead")

    kind = models.CharField(_("kind"), max_length=30)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    due_at = models.DateTimeField(_("due"), db_index=True)
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("cohort")
    )
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="deadlines", verbose_name=_("owners")
    )
    owner_label = models.CharField(_("owner"), max_length=200)
    overseer = models.CharField(
        _("overseer"), max_length=10, choices=Overseer.choices, default=Overseer.OFFICERS
    )
    summary = models.CharField(_("item"), max_length=300)
    url = models.CharField(_("link"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_type", "object_id", "due_at"],
                name="deadline_once_per_item_and_due",
            )
        ]
        indexes = [models.Index(fields=["resolved_at", "due_at"])]

    def __str__(self):
        return f"{self.summary} ({timezone.localdate(self.due_at)})"
