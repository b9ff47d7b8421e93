"""Evidence files of an IP audit: upload, download (permission checked) and delete."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import files, permissions
from ..forms_ipaudit import (
    EvidenceForm,
)
from ..models import Evidence
from ..services import evidence as evidence_service
from ..transitions import Refused
from .files import lost_upload_page
from .ipaudit_shared import visible_audit


@require_POST
def evidence_upload(request, pk, dimension):
    audit_obj = visible_audit(request, pk)
    if not permissions.can_fill_audit(request.user, audit_obj):
        raise Http404
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence_service.add_evidence(
                request.user,
                audit_obj,
                dimension,
                form.cleaned_data["file"],
                form.cleaned_data["description"],
            )
        except Refused as error:
            messages.error(request, error.shown())
        else:
            messages.success(request, _("File attached."))
    else:
        messages.error(request, _("Choose a file to upload."))
    return redirect("ipaudit:section", pk=audit_obj.pk, dimension=dimension)


def visible_evidence(request, pk):
    evidence = get_object_or_404(Evidence.objects.select_related("audit"), pk=pk)
    if not permissions.visible_audits(request.user).filter(pk=evidence.audit_id).exists():
        raise Http404
    return evidence


@require_safe
def evidence_download(request, pk):
    """Serve an evidence file to people who may see its audit (private: never a static URL)."""
    evidence = visible_evidence(request, pk)
    try:
        return files.serve_private(
            evidence.file, filename=evidence.original_name, content_type=evidence.content_type
        )
    except files.FileMissing:
        link = reverse("ipaudit:section", args=[evidence.audit_id, evidence.dimension])
        return lost_upload_page(request, evidence, file_label=evidence.original_name, link=link)


@require_POST
def evidence_delete(request, pk):
    evidence = visible_evidence(request, pk)
    try:
        evidence_service.remove_evidence(request.user, evidence)
    except Refused as error:
        messages.error(request, error.shown(hidden=True))
    else:
        messages.success(request, _("File removed."))
    return redirect("ipaudit:section", pk=evidence.audit_id, dimension=evidence.dimension)
