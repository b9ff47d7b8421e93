"""Matchmaking data: partner organisations, technologies, needs, introductions, WIPO GREEN
imports. Content fields are stored in both languages (``x`` and ``x_zh``, see ``localized``)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from clinic.limits import TITLE_MAX, long_text
from clinic.models.companies import CURRENCIES, GreenArea
from cohorts.models.cohorts import localized


class Offer(models.TextChoices):
    """What a technology provider offers or a need owner seeks (WIPO GREEN's categories)."""

    LICENSING = "licensing", _("Licensing")
    COLLABORATION = "collaboration", _("Collaboration")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    SALE = "sale", _("Sale")
    INVESTMENT = "investment", _("Investment")


class Bilingual(models.Model):
    """A listing (technology or need): ``title``/``title_zh`` and ``summary``/``summary_zh`` shown
    in the active language with a fallback to the other one, what it offers or seeks, keywords
    and the times of its approval flow."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    title_zh = models.CharField(_("Chinese title"), max_length=TITLE_MAX, blank=True)
    summary = long_text(_("summary"), blank=False)
    summary_zh = long_text(_("Chinese summary"))
    offers = models.JSONField(_("what it seeks"), default=list, blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.localized_title()

    def localized_title(self, language=None):
        return localized(self.title, self.title_zh, language) or self.title_zh

    def localized_summary(self, language=None):
        return localized(self.summary, self.summary_zh, language) or self.summary_zh

    def offer_labels(self):
        labels = dict(Offer.choices)
        return [labels.get(value, value) for value in self.offers]

    def text_en(self):
        return f"{self.title}\n{self.summary}"

    def text_zh(self):
        return f"{self.title_zh}\n{self.summary_zh}"


class PartnerOrganisation(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("City")
        UTILITY = "utility", _("Utility")
        MANUFACTURER = "manufacturer", _("Manufacturer")
        UNIVERSITY = "university", _("University")
        LAW_FIRM = "law_firm", _("Law firm")
        INVESTOR = "investor", _("Investor")
        ASSOCIATION = "association", _("Association")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    # Partners that post needs (the demand side).
    DEMAND_KINDS = (Kind.CITY, Kind.UTILITY, Kind.MANUFACTURER)

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=TITLE_MAX)
    name_zh = models.CharField(_("Chinese name"), max_length=TITLE_MAX, blank=True)
    country = CountryField(_("country"), default="CN")
    region = models.CharField(_("region / province"), max_length=100, blank=True)
    offers = long_text(_("what it offers"))
    offers_zh = long_text(_("what it offers (Chinese)"))
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="partner_organisations",
        blank=True,
        verbose_name=_("representatives"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]

    def __str__(self):
        return localized(self.name, self.name_zh) or self.name_zh

    def localized_offers(self):
        return localized(self.offers, self.offers_zh) or self.offers_zh


class PartnerInvitation(models.Model):
    """An officer invites someone to represent a partner organisation (a link by mail)."""

    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=10, default="en")
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    audit_sensitive_fields = ("token",)

    def __str__(self):
        return self.email


class Technology(Bilingual):
    """A participating SME's technology offered to others."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    company = models.ForeignKey(
        "clinic.Company",
        on_delete=models.CASCADE,
        related_name="technologies",
        verbose_name=_("company"),
    )
    green_area = models.CharField(
        _("green technology area"), max_length=32, choices=GreenArea.choices
    )
    sdgs = models.JSONField(_("SDGs"), default=list, blank=True)
    trl = models.PositiveSmallIntegerField(
        _("development stage (TRL 1-9)"),
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        default=5,
    )
    assets = models.ManyToManyField(
        "clinic.IPAsset", blank=True, related_name="technologies", verbose_name=_("IP assets")
    )
    regions = models.CharField(
        _("regions"), max_length=200, blank=True, help_text=_("Where it can be deployed.")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    return_comment = long_text(_("comment to the SME"))

    class Meta:
        verbose_name = _("technology")
        verbose_name_plural = _("technologies")
        ordering = ["-updated_at"]


class Need(Bilingual):
    """A partner's green challenge: a problem to solve (``summary`` is its description)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        OPEN = "open", pgettext_lazy("need state", "Open")
        RETURNED = "returned", _("Returned")
        MATCHED = "matched", _("Matched")
        CLOSED = "closed", _("Closed")

    class Timeframe(models.TextChoices):
        NOW = "now", _("Within 3 months")
        SHORT = "short", _("3 to 12 months")
        MEDIUM = "medium", _("1 to 3 years")
        LONG = "long", _("More than 3 years")

    VISIBLE_STATES = (State.OPEN, State.MATCHED)

    partner = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.CASCADE,
        related_name="needs",
        verbose_name=_("partner organisation"),
    )
    sector = models.CharField(_("sector"), max_length=32, choices=GreenArea.choices)
    location = models.CharField(_("location"), max_length=200, blank=True)
    budget_min = models.PositiveBigIntegerField(_("budget from"), null=True, blank=True)
    budget_max = models.PositiveBigIntegerField(_("budget up to"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="CNY")
    timeframe = models.CharField(
        _("timeframe"), max_length=8, choices=Timeframe.choices, default=Timeframe.SHORT
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    return_comment = long_text(_("comment to the partner"))

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-updated_at"]


class Introduction(models.Model):
    """An officer introduces a need owner (or an investor) and a technology provider."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted by both")
        MEETING = "meeting", _("Meeting held")
        MOU_SIGNED = "mou_signed", _("MOU signed")
        DEPLOYED = "deployed", _("Deployed")
        CLOSED = "closed", _("Closed")

    technology = models.ForeignKey(
        Technology, on_delete=models.CASCADE, related_name="introductions"
    )
    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, related_name="introductions", null=True, blank=True
    )
    partner = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.CASCADE,
        related_name="introductions",
        verbose_name=_("partner organisation"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = long_text(_("why they should meet"))
    score = models.PositiveSmallIntegerField(_("match score"), default=0)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PROPOSED, db_index=True
    )
    provider_accepted_at = models.DateTimeField(null=True, blank=True)
    partner_accepted_at = models.DateTimeField(null=True, blank=True)
    # Who accepted each side: the two must be different people (permissions.acceptable_sides).
    provider_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partner_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    meeting_at = models.DateTimeField(_("meeting time"), null=True, blank=True)
    meeting_place = models.CharField(_("place or link"), max_length=300, blank=True)
    meeting_sequence = models.PositiveIntegerField(default=0)
    mou_signed_on = models.DateField(_("MOU signed on"), null=True, blank=True)
    mou_scope = long_text(_("MOU scope"))
    mou_document = models.FileField(_("MOU document"), upload_to="mou/", blank=True)
    mou_document_type = models.CharField(max_length=100, blank=True)
    deployed_on = models.DateField(_("deployed on"), null=True, blank=True)
    deployment_place = models.CharField(_("deployment place"), max_length=200, blank=True)
    measured_effect = long_text(_("measured effect"))
    close_reason = long_text(_("reason for closing"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["technology", "partner", "need"], name="one_introduction_per_pair"
            ),
        ]

    def __str__(self):
        return f"{self.technology.localized_title()} ↔ {self.partner}"

    @property
    def accepted_by_both(self):
        return self.provider_accepted_at is not None and self.partner_accepted_at is not None


class ExternalListing(models.Model):
    """A technology or need imported from a WIPO GREEN export (matched, never edited here)."""

    class Kind(models.TextChoices):
        TECHNOLOGY = "technology", _("Technology")
        NEED = "need", _("Need")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    external_id = models.CharField(_("WIPO GREEN id"), max_length=64)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    title_zh = models.CharField(_("Chinese title"), max_length=TITLE_MAX, blank=True)
    summary = long_text(_("description"))
    summary_zh = long_text(_("Chinese description"))
    owner = models.CharField(_("owner"), max_length=TITLE_MAX, blank=True)
    country = models.CharField(_("country"), max_length=60, blank=True)
    green_area = models.CharField(
        _("green technology area"), max_length=32, choices=GreenArea.choices, blank=True
    )
    trl = models.PositiveSmallIntegerField(_("development stage (TRL 1-9)"), null=True)
    offers = models.JSONField(_("offered or sought"), default=list, blank=True)
    ip_status = models.CharField(_("IP status"), max_length=300, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    url = models.URLField(_("link"), blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("WIPO GREEN listing")
        verbose_name_plural = _("WIPO GREEN listings")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "external_id"], name="one_external_listing"),
        ]

    localized_title = Bilingual.localized_title
    localized_summary = Bilingual.localized_summary
    offer_labels = Bilingual.offer_labels
    text_en = Bilingual.text_en
    text_zh = Bilingual.text_zh

    def __str__(self):
        return self.localized_title()
