"""Evidence files attached to a section of an open IP audit: checked, stored and removed."""

import filetype
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Evidence
from ..transitions import Refused
from . import audit
from .ipaudit import check_filler

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_PER_AUDIT = 50
EVIDENCE_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.oasis.opendocument.text": "OpenDocument",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument",
}


def check_evidence_file(uploaded):
    """The content type of an acceptable evidence file, or Refused saying why not."""
    if uploaded.size > EVIDENCE_MAX_BYTES:
        message = _("The file is larger than %(limit)d MB.")
        raise Refused("invalid", message % {"limit": EVIDENCE_MAX_BYTES // (1024 * 1024)})
    if uploaded.size == 0:
        raise Refused("invalid", _("The file is empty."))
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in EVIDENCE_TYPES:
        raise Refused(
            "wrong_state",
            _("Upload a PDF, PNG or JPEG image, or an office document (Word, Excel, PowerPoint)."),
        )
    return kind.mime


@transaction.atomic
def add_evidence(actor, audit_obj, dimension, uploaded, description=""):
    """A representative attaches an evidence file to a section of an open audit.

    The type is checked from the content, the size is capped; the file is stored under MEDIA_ROOT
    with a random name and served only through the permission-checking download view.
    Side-effects: Evidence row and stored file; audit record.
    """
    check_filler(actor, audit_obj)
    if audit_obj.version.section(dimension) is None:
        raise Refused("invalid", _("Unknown section."))
    if audit_obj.evidence.count() >= EVIDENCE_PER_AUDIT:
        message = _("An audit can have at most %(limit)d files.")
        raise Refused("invalid", message % {"limit": EVIDENCE_PER_AUDIT})
    content_type = check_evidence_file(uploaded)
    name = (uploaded.name or "evidence").replace("/", "_").replace("\\", "_")[-200:]
    evidence = Evidence.objects.create(
        audit=audit_obj,
        dimension=dimension,
        file=uploaded,
        original_name=name,
        content_type=content_type,
        size=uploaded.size,
        description=(description or "").strip()[:200],
        uploaded_by=actor,
    )
    audit.record(audit_obj, "evidence_added", actor=actor, reason=name)
    return evidence


@transaction.atomic
def remove_evidence(actor, evidence):
    """A representative removes an evidence file from an open audit.

    Side-effects: row deleted and the stored file removed after commit; audit record.
    """
    audit_obj = evidence.audit
    check_filler(actor, audit_obj)
    evidence = type(evidence).objects.select_for_update().filter(pk=evidence.pk).first()
    if evidence is None:
        return  # removed already (a double click): nothing again
    evidence.delete()  # the file is removed after commit (models.ipaudit.remove_evidence_file)
    audit.record(audit_obj, "evidence_removed", actor=actor, reason=evidence.original_name)
