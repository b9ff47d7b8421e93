"""The IP strategy assessment, the action plan, its generated PDF versions and the follow-up
reports at 6 and 12 months.

Nothing here refers to ``PrivateNote``: everything in these tables may reach the SME (once the
programme lead has signed a plan version off).
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clinic.dimensions import MAX_MATURITY, Dimension, Maturity
from clinic.limits import long_text
from clinic.models.companies import CURRENCIES
from cohorts.models.cohorts import localized


class Policy(models.TextChoices):
    """WIPO's minimum IP strategy."""

    ACQUIRE = "acquire", _("Acquire")
    EXPLOIT = "exploit", _("Exploit")
    MONITOR = "monitor", _("Monitor")
    ENFORCE = "enforce", _("Enforce")


class Horizon(models.IntegerChoices):
    """Months from the assessment date within which an action is due."""

    NOW = 1, _("Now (within 1 month)")
    THREE = 3, _("Within 3 months")
    SIX = 6, _("Within 6 months")
    TWELVE = 12, _("Within 12 months")


class Assessment(models.Model):
    """The lead expert's IP strategy assessment of one participant (one per participation)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")

    participation = models.OneToOneField(
        "mentoring.Participation",
        on_delete=models.CASCADE,
        related_name="assessment",
        verbose_name=_("participant"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    assessed_on = models.DateField(_("assessment date"), default=timezone.localdate)
    executive_summary = long_text(_("executive summary"))
    strengths = long_text(_("strengths"))
    weaknesses = long_text(_("weaknesses"))
    opportunities = long_text(_("opportunities"))
    threats = long_text(_("threats"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    return_comment = long_text(_("comments from the programme officer"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("strategy assessment")
        verbose_name_plural = _("strategy assessments")

    def __str__(self):
        return _("Assessment of %(company)s") % {"company": self.participation.company}

    @property
    def is_editable(self):
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    @property
    def swot(self):
        return {
            "strengths": self.strengths,
            "weaknesses": self.weaknesses,
            "opportunities": self.opportunities,
            "threats": self.threats,
        }


class DimensionScore(models.Model):
    """The expert's maturity, target and rationale for one dimension (None: not scored)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    dimension = models.PositiveSmallIntegerField(_("dimension"), choices=Dimension.choices)
    maturity = models.PositiveSmallIntegerField(
        _("maturity"),
        choices=Maturity.choices,
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_MATURITY)],
    )
    target = models.PositiveSmallIntegerField(
        _("target level"),
        choices=Maturity.choices,
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_MATURITY)],
    )
    rationale = long_text(_("rationale"))

    class Meta:
        verbose_name = _("dimension score")
        verbose_name_plural = _("dimension scores")
        ordering = ["assessment", "dimension"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "dimension"], name="one_score_per_dimension"
            ),
            models.CheckConstraint(
                condition=models.Q(maturity__lte=MAX_MATURITY) | models.Q(maturity__isnull=True),
                name="maturity_at_most_4",
            ),
            models.CheckConstraint(
                condition=models.Q(target__lte=MAX_MATURITY) | models.Q(target__isnull=True),
                name="target_at_most_4",
            ),
        ]

    def __str__(self):
        return f"{self.dimension}: {self.maturity}"

    @property
    def gap(self):
        if self.maturity is None or self.target is None:
            return None
        return self.target - self.maturity


class ActionItem(models.Model):
    """One action of the SME's IP action plan (at most PER_PLAN_MAX in one plan)."""

    PER_PLAN_MAX = 100

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("status", "Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="actions", verbose_name=_("assessment")
    )
    dimension = models.PositiveSmallIntegerField(_("dimension"), choices=Dimension.choices)
    policy = models.CharField(_("policy"), max_length=10, choices=Policy.choices)
    title = models.CharField(_("title"), max_length=200)
    # The Chinese texts: plans in Chinese show them; each language falls back on the other
    # (suggested actions come with both, mentoring/services/action_plan.py).
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    horizon = models.PositiveSmallIntegerField(_("horizon"), choices=Horizon.choices)
    owner = models.CharField(_("owner at the company"), max_length=120)
    due_date = models.DateField(_("due date"))
    cost = models.DecimalField(
        _("estimated cost"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="CNY")
    kpi = models.CharField(_("KPI"), max_length=300, blank=True)
    kpi_zh = models.CharField(_("KPI (Chinese)"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["assessment", "horizon", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(cost__gte=0), name="action_cost_not_negative")
        ]

    def __str__(self):
        return self.localized_title()

    def localized_title(self, language=None):
        return localized(self.title, self.title_zh, language)

    def localized_description(self, language=None):
        return localized(self.description, self.description_zh, language)

    def localized_kpi(self, language=None):
        return localized(self.kpi, self.kpi_zh, language)


def plan_path(instance, filename):
    return f"plans/{instance.participation_id}/{uuid.uuid4().hex}.pdf"


class PlanVersion(models.Model):
    """One generated version of the action plan PDF (rendered by a Celery task).

    ``snapshot`` holds the plan as rendered, so signing off renders the same content again with
    the sign-off block filled (``signed_file``). Files are private: views check the scope.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", pgettext_lazy("plan PDF", "Failed")

    participation = models.ForeignKey(
        "mentoring.Participation",
        on_delete=models.CASCADE,
        related_name="plan_versions",
        verbose_name=_("participant"),
    )
    number = models.PositiveSmallIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    batch = models.UUIDField(_("batch"), null=True, blank=True, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Stamped every PLAN_HEARTBEAT_SECONDS while a worker renders: a stale one means it died.
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=plan_path, max_length=200, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    snapshot = models.JSONField(_("plan as rendered"), default=dict, blank=True)
    checked_at = models.DateTimeField(_("files checked at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    signed_file = models.FileField(
        _("signed file"), upload_to=plan_path, max_length=200, blank=True
    )
    signed_checksum = models.CharField(_("SHA-256 of the signed file"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("action plan version")
        verbose_name_plural = _("action plan versions")
        ordering = ["participation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "number"], name="plan_version_number_unique"
            )
        ]

    def __str__(self):
        return _("Action plan of %(company)s, version %(number)s") % {
            "company": self.participation.company,
            "number": self.number,
        }

    @property
    def is_signed(self):
        return self.signed_at is not None and bool(self.signed_file)

    @property
    def is_pending(self):
        return self.state in (self.State.QUEUED, self.State.RENDERING)

    @property
    def is_ready(self):
        """Its PDF is generated: it can be downloaded and signed off."""
        return self.state == self.State.READY

    def filename(self, signed=False):
        suffix = "-signed" if signed else ""
        return f"ip-action-plan-{self.participation_id}-v{self.number}{suffix}.pdf"


@receiver(post_delete, sender=PlanVersion, dispatch_uid="mentoring.plan_file_cleanup")
def remove_plan_files(sender, instance, **kwargs):
    """Stored PDFs go with their row."""
    for field in (instance.file, instance.signed_file):
        storage, name = field.storage, field.name
        if name:
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


class FollowUpReport(models.Model):
    """The SME's progress report 6 or 12 months after the cohort ends."""

    class Round(models.IntegerChoices):
        SIX = 6, _("6 months")
        TWELVE = 12, _("12 months")

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("status", "Open")
        SUBMITTED = "submitted", _("Submitted")
        CONFIRMED = "confirmed", _("Confirmed by the lead expert")

    DONE_STATES = (State.SUBMITTED, State.CONFIRMED)
    # What the SME reports besides its action items' progress (the form and the service).
    OUTCOME_FIELDS = (
        "filings",
        "registrations",
        "licences",
        "finance_raised",
        "finance_currency",
        "satisfaction",
        "comments",
    )

    participation = models.ForeignKey(
        "mentoring.Participation",
        on_delete=models.CASCADE,
        related_name="follow_up_reports",
        verbose_name=_("participant"),
    )
    round = models.PositiveSmallIntegerField(_("report"), choices=Round.choices)
    due_on = models.DateField(_("due"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True
    )
    # {action item id (text): {"status": ..., "note": ...}}: at most one entry per action item
    # (ActionItem.PER_PLAN_MAX), each note at most PROGRESS_NOTE_MAX characters
    PROGRESS_NOTE_MAX = 1000
    progress = models.JSONField(_("progress per action item"), default=dict, blank=True)
    filings = models.PositiveSmallIntegerField(_("IP filings"), default=0)
    registrations = models.PositiveSmallIntegerField(_("registrations and grants"), default=0)
    licences = models.PositiveSmallIntegerField(_("licences and partnerships"), default=0)
    finance_raised = models.DecimalField(
        _("finance raised"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    finance_currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCIES, default="CNY"
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction with the clinic"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comments = long_text(_("comments"))
    # The 12-month re-measurement of IP maturity: {dimension (text): level 0-4}, first the
    # SME's own re-rating, then the lead expert's confirmed (or adjusted) levels.
    self_levels = models.JSONField(_("the company's re-rating"), default=dict, blank=True)
    confirmed_levels = models.JSONField(_("confirmed maturity"), default=dict, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        ordering = ["participation", "round"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "round"], name="one_report_per_round")
        ]

    def __str__(self):
        return _("%(round)s follow-up of %(company)s") % {
            "round": self.get_round_display(),
            "company": self.participation.company,
        }
