"""Programme events and everything attached to them.

An event belongs to a programme and, usually, to one of its cohorts (its time zone and reminder
lead time come from there). Texts staff write for people are stored in both languages (``title``
and ``title_zh``, …) and shown through ``localized`` like every bilingual name.
"""

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


class Invitation(models.Model):
    """A company (its representatives) or a guest by e-mail invited to an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    company = models.ForeignKey(
        "clinic.Company",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_invitations",
        verbose_name=_("company"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    name = models.CharField(_("name"), max_length=TITLE_MAX, blank=True)
    organisation = models.CharField(_("organisation"), max_length=TITLE_MAX, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["event", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "company"],
                condition=models.Q(company__isnull=False),
                name="event_invites_company_once",
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=models.Q(company__isnull=True),
                name="event_invites_guest_once",
            ),
        ]

    def __str__(self):
        if self.company_id:
            return str(self.company)
        return self.name or self.email

    @property
    def is_guest(self):
        return self.company_id is None


class Registration(models.Model):
    """One named person registered for an event (or waiting for a seat)."""

    class State(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("Waitlisted")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")
        CANCELLED = "cancelled", _("Cancelled")

    SEATED = (State.REGISTERED, State.ATTENDED, State.ABSENT)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="registrations"
    )
    company = models.ForeignKey(
        "clinic.Company",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("company"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    name = models.CharField(_("name"), max_length=TITLE_MAX)
    email = models.EmailField(_("e-mail"))
    organisation = models.CharField(_("organisation"), max_length=TITLE_MAX, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.REGISTERED, db_index=True
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~models.Q(state="cancelled"),
                name="event_registers_email_once",
            ),
        ]

    def __str__(self):
        return f"{self.name} · {self.event}"

    @property
    def preferred_language(self):
        """Mail to this person goes out in this language (``queue_message`` reads it)."""
        return self.language


class Feedback(models.Model):
    """An attendee's rating of a held event (1-5) and comment."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback"
    )
    score = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = long_text(_("comment"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event feedback")
        verbose_name_plural = _("event feedback")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="event_feedback_1_to_5"
            )
        ]

    def __str__(self):
        return f"{self.registration}: {self.score}/5"


class SpeakerScore(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="speaker_scores")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feedback", "speaker"], name="speaker_scored_once"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="speaker_score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.speaker}: {self.score}/5"


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
