"""Programme events: the event (bilingual texts, its cohort's time zone), its speakers, agenda and
private materials."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.files import stored_name
from clinic.limits import TITLE_MAX, long_text
from cohorts.models.cohorts import localized
from mentoring.models.sessions import Meeting

COMPANY_LIMIT = 3


class Event(Meeting):
    class Kind(models.TextChoices):
        KICK_OFF = "kick_off", _("Kick-off")
        TRAINING = "training", _("Training")
        WEBINAR = "webinar", _("Webinar")
        DEMO_DAY = "demo_day", _("Demo day")
        MATCHMAKING = "matchmaking", _("Matchmaking")
        CLOSING = "closing", _("Closing ceremony")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    class Materials(models.TextChoices):
        AT_ONCE = "at_once", _("At once")
        AFTER = "after", _("After the event")

    programme = models.ForeignKey(
        "cohorts.Programme",
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("programme"),
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.PROTECT,
        related_name="events",
        null=True,
        blank=True,
        verbose_name=_("cohort"),
        help_text=_("Leave empty for an event of the whole programme."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    title_zh = models.CharField(_("Chinese title"), max_length=TITLE_MAX, blank=True)
    description = long_text(_("description"))
    description_zh = long_text(_("Chinese description"))
    series = models.CharField(_("series"), max_length=TITLE_MAX, blank=True)
    series_zh = models.CharField(_("Chinese series name"), max_length=TITLE_MAX, blank=True)
    series_number = models.PositiveSmallIntegerField(
        _("number in the series"), null=True, blank=True, validators=[MaxValueValidator(999)]
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), default=50, validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    company_limit = models.PositiveSmallIntegerField(
        _("people per company"),
        default=COMPANY_LIMIT,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    mandatory = models.BooleanField(
        _("mandatory for participants"),
        default=False,
        help_text=_("Counts in each participating company's progress (the kick-off is)."),
    )
    materials_shown = models.CharField(
        _("materials shown to registered people"),
        max_length=8,
        choices=Materials.choices,
        default=Materials.AFTER,
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return self.localized_title()

    def localized_title(self, language=None):
        title = localized(self.title, self.title_zh, language)
        if self.series and self.series_number:
            series = localized(self.series, self.series_zh, language)
            return f"{series} #{self.series_number}: {title}"
        return title

    def localized_description(self, language=None):
        return localized(self.description, self.description_zh, language)

    @property
    def is_open(self):
        """Published and not started: people may register or cancel."""
        return self.state == self.State.PUBLISHED and self.starts_at > timezone.now()

    @property
    def has_ended(self):
        return self.ends_at <= timezone.now()


class Speaker(models.Model):
    """An expert, a partner's person or a guest speaking at an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_talks",
        verbose_name=_("account (expert)"),
    )
    name = models.CharField(_("name"), max_length=TITLE_MAX)
    organisation = models.CharField(_("organisation"), max_length=TITLE_MAX, blank=True)
    bio = long_text(_("short bio"), max_length=600)
    bio_zh = long_text(_("Chinese short bio"), max_length=600)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["event", "position", "pk"]

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name

    def localized_bio(self):
        return localized(self.bio, self.bio_zh)


class AgendaItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_items")
    starts_at = models.TimeField(_("time"))
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    title_zh = models.CharField(_("Chinese title"), max_length=TITLE_MAX, blank=True)
    speaker = models.ForeignKey(
        Speaker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("speaker"),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["event", "starts_at", "pk"]

    def __str__(self):
        return localized(self.title, self.title_zh)


def material_path(instance, filename):
    """A random name in the event's folder, named by the detected type (never the uploader's)."""
    return stored_name(f"events/{instance.event_id}", instance.content_type)


class Material(models.Model):
    """Slides or a handout: a private upload, shown to registered people (see the event)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    file = models.FileField(_("file"), upload_to=material_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    checksum = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["event", "pk"]

    def __str__(self):
        return self.title
