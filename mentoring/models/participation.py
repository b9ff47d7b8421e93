from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from clinic.models.processes import ArtifactProcess


class Participation(models.Model):
    """One confirmed SME taking part in one cohort; its participation flow follows the stages."""

    class State(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        AUDIT = "audit", _("IP audit")
        MENTORING = "mentoring", _("Mentoring")
        ASSESSMENT = "assessment", _("Assessment")
        PLAN_REVIEW = "plan_review", _("Plan review")
        COMPLETED = "completed", _("Completed")
        FOLLOW_UP = "follow_up", _("Follow-up")
        CLOSED = "closed", _("Closed")
        DROPPED_OUT = "dropped_out", _("Dropped out")

    application = models.OneToOneField(
        "cohorts.Application",
        on_delete=models.PROTECT,
        related_name="participation",
        verbose_name=_("application"),
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("cohort"),
    )
    company = models.ForeignKey(
        "clinic.Company",
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("company"),
    )
    audit = models.ForeignKey(
        "clinic.IPAudit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("IP audit"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.CONFIRMED, db_index=True
    )
    dropped_reason = models.TextField(_("reason for dropping out"), blank=True)
    created_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["cohort", "company__legal_name"]

    def __str__(self):
        return f"{self.company} · {self.cohort}"

    @property
    def summary(self):
        return str(self)


class ParticipationProcess(ArtifactProcess, Process):
    """The viewflow process of one participation; its artifact is the Participation (read once
    per process object)."""

    artifact_model = Participation
    artifact_related = ("company", "cohort")
    cache_artifact = True

    class Meta:
        proxy = True
        verbose_name = _("participation process")
        verbose_name_plural = _("participation processes")

    @property
    def participation(self):
        return self.load_artifact()
