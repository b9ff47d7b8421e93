"""Selection proposals, their entries, terms acceptance and the selection process."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from clinic.models.processes import ArtifactProcess

from .applications import Application
from .cohorts import Cohort


class SelectionProposal(models.Model):
    """The officer's decision list for a cohort (one per cohort); its entries start as the
    suggestion. ``version`` grows with every save (optimistic concurrency)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        SUBMITTED = "submitted", _("Awaiting approval")
        RETURNED = "returned", _("Returned to the officers")
        APPROVED = "approved", _("Approved and published")

    cohort = models.OneToOneField(
        Cohort, on_delete=models.PROTECT, related_name="proposal", verbose_name=_("cohort")
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    lead_comment = models.TextField(_("lead's comment"), blank=True)
    suggested_total = models.FloatField(_("suggested total score"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("selection proposal")
        verbose_name_plural = _("selection proposals")
        permissions = [
            ("propose_selection", _("Can propose a cohort selection")),
            ("approve_selection", _("Can approve a cohort selection")),
        ]

    def __str__(self):
        return _("Selection for %(cohort)s") % {"cohort": self.cohort}

    @property
    def summary(self):
        return str(self)


class Outcome(models.TextChoices):
    SELECTED = "selected", _("Selected")
    WAITLISTED = "waitlisted", _("Waitlisted")
    REJECTED = "rejected", _("Not selected")


class ProposalEntry(models.Model):
    """One eligible application's line: the suggestion (with its explanation in every language)
    and the officer's outcome, waitlist position and reason for deviating."""

    proposal = models.ForeignKey(
        SelectionProposal, on_delete=models.CASCADE, related_name="entries"
    )
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    plain_rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    suggested_outcome = models.CharField(_("suggested"), max_length=12, choices=Outcome.choices)
    suggested_position = models.PositiveSmallIntegerField(null=True, blank=True)
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    position = models.PositiveSmallIntegerField(_("waitlist position"), null=True, blank=True)
    reason = models.TextField(_("reason for the deviation"), blank=True)

    class Meta:
        verbose_name = _("proposal entry")
        verbose_name_plural = _("proposal entries")
        ordering = ["proposal", models.F("plain_rank").asc(nulls_last=True), "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "application"], name="proposal_entry_once")
        ]

    def __str__(self):
        return f"{self.application_id}: {self.outcome}"

    def explanation_in(self, language):
        texts = self.explanation or {}
        return texts.get(language) or texts.get("en") or ""


class TermsAcceptance(models.Model):
    """Who accepted which version of a cohort's programme terms, and when (kept as accepted)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="terms_acceptances"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    terms_version = models.CharField(_("terms version"), max_length=20)
    terms_text = models.TextField(_("terms as accepted"), blank=True)
    terms_text_zh = models.TextField(_("terms as accepted (Chinese)"), blank=True)
    accepted_at = models.DateTimeField(_("accepted"), default=timezone.now)

    class Meta:
        verbose_name = _("terms acceptance")
        verbose_name_plural = _("terms acceptances")
        ordering = ["-accepted_at"]
        constraints = [models.UniqueConstraint(fields=["application"], name="terms_accepted_once")]

    def __str__(self):
        return f"{self.application_id} · {self.terms_version} · {self.accepted_by}"


class SelectionProcess(ArtifactProcess, Process):
    """The viewflow process of one cohort's selection proposal (its artifact)."""

    artifact_model = SelectionProposal
    artifact_related = ("cohort",)

    class Meta:
        proxy = True
        verbose_name = _("selection process")
        verbose_name_plural = _("selection processes")

    @property
    def proposal(self):
        return self.load_artifact()
