"""A company's IP asset register: one row per patent, trademark, design, secret or domain."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..dates import add_months
from .companies import Company


class IPAsset(models.Model):
    """One entry of a company's IP asset register."""

    class Type(models.TextChoices):
        PATENT = "patent", _("Patent")
        UTILITY_MODEL = "utility_model", _("Utility model")
        TRADEMARK = "trademark", _("Trademark")
        DESIGN = "design", _("Design")
        COPYRIGHT = "copyright", _("Copyright / software")
        TRADE_SECRET = "trade_secret", _("Trade secret")
        DOMAIN_NAME = "domain_name", _("Domain name")
        PLANT_VARIETY = "plant_variety", _("Plant variety")

    class Status(models.TextChoices):
        IDEA = "idea", _("Idea / not filed")
        FILED = "filed", _("Filed / pending")
        GRANTED = "granted", _("Granted / registered")
        LAPSED = "lapsed", _("Lapsed / abandoned")

    class Relevance(models.TextChoices):
        HIGH = "high", _("High: core to the business")
        MEDIUM = "medium", pgettext_lazy("business relevance", "Medium")
        LOW = "low", _("Low")

    # Rights granted by an office: filing needs a filing date; granted needs number and grant date.
    REGISTERED_TYPES = (
        Type.PATENT,
        Type.UTILITY_MODEL,
        Type.TRADEMARK,
        Type.DESIGN,
        Type.PLANT_VARIETY,
    )

    # What a register entry holds, in order: the page's form, the CSV import and export, and the
    # snapshot kept with each audit round (without the notes) all use this list.
    REGISTER_FIELDS = (
        "asset_type",
        "title",
        "jurisdiction",
        "number",
        "status",
        "owner",
        "filing_date",
        "grant_date",
        "renewal_date",
        "business_relevance",
        "notes",
    )

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="ip_assets", verbose_name=_("company")
    )
    asset_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    title = models.CharField(_("title"), max_length=200)
    jurisdiction = models.CharField(
        _("jurisdiction"),
        max_length=40,
        blank=True,
        help_text=_("Country or office, e.g. CN, EP, US, PCT."),
    )
    number = models.CharField(_("number"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    filing_date = models.DateField(_("filing date"), null=True, blank=True)
    grant_date = models.DateField(_("grant or registration date"), null=True, blank=True)
    renewal_date = models.DateField(_("renewal or expiry date"), null=True, blank=True)
    business_relevance = models.CharField(
        _("business relevance"), max_length=10, choices=Relevance.choices, default=Relevance.MEDIUM
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("IP asset")
        verbose_name_plural = _("IP assets")
        ordering = ["asset_type", "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "asset_type", "jurisdiction", "number"],
                condition=~models.Q(number=""),
                name="ip_asset_right_once",
                violation_error_message=_(
                    "The register lists this right already (same type, jurisdiction and number)."
                ),
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        registered = self.asset_type in self.REGISTERED_TYPES
        filed = self.status in (self.Status.FILED, self.Status.GRANTED)
        if registered and filed and not self.filing_date:
            errors["filing_date"] = _("A filed or granted right needs its filing date.")
        if registered and self.status == self.Status.GRANTED:
            if not self.number:
                errors["number"] = _("A granted or registered right needs its number.")
            if not self.grant_date:
                errors["grant_date"] = _("A granted or registered right needs its grant date.")
        if self.asset_type == self.Type.TRADE_SECRET and filed:
            errors["status"] = _("A trade secret is not filed or registered.")
        if self.filing_date and self.grant_date and self.grant_date < self.filing_date:
            errors.setdefault("grant_date", _("The grant date cannot be before the filing date."))
        if self.filing_date and self.renewal_date and self.renewal_date <= self.filing_date:
            errors["renewal_date"] = _("The renewal or expiry date must be after the filing date.")
        if errors:
            raise ValidationError(errors)

    def renewal_due_soon(self, today=None, months=6):
        """True when the renewal or expiry date falls within the next ``months`` months."""
        if self.renewal_date is None or self.status == self.Status.LAPSED:
            return False
        today = today or timezone.localdate()
        return today <= self.renewal_date <= add_months(today, months)

    def renewal_overdue(self, today=None):
        if self.renewal_date is None or self.status == self.Status.LAPSED:
            return False
        return self.renewal_date < (today or timezone.localdate())
