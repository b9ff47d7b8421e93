"""IP audit: questionnaire versions, audits with their answers, evidence and rounds.

A questionnaire version stores the normalised questionnaire (see clinic/questionnaire_files.py) as
JSON. Published versions never change: ``save()`` refuses it, and so do the services.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..files import stored_name
from .companies import Company


class PublishedVersionError(Exception):
    """Raised when code tries to change or delete a published questionnaire version."""


def language_key(language=None):
    """The questionnaire language (``en`` or ``zh-hans``) for a Django language code."""
    language = (language or get_language() or "en").lower()
    return "zh-hans" if language.startswith("zh") else "en"


def localized(texts, language=None):
    """One text of a bilingual ``{"en": ..., "zh-hans": ...}`` mapping, falling back to English."""
    if not isinstance(texts, dict):
        return texts or ""
    return texts.get(language_key(language)) or texts.get("en") or ""


class QuestionnaireVersionQuerySet(models.QuerySet):
    """Bulk updates and deletes cannot reach published versions either."""

    def _refuse_published(self):
        if self.filter(status=QuestionnaireVersion.Status.PUBLISHED).exists():
            raise PublishedVersionError("Published questionnaire versions never change.")

    def update(self, **kwargs):
        self._refuse_published()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_published()
        return super().delete()


class QuestionnaireVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Source(models.TextChoices):
        DEFAULT = "default", _("Default questionnaire")
        IMPORT = "import", _("Imported file")
        COPY = "copy", _("Copy of another version")

    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.JSONField(_("title"), default=dict)
    content = models.JSONField(_("questionnaire"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("based on"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = QuestionnaireVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["-published_at", "-created_at"]

    def __str__(self):
        return f"{localized(self.title)} {self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = (
                QuestionnaireVersion.objects.filter(pk=self.pk).values_list("status", flat=True)
            ).first()
            if stored == self.Status.PUBLISHED:
                raise PublishedVersionError(f"Version {self.version} is published.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED:
            raise PublishedVersionError(f"Version {self.version} is published.")
        return super().delete(*args, **kwargs)

    @property
    def display_title(self):
        """The title in the active language."""
        return localized(self.title)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def sections(self):
        return self.content.get("sections", [])

    def section(self, dimension):
        for section in self.sections:
            if section["dimension"] == dimension:
                return section
        return None

    def questions(self):
        """Every question with its dimension, in questionnaire order."""
        return [
            {**question, "dimension": section["dimension"]}
            for section in self.sections
            for question in section["questions"]
        ]

    def question(self, key):
        for question in self.questions():
            if question["key"] == key:
                return question
        return None

    @property
    def question_count(self):
        return sum(len(section["questions"]) for section in self.sections)


class IPAudit(models.Model):
    """One company's self-assessment on one questionnaire version; every submission is a round."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Being filled in")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")

    OPEN_STATES = (State.DRAFT, State.RETURNED)

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="ip_audits", verbose_name=_("company")
    )
    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        related_name="audits",
        verbose_name=_("questionnaire version"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    scores = models.JSONField(_("self-assessed maturity"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("IP audit")
        verbose_name_plural = _("IP audits")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return _("IP audit of %(company)s (%(version)s)") % {
            "company": self.company,
            "version": self.version.version,
        }

    @property
    def is_open(self):
        return self.state in self.OPEN_STATES


class AuditRound(models.Model):
    """One submission of an audit, with the answers and scores as submitted and any return."""

    audit = models.ForeignKey(IPAudit, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answers = models.JSONField(_("answers as submitted"), default=dict)
    scores = models.JSONField(_("scores"), default=dict)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    return_note = models.TextField(_("general comment"), blank=True)
    comments = models.JSONField(_("comments per section"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit round")
        verbose_name_plural = _("audit rounds")
        ordering = ["audit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="audit_round_unique_number")
        ]

    def __str__(self):
        return f"{self.audit} #{self.number}"

    def section_comments(self):
        """(dimension, comment) pairs in dimension order, empty comments left out."""
        return sorted(
            ((int(dimension), text) for dimension, text in self.comments.items() if text),
            key=lambda item: item[0],
        )


class Answer(models.Model):
    """The current answer to one question.

    ``value`` is a code (yes / partly / no / not_sure, or 0-4 / not_sure) or the number or text.
    """

    audit = models.ForeignKey(IPAudit, on_delete=models.CASCADE, related_name="answers")
    question_key = models.CharField(_("question"), max_length=50)
    value = models.TextField(_("answer"), blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "question_key"], name="answer_unique_per_question"
            )
        ]

    def __str__(self):
        return f"{self.question_key}: {self.value}"


def evidence_path(instance, filename):
    """Private path under MEDIA_ROOT: a random name with the extension of the type detected from
    the content (never the uploader's); the original name is kept in the row."""
    return stored_name(f"ipaudit/{instance.audit_id}", instance.content_type)


class Evidence(models.Model):
    audit = models.ForeignKey(IPAudit, on_delete=models.CASCADE, related_name="evidence")
    dimension = models.PositiveSmallIntegerField(_("section"))
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["dimension", "uploaded_at"]

    def __str__(self):
        return self.original_name


@receiver(post_delete, sender=Evidence, dispatch_uid="clinic.evidence_file_cleanup")
def remove_evidence_file(sender, instance, **kwargs):
    """The stored file goes with its row (also when an audit or company is deleted)."""
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
