"""The eleven IP management dimensions and the maturity scale (DOMAIN.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.IntegerChoices):
    AWARENESS = 1, _("IP awareness and strategy alignment")
    INVENTORY = 2, _("IP asset identification and inventory")
    OWNERSHIP = 3, _("Ownership and contracts")
    TRADE_SECRETS = 4, _("Trade secrets and confidentiality")
    PATENTS = 5, _("Patents and utility models")
    TRADEMARKS = 6, _("Trademarks and designs")
    FREEDOM_TO_OPERATE = 7, _("Freedom to operate and monitoring")
    COMMERCIALISATION = 8, _("Commercialisation")
    INTERNATIONAL = 9, _("International protection and export markets")
    ENFORCEMENT = 10, _("Enforcement")
    GREEN_POSITIONING = 11, _("Green technology positioning")


class Maturity(models.IntegerChoices):
    ABSENT = 0, _("0 Absent")
    AD_HOC = 1, _("1 Ad hoc")
    BASIC = 2, _("2 Basic")
    MANAGED = 3, _("3 Managed")
    STRATEGIC = 4, _("4 Strategic")


MAX_MATURITY = 4


def traffic_light(score):
    """0-1 red, 2 amber, 3-4 green (scores are rounded to the nearest level); None stays grey."""
    if score is None:
        return "grey"
    level = round(score)
    if level <= 1:
        return "red"
    if level == 2:
        return "amber"
    return "green"
