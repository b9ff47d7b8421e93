from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit record.

    These guards catch mistakes in Python; the database refuses UPDATE and DELETE on the table
    itself (triggers installed by migration 0003), whichever door a statement comes through.
    """


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit records cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Audit records cannot be deleted.")

    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditLog(models.Model):
    """Append-only history of every state change. No cascading key: history outlives its object."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor"), max_length=150)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_text = models.CharField(_("object"), max_length=300)
    action = models.CharField(_("action"), max_length=64)
    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # {field name: [before, after]} as stored strings; [] for a sensitive field (name only).
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # The door a change came through when it was not a page: "API token <name>". Nullable with
    # no default, so adding it kept the table (and its append-only triggers) on SQLite.
    via = models.CharField(_("via"), max_length=150, null=True, blank=True)  # noqa: DJ001

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        when = timezone.localtime(self.created_at)
        return f"{when:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_text}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit records cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit records cannot be deleted.")


# Human labels for audit actions: the core's here, each stage adds its own (register_actions).
ACTION_LABELS = {
    "created": _("created"),
    "updated": _("updated"),
    "registered": _("registered"),
    "email_verified": _("verified email"),
    "invited": _("invited"),
    "roles_changed": _("changed roles"),
    "deactivated": _("deactivated"),
    "reactivated": _("reactivated"),
    "lead_created": _("made the first programme lead"),
    "representative_invited": _("invited a representative"),
    "representative_added": _("added a representative"),
    "registration_attempted": _("tried to register the company again"),
    "send_failed": _("sending failed"),
    "retry": _("queued again"),
    # IP audit (clinic/services/ipaudit.py, clinic/services/assets.py)
    "questionnaire_imported": _("imported a questionnaire version"),
    "questionnaire_copied": _("copied a questionnaire version"),
    "questionnaire_edited": _("edited a draft questionnaire"),
    "questionnaire_published": _("published a questionnaire version"),
    "questionnaire_discarded": _("discarded a draft questionnaire"),
    "audit_started": _("started the IP audit"),
    "audit_submitted": _("submitted the IP audit"),
    "audit_returned": _("returned the IP audit for correction"),
    "audit_reminder_sent": _("sent an IP audit reminder"),
    "evidence_added": _("added an evidence file"),
    "evidence_removed": _("removed an evidence file"),
    "asset_added": _("added an IP asset"),
    "asset_changed": _("changed an IP asset"),
    "asset_removed": _("removed an IP asset"),
    "assets_imported": _("imported IP assets"),
    # The API (clinic/services/api_tokens.py, clinic/services/webhooks.py)
    "api_token_created": _("created an API token"),
    "api_token_revoked": _("revoked an API token"),
    "webhook_registered": _("registered a webhook"),
    "webhook_deactivated": _("deactivated a webhook"),
}


def register_actions(labels):
    """A stage names its audit actions: {action: lazily translated label}."""
    ACTION_LABELS.update(labels)
