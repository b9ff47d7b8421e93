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
    questionnaire_version = models.ForeignKey(
        "clinic.QuestionnaireVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts",
        verbose_name=_("IP audit questionnaire version"),
        help_text=_("Only published versions; empty: the current published version."),
    )
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
    decided_at = models.DateTimeField(_("decision published"), null=True, blank=True)
    waitlist_position = models.PositiveSmallIntegerField(
        _("waitlist position"), null=True, blank=True
    )
    confirm_due_at = models.DateTimeField(_("confirm by"), null=True, blank=True)
    confirm_reminded_at = models.DateTimeField(_("reminded to confirm"), null=True, blank=True)
    answered_at = models.DateTimeField(_("place confirmed or declined"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    released_at = models.DateTimeField(_("place freed (dropped out)"), null=True, blank=True)
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


# --- Selection, confirmation and waitlist (issue 4) --------------------------------------------


class QuotaDimension(models.TextChoices):
    GREEN_AREA = "green_area", _("Technology area")
    SIZE_CLASS = "size_class", _("Size class")
    REGION = "region", _("Region")


class QuotaRule(models.Model):
    """At least ``minimum`` and/or at most ``maximum`` selected companies with ``value`` in
    ``dimension`` (regions compare case-insensitively)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="quota_rules")
    dimension = models.CharField(_("dimension"), max_length=20, choices=QuotaDimension.choices)
    value = models.CharField(_("value"), max_length=100)
    minimum = models.PositiveSmallIntegerField(_("at least"), null=True, blank=True)
    maximum = models.PositiveSmallIntegerField(_("at most"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quota rule")
        verbose_name_plural = _("quota rules")
        ordering = ["cohort", "dimension", "value", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum__isnull=False) | models.Q(maximum__isnull=False),
                name="quota_rule_has_a_bound",
            )
        ]

    def __str__(self):
        return self.label

    def clean(self):
        errors = {}
        if self.minimum is None and self.maximum is None:
            errors["minimum"] = _("Give a minimum, a maximum or both.")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            errors["maximum"] = _("The maximum cannot be below the minimum.")
        choices = {
            QuotaDimension.GREEN_AREA: GreenArea.values,
            QuotaDimension.SIZE_CLASS: SizeClass.values,
        }.get(self.dimension)
        if choices is not None and self.value not in choices:
            errors["value"] = _("Choose a value of this dimension.")
        if errors:
            raise ValidationError(errors)

    @property
    def match_value(self):
        return self.value.strip().lower() if self.dimension == QuotaDimension.REGION else self.value

    @property
    def value_label(self):
        if self.dimension == QuotaDimension.GREEN_AREA:
            return str(dict(GreenArea.choices).get(self.value, self.value))
        if self.dimension == QuotaDimension.SIZE_CLASS:
            return str(dict(SizeClass.choices).get(self.value, self.value))
        return self.value

    @property
    def bounds_label(self):
        if self.minimum is not None and self.maximum is not None:
            if self.minimum == self.maximum:
                return _("exactly %(n)d") % {"n": self.minimum}
            return _("%(low)d to %(high)d") % {"low": self.minimum, "high": self.maximum}
        if self.minimum is not None:
            return _("at least %(n)d") % {"n": self.minimum}
        return _("at most %(n)d") % {"n": self.maximum}

    @property
    def label(self):
        """E.g. "Water: at most 4", in the active language."""
        return f"{self.value_label}: {self.bounds_label}"


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

    @property
    def editable(self):
        return self.state in (self.State.DRAFT, self.State.RETURNED)


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
    accepted_at = models.DateTimeField(_("accepted"), default=timezone.now)

    class Meta:
        verbose_name = _("terms acceptance")
        verbose_name_plural = _("terms acceptances")
        ordering = ["-accepted_at"]

    def __str__(self):
        return f"{self.application_id} · {self.terms_version} · {self.accepted_by}"


class SelectionProcess(Process):
    """The viewflow process of one cohort's selection proposal (its artifact)."""

    class Meta:
        proxy = True
        verbose_name = _("selection process")
        verbose_name_plural = _("selection processes")

    @property
    def proposal(self):
        return (
            SelectionProposal.objects.select_related("cohort")
            .filter(pk=self.artifact_object_id)
            .first()
        )

    @property
    def summary(self):
        proposal = self.proposal
        return proposal.summary if proposal else ""
