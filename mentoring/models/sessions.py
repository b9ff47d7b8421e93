"""Mentoring sessions, the expert's notes on them, follow-ups, the SME's ratings, offered slots.

What the SME may see of a session: the session itself, its ``SessionNote`` once shared, its
follow-ups and its rating. ``PrivateNote`` is the expert's alone (and officers'): it is a table
of its own so pages, exports and messages for the SME never load it.
"""

import uuid
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NOTES_EDIT_DAYS = 7


class Mode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("Phone")


class Meeting(models.Model):
    """When and how a meeting happens (shared by sessions and the slots experts offer)."""

    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    time_zone = models.CharField(_("time zone"), max_length=50, default="Asia/Shanghai")
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=90, validators=[MinValueValidator(15)]
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.ONLINE)
    address = models.CharField(_("address"), max_length=300, blank=True)
    meeting_url = models.URLField(_("meeting link"), max_length=500, blank=True)
    phone = models.CharField(_("phone number"), max_length=50, blank=True)

    class Meta:
        abstract = True

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at, self.zone)

    @property
    def local_end(self):
        return timezone.localtime(self.ends_at, self.zone)

    @property
    def when(self):
        """Start and end in the meeting's time zone: 2026-12-01 10:00–11:30 (Asia/Shanghai)."""
        return f"{self.local_start:%Y-%m-%d %H:%M}–{self.local_end:%H:%M} ({self.time_zone})"

    @property
    def where(self):
        """The place, link or number, as the mode needs."""
        if self.mode == Mode.ON_SITE:
            return self.address
        if self.mode == Mode.ONLINE:
            return self.meeting_url
        return self.phone


class Session(Meeting):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("No-show")

    participation = models.ForeignKey(
        "mentoring.Participation",
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("participant"),
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mentoring_sessions",
        verbose_name=_("expert"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    logged_at = models.DateTimeField(
        _("logged after it happened"),
        null=True,
        blank=True,
        help_text=_("Set for a session recorded after the fact: its notes lock counts from here."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("mentoring session")
        verbose_name_plural = _("mentoring sessions")
        ordering = ["participation", "starts_at", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "number"], name="session_number_per_participation"
            ),
            models.UniqueConstraint(
                fields=["expert", "starts_at"],
                condition=~models.Q(status="cancelled"),
                name="expert_one_session_per_time",
            ),
        ]

    def __str__(self):
        return _("Session %(number)s · %(company)s") % {
            "number": self.number,
            "company": self.participation.company,
        }

    @property
    def notes_lock_at(self):
        """7 days after the session ended, or after it was logged when recorded after the fact."""
        start = max(self.ends_at, self.logged_at) if self.logged_at else self.ends_at
        return start + timedelta(days=NOTES_EDIT_DAYS)

    def notes_locked(self, now=None):
        return (now or timezone.now()) >= self.notes_lock_at

    @property
    def has_ended(self):
        return self.ends_at <= timezone.now()

    @property
    def is_open(self):
        return self.status == self.Status.PLANNED

    def slot_id_is(self, slot_id):
        """Whether this session holds the offered slot ``slot_id`` (None: no)."""
        return slot_id is not None and OfferedSlot.objects.filter(pk=slot_id, session=self).exists()


class SessionNote(models.Model):
    """What the expert shares with the SME after a session (a draft until shared)."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="note")
    summary = models.TextField(_("summary"), blank=True)
    dimensions = models.JSONField(_("dimensions discussed"), default=list, blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    shared_at = models.DateTimeField(_("shared with the company at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("session note")
        verbose_name_plural = _("session notes")

    def __str__(self):
        return _("Notes of %(session)s") % {"session": self.session}

    @property
    def is_shared(self):
        return self.shared_at is not None

    def dimension_labels(self):
        from clinic.dimensions import Dimension

        return [str(Dimension(d).label) for d in sorted(self.dimensions) if d in Dimension.values]


class NoteRevision(models.Model):
    """The shared notes as saved by one edit (every save adds one); private notes are not kept
    here, only whether they changed (see the audit record)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="note_revisions")
    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    outcome = models.CharField(_("status"), max_length=10, choices=Session.Status.choices)
    summary = models.TextField(_("summary"), blank=True)
    dimensions = models.JSONField(_("dimensions discussed"), default=list, blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    follow_ups = models.JSONField(_("follow-ups"), default=list, blank=True)
    shared = models.BooleanField(_("shared with the company"), default=False)

    class Meta:
        verbose_name = _("session note revision")
        verbose_name_plural = _("session note revisions")
        ordering = ["-saved_at", "-pk"]

    def __str__(self):
        return f"{self.session} · {timezone.localtime(self.saved_at):%Y-%m-%d %H:%M}"

    def dimension_labels(self):
        from clinic.dimensions import Dimension

        return [str(Dimension(d).label) for d in sorted(self.dimensions) if d in Dimension.values]


class PrivateNote(models.Model):
    """The expert's private notes on a session: never shown to the SME, never in its messages."""

    audit_sensitive_fields = ("text",)  # the audit log records that they changed, never the text

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="private_note")
    text = models.TextField(_("private notes"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("private expert note")
        verbose_name_plural = _("private expert notes")

    def __str__(self):
        return _("Private notes of %(session)s") % {"session": self.session}


class FollowUp(models.Model):
    """A small task for the SME before the next session."""

    PER_SESSION_MAX = 30

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="follow_ups")
    participation = models.ForeignKey(
        "mentoring.Participation", on_delete=models.CASCADE, related_name="follow_ups"
    )
    title = models.CharField(_("follow-up"), max_length=200)
    owner = models.CharField(_("owner at the company"), max_length=120, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["done", "due_date", "pk"]

    def __str__(self):
        return self.title

    @property
    def overdue(self):
        return not self.done and self.due_date is not None and self.due_date < timezone.localdate()


class Rating(models.Model):
    """The SME's rating of a held session."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session rating")
        verbose_name_plural = _("session ratings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_between_1_and_5"
            )
        ]

    def __str__(self):
        return f"{self.session}: {self.score}/5"


class OfferedSlot(Meeting):
    """A time an expert offers; any SME the expert mentors may book it as a session."""

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="offered_slots",
        verbose_name=_("expert"),
    )
    session = models.OneToOneField(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="slot",
        verbose_name=_("booked as"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("offered slot")
        verbose_name_plural = _("offered slots")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["expert", "starts_at"], name="slot_once_per_time")
        ]

    def __str__(self):
        return f"{self.expert} · {self.local_start:%Y-%m-%d %H:%M}"

    @property
    def is_free(self):
        return self.session_id is None
