"""Applications, eligibility checks and the application process."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from clinic import sdgs
from clinic.limits import TITLE_MAX, ip_count, long_text
from clinic.models.companies import GreenArea, SizeClass
from clinic.models.processes import ArtifactProcess

from .cohorts import Cohort, quota_attributes


def validate_pitch_deck(file):
    """A pitch deck is a PDF (checked from its first bytes) of at most PITCH_DECK_MAX_BYTES."""
    if file.size > PITCH_DECK_MAX_BYTES:
        raise ValidationError(
            _("The pitch deck is larger than %(limit)s MB."),
            code="too_large",
            params={"limit": PITCH_DECK_MAX_BYTES // (1024 * 1024)},
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(5)
    file.seek(position)
    if head != b"%PDF-":
        raise ValidationError(_("The pitch deck must be a PDF file."), code="not_pdf")


PITCH_DECK_MAX_BYTES = 10 * 1024 * 1024


def pitch_deck_path(instance, filename):
    import uuid

    return f"applications/{instance.cohort_id}/{uuid.uuid4().hex}.pdf"


class DevelopmentStage(models.TextChoices):
    IDEA = "idea", _("Idea")
    PROOF_OF_CONCEPT = "proof_of_concept", _("Proof of concept")
    PROTOTYPE = "prototype", _("Prototype")
    PILOT = "pilot", _("Pilot")
    MARKET = "market", _("On the market")


SDG_CHOICES = sdgs.choices()


class Application(models.Model):
    """One company's bid for one cohort; its state follows DOMAIN.md's journey."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        NEEDS_INFO = "needs_info", _("Needs information")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        INELIGIBLE = "ineligible", _("Not eligible")
        ELIGIBLE = "eligible", _("Eligible")
        UNDER_REVIEW = "under_review", _("Under review")
        SELECTED = "selected", _("Selected")
        WAITLISTED = "waitlisted", _("Waitlisted")
        REJECTED = "rejected", _("Not selected")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        LAPSED = "lapsed", _("Lapsed")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="applications", verbose_name=_("cohort")
    )
    company = models.ForeignKey(
        "clinic.Company",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("company"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    tech_title = models.CharField(_("technology title"), max_length=TITLE_MAX, blank=True)
    tech_description = long_text(_("technology description"))
    tech_area = models.CharField(
        _("technology area"), max_length=32, choices=GreenArea.choices, blank=True
    )
    development_stage = models.CharField(
        _("development stage"), max_length=20, choices=DevelopmentStage.choices, blank=True
    )
    green_impact = long_text(_("green impact"))
    sdg_goals = models.JSONField(_("SDG goals"), default=list, blank=True)
    patents_granted = ip_count(_("patents granted"))
    patents_pending = ip_count(_("patents pending"))
    utility_models = ip_count(_("utility models"))
    trademarks = ip_count(_("trademarks"))
    designs = ip_count(_("designs"))
    software_copyrights = ip_count(_("software copyrights"))
    trade_secrets = models.BooleanField(_("trade secrets kept"), default=False)
    ip_challenges = long_text(_("IP challenges"))
    motivation = long_text(_("motivation"))
    commitment = models.BooleanField(
        _("we commit to attend the kick-off and the mentoring sessions"), default=False
    )
    pitch_deck = models.FileField(
        _("pitch deck (PDF, at most 10 MB)"),
        upload_to=pitch_deck_path,
        blank=True,
        validators=[validate_pitch_deck],
    )
    size_class = models.CharField(
        _("size class"), max_length=10, choices=SizeClass.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, db_index=True)
    last_submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True)
    info_request = models.TextField(_("information requested"), blank=True)
    info_due_at = models.DateTimeField(_("information due"), null=True, blank=True)
    info_reminded_at = models.DateTimeField(_("reminded of the request"), null=True, blank=True)
    screening_reason = models.TextField(_("screening reason"), blank=True)
    eligibility_overridden = models.BooleanField(_("eligibility overridden"), default=False)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screened by"),
    )
    screened_at = models.DateTimeField(_("screened"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decision published"), null=True, blank=True)
    waitlist_position = models.PositiveSmallIntegerField(
        _("waitlist position"), null=True, blank=True
    )
    confirm_due_at = models.DateTimeField(_("confirm by"), null=True, blank=True)
    confirm_reminded_at = models.DateTimeField(_("reminded to confirm"), null=True, blank=True)
    answered_at = models.DateTimeField(_("place confirmed or declined"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    released_at = models.DateTimeField(_("place freed (dropped out)"), null=True, blank=True)
    # The first time the application reached each stage of the dashboard's funnel (applied is
    # ``submitted_at``), copied from the move that reached it, never overwritten by a later one
    # (cohorts/services/stage_times.py).
    eligible_at = models.DateTimeField(_("first confirmed eligible"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("minimum of reviews reached"), null=True, blank=True)
    selected_at = models.DateTimeField(_("first selected"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("place confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        # A cohort's applications by state: the screening queue and its counts, the ranking;
        # the stage times with them: the dashboard's funnel reads only this index (its counts
        # and medians scan it instead of the wide rows).
        indexes = [
            models.Index(fields=["cohort", "state"], name="application_cohort_state"),
            models.Index(
                fields=[
                    "cohort",
                    "state",
                    "submitted_at",
                    "eligible_at",
                    "reviewed_at",
                    "selected_at",
                    "confirmed_at",
                ],
                name="application_stage_times",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "company"],
                name="application_unique_per_cohort_company",
                violation_error_message=_("This company has already applied to this cohort."),
            )
        ]
        permissions = [("screen_application", _("Can screen applications"))]

    def __str__(self):
        return f"{self.company} – {self.cohort}"

    @property
    def quota_attributes(self):
        return quota_attributes(self.tech_area, self.size_class, self.company.region)

    @property
    def summary(self):
        return f"{self.company.legal_name} · {self.cohort}"

    @property
    def editable(self):
        return self.state in (self.State.DRAFT, self.State.NEEDS_INFO)

    @property
    def sdg_display(self):
        return ", ".join(sdgs.label(goal) for goal in sorted(self.sdg_goals or []))


class EligibilityRule(models.TextChoices):
    SIZE = "size", _("SME size class is micro, small or medium")
    LOCATION = "location", _("Registered in the cohort's country and region")
    GREEN_AREA = "green_area", _("Technology in a green technology area")
    COMMITMENT = "commitment", _("Commitment to attend ticked")


class EligibilityCheck(models.Model):
    """The result of one eligibility rule for one application, from its latest submission."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="eligibility_checks"
    )
    rule = models.CharField(_("rule"), max_length=20, choices=EligibilityRule.choices)
    passed = models.BooleanField(_("passed"))
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("checked"), auto_now=True)

    class Meta:
        verbose_name = _("eligibility check")
        verbose_name_plural = _("eligibility checks")
        ordering = ["application", "rule"]
        constraints = [
            models.UniqueConstraint(fields=["application", "rule"], name="eligibility_rule_once")
        ]

    def __str__(self):
        return f"{self.get_rule_display()}: {'✓' if self.passed else '✗'}"


class ApplicationProcess(ArtifactProcess, Process):
    """The viewflow process of one application; its artifact is the Application."""

    artifact_model = Application
    artifact_related = ("company", "cohort")

    class Meta:
        proxy = True
        verbose_name = _("application process")
        verbose_name_plural = _("application processes")

    @property
    def application(self):
        """The application, read fresh each time: flow gateways decide on its current state."""
        return self.load_artifact()
