"""Lost uploads: an uploaded file (evidence, pitch deck) that is gone cannot be made again, so
the programme officers are told once per file."""

from django.contrib.auth import get_user_model
from django.db import transaction

from .. import roles
from ..models import OutboxMessage
from . import audit
from .outbox import queue_message

KIND = "file_missing"


@transaction.atomic
def report_missing_upload(obj, *, file_label, link=""):
    """The stored file ``file_label`` of ``obj`` is gone: tell every active officer, once.

    Side-effects (the first time for ``obj`` only): audit record "file_missing" (system actor);
    mail "file_missing" to every active officer, related to ``obj``. Returns whether it told them.
    """
    label, pk = obj._meta.label_lower, str(obj.pk)
    if OutboxMessage.objects.filter(kind=KIND, related_type=label, related_id=pk).exists():
        return False
    audit.record(obj, KIND, reason=file_label)
    officers = get_user_model().objects.filter(groups__name=roles.OFFICER, is_active=True)
    for officer in officers.distinct().order_by("pk"):
        queue_message(
            officer,
            KIND,
            {"object": str(obj), "file_label": file_label, "link": link},
            related=obj,
        )
    return True
