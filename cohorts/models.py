from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from viewflow.workflow.models import Process

from clinic.models.companies import CURRENCIES, GreenArea, SizeClass


def default_languages():
    return [code for code, _name in settings.LANGUAGES]


TIME_ZONES = [(tz, tz) for tz in ("Asia/Shanghai", "Asia/Hong_Kong", "Europe/Zurich", "UTC")]


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("Chinese name"), max_length=200, blank=True)
    organiser = models.CharField(_("organiser"), max_length=200)
    partners = models.CharField(_("partners"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def localized_name(self, language):
        return self.name_zh if language.startswith("zh") and self.name_zh else self.name


class Cohort(models.Model):
    class HideScores(models.TextChoices):
        UNTIL_OWN_REVIEW = "until_own_review", _("Until the reviewer's own review is submitted")
        ALWAYS = "always", _("Always")

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("Chinese name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    country = CountryField(_("country"), default="CN")
    regions = models.CharField(
        _("eligible regions"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated regions; leave empty to accept the whole country."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=20, validators=[MinValueValidator(1)]
    )
    applications_open_at = models.DateTimeField(_("applications open"))
    applications_close_at = models.DateTimeField(_("applications close"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    time_zone = models.CharField(
        _("time zone"), max_length=50, choices=TIME_ZONES, default="Asia/Shanghai"
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="CNY")
    rate_to_eur = models.DecimalField(
        _("rate to EUR"),
        max_digits=12,
        decimal_places=6,
        default=Decimal("0.128"),
        validators=[MinValueValidator(Decimal("0.000001"))],
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=3, validators=[MinValueValidator(1)]
    )
    min_reviews = models.PositiveSmallIntegerField(
        _("minimum submitted reviews"), default=2, validators=[MinValueValidator(1)]
    )
    review_deadline = models.DateTimeField(_("review deadline"), null=True, blank=True)
    hide_scores = models.CharField(
        _("hide other reviewers' scores"),
        max_length=20,
        choices=HideScores.choices,
        default=HideScores.UNTIL_OWN_REVIEW,
    )
    share_feedback = models.BooleanField(_("share review feedback with applicants"), default=False)
    info_days = models.PositiveSmallIntegerField(
        _("days to answer a needs-information request"),
        default=7,
        validators=[MinValueValidator(1)],
    )
    confirm_days = models.PositiveSmallIntegerField(
        _("days to confirm a place"), default=7, validators=[MinValueValidator(1)]
    )
    reminder_lead_days = models.PositiveSmallIntegerField(_("reminder lead time (days)"), default=2)
    waitlist_length = models.PositiveSmallIntegerField(_("waitlist length"), default=10)
    target_sessions = models.PositiveSmallIntegerField(
        _("target sessions per SME"), default=4, validators=[MinValueValidator(1)]
    )
    terms_version = models.CharField(_("programme terms version"), max_length=20, default="1.0")
    terms_text = models.TextField(_("programme terms"), blank=True)
    languages = models.JSONField(_("languages"), default=default_languages)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-start_date", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if (
            self.applications_open_at
            and self.applications_close_at
            and self.applications_close_at <= self.applications_open_at
        ):
            errors["applications_close_at"] = _("The call must close after it opens.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The cohort must end after it starts.")
        if (
            self.applications_close_at
            and self.start_date
            and self.applications_close_at.date() > self.start_date
        ):
            errors["start_date"] = _("The cohort cannot start before the call closes.")
        if (self.min_reviews or 0) > (self.reviewers_per_application or 0):
            errors["min_reviews"] = _(
                "The minimum number of reviews cannot exceed the reviewers per application."
            )
        if errors:
            raise ValidationError(errors)

    def localized_name(self, language):
        return self.name_zh if language.startswith("zh") and self.name_zh else self.name

    @property
    def region_list(self):
        return [region.strip().lower() for region in self.regions.split(",") if region.strip()]

    def is_open(self, at=None):
        at = at or timezone.now()
        return self.applications_open_at <= at < self.applications_close_at

    @property
    def stage(self):
        now = timezone.now()
        if now < self.applications_open_at:
            return "upcoming"
        if now < self.applications_close_at:
            return "open"
        if now.date() < self.start_date:
            return "selection"
        if now.date() <= self.end_date:
            return "running"
        return "finished"

    def get_stage_display(self):
        return dict(COHORT_STAGES)[self.stage]


COHORT_STAGES = [
    ("upcoming", _("Call not yet open")),
    ("open", _("Open for applications")),
    ("selection", _("Screening and selection")),
    ("running", _("Running")),
    ("finished", _("Finished")),
]


# --- Applications, eligibility, rubric and reviews (issue 3) -----------------------------------


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


SDG_CHOICES = [(number, str(number)) for number in range(1, 18)]


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
    tech_title = models.CharField(_("technology title"), max_length=200, blank=True)
    tech_description = models.TextField(_("technology description"), blank=True)
    tech_area = models.CharField(
        _("technology area"), max_length=32, choices=GreenArea.choices, blank=True
    )
    development_stage = models.CharField(
        _("development stage"), max_length=20, choices=DevelopmentStage.choices, blank=True
    )
    green_impact = models.TextField(_("green impact"), blank=True)
    sdg_goals = models.JSONField(_("SDG goals"), default=list, blank=True)
    patents_granted = models.PositiveIntegerField(_("patents granted"), null=True, blank=True)
    patents_pending = models.PositiveIntegerField(_("patents pending"), null=True, blank=True)
    utility_models = models.PositiveIntegerField(_("utility models"), null=True, blank=True)
    trademarks = models.PositiveIntegerField(_("trademarks"), null=True, blank=True)
    designs = models.PositiveIntegerField(_("designs"), null=True, blank=True)
    software_copyrights = models.PositiveIntegerField(
        _("software copyrights"), null=True, blank=True
    )
    trade_secrets = models.BooleanField(_("trade secrets kept"), default=False)
    ip_challenges = models.TextField(_("IP challenges"), blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
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
    def summary(self):
        return f"{self.company.legal_name} · {self.cohort.name}"

    @property
    def editable(self):
        return self.state in (self.State.DRAFT, self.State.NEEDS_INFO)

    @property
    def sdg_display(self):
        return ", ".join(str(goal) for goal in sorted(self.sdg_goals or []))


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


class RubricCriterion(models.Model):
    """One criterion of a cohort's rubric: a weight and a written anchor for each score 1-5."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    name_zh = models.CharField(_("Chinese name"), max_length=120, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    anchor_1 = models.CharField(_("anchor for 1"), max_length=300)
    anchor_2 = models.CharField(_("anchor for 2"), max_length=300)
    anchor_3 = models.CharField(_("anchor for 3"), max_length=300)
    anchor_4 = models.CharField(_("anchor for 4"), max_length=300)
    anchor_5 = models.CharField(_("anchor for 5"), max_length=300)
    anchor_1_zh = models.CharField(_("Chinese anchor for 1"), max_length=300, blank=True)
    anchor_2_zh = models.CharField(_("Chinese anchor for 2"), max_length=300, blank=True)
    anchor_3_zh = models.CharField(_("Chinese anchor for 3"), max_length=300, blank=True)
    anchor_4_zh = models.CharField(_("Chinese anchor for 4"), max_length=300, blank=True)
    anchor_5_zh = models.CharField(_("Chinese anchor for 5"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        ordering = ["cohort", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "key"], name="criterion_key_per_cohort")
        ]

    def __str__(self):
        return self.name

    def localized_name(self, language):
        return self.name_zh if language.startswith("zh") and self.name_zh else self.name

    @property
    def anchors(self):
        return [(level, getattr(self, f"anchor_{level}")) for level in range(1, 6)]

    @property
    def both_anchors(self):
        return [(level, text, getattr(self, f"anchor_{level}_zh")) for level, text in self.anchors]

    def localized_anchors(self, language):
        """(level, text) in ``language``, falling back to the English anchor."""
        if not language.startswith("zh"):
            return self.anchors
        return [
            (level, getattr(self, f"anchor_{level}_zh") or text) for level, text in self.anchors
        ]


class Review(models.Model):
    """One reviewer's assignment to one application and, once given, their scores."""

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        DRAFT = "draft", _("Draft saved")
        SUBMITTED = "submitted", _("Submitted")
        CONFLICTED = "conflicted", _("Conflict declared")
        REMOVED = "removed", _("Unassigned")

    OPEN_STATES = (State.ASSIGNED, State.DRAFT)
    ACTIVE_STATES = (State.ASSIGNED, State.DRAFT, State.SUBMITTED)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("reviewer"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.ASSIGNED, db_index=True
    )
    abstained = models.BooleanField(_("abstain from this application"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="review_once_per_reviewer"
            )
        ]

    def __str__(self):
        return f"{self.reviewer} – {self.application}"

    @property
    def counts(self):
        """A submitted, non-abstained, non-conflicted review counts in the scores."""
        return self.state == self.State.SUBMITTED and not self.abstained


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="score_once_per_criterion"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=5), name="score_between_1_and_5"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class Conflict(models.Model):
    """A reviewer's declared conflict of interest with a company."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts"
    )
    company = models.ForeignKey(
        "clinic.Company", on_delete=models.CASCADE, related_name="reviewer_conflicts"
    )
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="conflicts"
    )
    reason = models.TextField(_("reason"), blank=True)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("replacement handled"), null=True, blank=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["-declared_at"]
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "company"], name="conflict_once")
        ]

    def __str__(self):
        return f"{self.reviewer} ≠ {self.company}"


class ApplicationProcess(Process):
    """The viewflow process of one application; its artifact is the Application."""

    class Meta:
        proxy = True
        verbose_name = _("application process")
        verbose_name_plural = _("application processes")

    @property
    def application(self):
        """The application, read fresh each time: flow gateways decide on its current state."""
        return (
            Application.objects.select_related("company", "cohort")
            .filter(pk=self.artifact_object_id)
            .first()
        )

    @property
    def summary(self):
        application = self.application
        return application.summary if application else ""
