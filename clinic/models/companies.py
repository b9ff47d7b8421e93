from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField


class GreenArea(models.TextChoices):
    RENEWABLE_ENERGY = "renewable_energy", _("Renewable energy")
    STORAGE_HYDROGEN = "storage_hydrogen", _("Energy storage and hydrogen")
    ENERGY_EFFICIENCY = "energy_efficiency", _("Energy efficiency")
    TRANSPORT_FUELS = "transport_fuels", _("Green transport and fuels")
    CARBON_CAPTURE = "carbon_capture", _("Carbon capture and use")
    AIR_POLLUTION = "air_pollution", _("Air pollution control")
    WATER = "water", _("Water")
    WASTE_CIRCULAR = "waste_circular", _("Waste and circular economy")
    GREEN_BUILDINGS = "green_buildings", _("Green buildings")
    AGRICULTURE_FOOD = "agriculture_food", _("Sustainable agriculture and food")
    MATERIALS = "materials", _("Advanced and bio-based materials")


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", pgettext_lazy("company size", "Medium")
    LARGE = "large", _("Large")


ELIGIBLE_SIZE_CLASSES = {SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM}
CURRENCIES = [(code, code) for code in ("CNY", "EUR", "USD", "HKD", "GBP")]

# EU SME thresholds: (class, staff below, turnover in EUR at most).
EU_THRESHOLDS = [
    (SizeClass.MICRO, 10, Decimal("2000000")),
    (SizeClass.SMALL, 50, Decimal("10000000")),
    (SizeClass.MEDIUM, 250, Decimal("50000000")),
]


def size_class_for(employees, turnover, rate_to_eur):
    """The EU size class of a company from its staff and its turnover converted to EUR."""
    turnover_eur = Decimal(turnover) * Decimal(rate_to_eur)
    for size_class, staff_below, turnover_max in EU_THRESHOLDS:
        if employees < staff_below and turnover_eur <= turnover_max:
            return size_class
    return SizeClass.LARGE


def default_rate_to_eur(currency):
    return Decimal(settings.DEFAULT_EUR_RATES.get(currency, "1"))


class Company(models.Model):
    # Who the company is: the profile form and the API start with these.
    IDENTITY_FIELDS = (
        "legal_name",
        "local_name",
        "registration_number",
        "country",
        "region",
        "city",
        "green_area",
        "founding_year",
        "employees",
    )

    legal_name = models.CharField(_("legal name"), max_length=200)
    local_name = models.CharField(_("local-language name"), max_length=200, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=64)
    country = CountryField(_("country"))
    region = models.CharField(_("region / province"), max_length=100)
    city = models.CharField(_("city"), max_length=100, blank=True)
    green_area = models.CharField(
        _("green technology area"), max_length=32, choices=GreenArea.choices
    )
    founding_year = models.PositiveSmallIntegerField(
        _("founding year"), validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    employees = models.PositiveIntegerField(_("employees"))
    annual_turnover = models.DecimalField(
        _("annual turnover"),
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    turnover_currency = models.CharField(
        _("turnover currency"), max_length=3, choices=CURRENCIES, default="CNY"
    )
    size_class = models.CharField(
        _("size class"), max_length=10, choices=SizeClass.choices, editable=False
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    correspondence_language = models.CharField(
        _("correspondence language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="companies",
        verbose_name=_("representatives"),
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "registration_number"],
                name="company_registration_unique_per_country",
                violation_error_message=_(
                    "A company with this registration number is already registered in this country."
                ),
            )
        ]

    def __str__(self):
        return self.legal_name

    def save(self, *args, **kwargs):
        self.size_class = self.compute_size_class(default_rate_to_eur(self.turnover_currency))
        super().save(*args, **kwargs)

    def compute_size_class(self, rate_to_eur):
        return size_class_for(self.employees, self.annual_turnover, rate_to_eur)

    @property
    def display_name(self):
        if self.local_name and self.local_name != self.legal_name:
            return f"{self.legal_name} ({self.local_name})"
        return self.legal_name


class CompanyInvitation(models.Model):
    """A representative invites a colleague; the colleague signs up through the link."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("company invitation")
        verbose_name_plural = _("company invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.company}"
