"""Demo days: the slots companies present in (an approved technology listing) and the
introductions partners ask for."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clinic.limits import TITLE_MAX, long_text
from cohorts.models.cohorts import localized

from .events import Event
from .registrations import Registration


class DemoSlot(models.Model):
    """A participating company presenting a technology at a demo day, in a time slot: one of
    its approved technology listings (matchmaking) or, without one, a free-text title."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="demo_slots")
    company = models.ForeignKey(
        "clinic.Company", on_delete=models.CASCADE, related_name="demo_slots"
    )
    listing = models.ForeignKey(
        "matchmaking.Technology",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demo_slots",
        verbose_name=_("technology listing"),
    )
    technology = models.CharField(_("technology"), max_length=TITLE_MAX)
    technology_zh = models.CharField(_("Chinese title"), max_length=TITLE_MAX, blank=True)
    starts_at = models.TimeField(_("time slot"))
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("demo slot")
        verbose_name_plural = _("demo slots")
        ordering = ["event", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="demo_slot_time_once"),
            models.UniqueConstraint(fields=["event", "company"], name="demo_slot_company_once"),
        ]

    def __str__(self):
        return localized(self.technology, self.technology_zh)


class IntroductionRequest(models.Model):
    """An attendee (need owner, investor) asks to be introduced to a presenting company."""

    slot = models.ForeignKey(DemoSlot, on_delete=models.CASCADE, related_name="introductions")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="introductions"
    )
    message = long_text(_("what you are looking for"), max_length=1000)
    partner = models.ForeignKey(
        "matchmaking.PartnerOrganisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner organisation"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["slot", "registration"], name="introduction_once")
        ]

    def __str__(self):
        return f"{self.registration.name} → {self.slot.company}"
