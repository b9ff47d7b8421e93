"""A cohort's impact report as a PDF, rendered by a Celery task (the plan PDF's machinery)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def impact_path(instance, filename):
    return f"impact/{instance.cohort_id}/{uuid.uuid4().hex}.pdf"


class ImpactReport(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        READY = "ready", _("Ready")
        FAILED = "failed", pgettext_lazy("plan PDF", "Failed")

    cohort = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.CASCADE,
        related_name="impact_reports",
        verbose_name=_("cohort"),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=impact_path, max_length=200, blank=True)

    class Meta:
        verbose_name = _("impact report")
        verbose_name_plural = _("impact reports")
        ordering = ["cohort", "-requested_at", "-pk"]

    def __str__(self):
        day = timezone.localdate(self.requested_at)
        return f"{self.cohort} · {self.get_language_display()} · {day}"

    def filename(self):
        return f"impact-{self.cohort_id}-{self.language}-{self.pk}.pdf"
