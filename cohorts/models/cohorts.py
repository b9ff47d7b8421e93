"""Programmes, cohorts and their quota rules."""

from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from clinic.models.companies import CURRENCIES, GreenArea, SizeClass


def default_languages():
    return [code for code, _name in settings.LANGUAGES]


TIME_ZONES = [(tz, tz) for tz in ("Asia/Shanghai", "Asia/Hong_Kong", "Europe/Zurich", "UTC")]


def localized(name, name_zh, language=None):
    """The one choice between an English name and its optional Chinese one: ``name_zh`` in
    Chinese (``language``, default the active language) when it is filled in, else ``name``
    (and ``name_zh`` when ``name`` is empty: each language falls back on the other)."""
    language = language or get_language() or settings.LANGUAGE_CODE
    return name_zh if name_zh and (language.startswith("zh") or not name) else name


def localized_value(row, field):
    """``localized`` for a ``values()`` row holding ``field`` and ``field + "_zh"``."""
    return localized(row[field], row[f"{field}_zh"])


class BilingualName(models.Model):
    """A record with an English ``name`` and an optional Chinese ``name_zh``: shown everywhere
    (pages, lists, choices, e-mails, PDFs) through ``str()``, in the active language."""

    class Meta:
        abstract = True

    def __str__(self):
        return self.localized_name()

    def localized_name(self, language=None):
        return localized(self.name, self.name_zh, language)


class Programme(BilingualName):
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


class Cohort(BilingualName):
    class HideScores(models.TextChoices):
        UNTIL_OWN_REVIEW = "until_own_review", _("Until the reviewer's own review is submitted")
        ALWAYS = "always", _("Always")

    # What a call for applications says about itself: the settings form and the API start here.
    CALL_FIELDS = (
        "programme",
        "name",
        "name_zh",
        "description",
        "country",
        "regions",
        "capacity",
        "applications_open_at",
        "applications_close_at",
        "start_date",
        "end_date",
    )

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
    # Deadlines without an automatic consequence: a reminder before, an escalation after.
    approval_days = models.PositiveSmallIntegerField(
        _("days for the lead to approve a submitted selection"),
        default=7,
        validators=[MinValueValidator(1)],
    )
    audit_days = models.PositiveSmallIntegerField(
        _("days to submit the IP audit after confirmation"),
        default=21,
        validators=[MinValueValidator(1)],
    )
    notes_days = models.PositiveSmallIntegerField(
        _("days to log the notes of a held session"), default=7, validators=[MinValueValidator(1)]
    )
    assessment_days = models.PositiveSmallIntegerField(
        _("days to submit the assessment after the last session"),
        default=14,
        validators=[MinValueValidator(1)],
    )
    sign_off_days = models.PositiveSmallIntegerField(
        _("days to sign off a ready plan"), default=7, validators=[MinValueValidator(1)]
    )
    follow_up_days = models.PositiveSmallIntegerField(
        _("days to submit a follow-up report after it opens"),
        default=30,
        validators=[MinValueValidator(1)],
    )
    terms_version = models.CharField(_("programme terms version"), max_length=20, default="1.0")
    terms_text = models.TextField(_("programme terms"), blank=True)
    terms_text_zh = models.TextField(
        _("programme terms (Chinese)"),
        blank=True,
        help_text=_(
            "The same version of the terms in Chinese; each language falls back on the other."
        ),
    )
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
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="cohort_name_per_programme",
                violation_error_message=_("The programme has a cohort of this name already."),
            )
        ]

    def call_closes_on(self):
        """The day the call closes in the cohort's time zone (a close at 20:00 UTC is the next
        day in Shanghai)."""
        return timezone.localtime(self.applications_close_at, ZoneInfo(self.time_zone)).date()

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
            and self.call_closes_on() > self.start_date
        ):
            errors["start_date"] = _("The cohort cannot start before the call closes.")
        if (self.min_reviews or 0) > (self.reviewers_per_application or 0):
            errors["min_reviews"] = _(
                "The minimum number of reviews cannot exceed the reviewers per application."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def region_list(self):
        return [region_key(region) for region in self.regions.split(",") if region.strip()]

    def call_state(self, at=None):
        """Where ``at`` (default: now) falls against the call for applications: "upcoming",
        "open" or "closed" (the one place the window is checked)."""
        at = at or timezone.now()
        if at < self.applications_open_at:
            return "upcoming"
        return "open" if at < self.applications_close_at else "closed"

    def localized_terms(self, language=None):
        """The programme terms in ``language`` (default: the active one), else the other text."""
        wanted = localized(self.terms_text, self.terms_text_zh, language)
        return wanted or self.terms_text or self.terms_text_zh

    def is_open(self, at=None):
        return self.call_state(at) == "open"

    @property
    def stage(self):
        now = timezone.now()
        call = self.call_state(now)
        if call != "closed":
            return call
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


# --- Quota rules for the selection (issue 4) ---------------------------------------------------


class QuotaDimension(models.TextChoices):
    GREEN_AREA = "green_area", _("Technology area")
    SIZE_CLASS = "size_class", _("Size class")
    REGION = "region", _("Region")


def region_key(region):
    """Regions compare case-insensitively and without surrounding spaces."""
    return region.strip().lower()


# Plain strings, read from the enum once (a member's .value costs a descriptor call).
_GREEN_AREA = QuotaDimension.GREEN_AREA.value
_SIZE_CLASS = QuotaDimension.SIZE_CLASS.value
_REGION = QuotaDimension.REGION.value


def quota_attributes(green_area, size_class, region):
    """What quota rules look at in one application (the one place it is derived):
    dimension -> value, as ``cohorts.selection`` matches them."""
    return {_GREEN_AREA: green_area, _SIZE_CLASS: size_class, _REGION: region_key(region)}


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
            ),
            models.UniqueConstraint(
                "cohort",
                "dimension",
                Lower("value"),
                name="quota_rule_once_per_value",
                violation_error_message=_("This cohort has a rule for this value already."),
            ),
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
        return region_key(self.value) if self.dimension == QuotaDimension.REGION else self.value

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
