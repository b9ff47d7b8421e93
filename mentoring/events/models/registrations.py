"""Who comes to an event: invitations (companies and guests), registrations with a waitlist and
attendance, feedback and speaker scores."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from clinic.limits import TITLE_MAX, long_text

from .events import Event, Speaker


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
