"""Answering the IP audit: one section page per dimension and the autosave of each answer."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions
from ..dimensions import Dimension
from ..forms import whole_number
from ..forms_ipaudit import (
    EvidenceForm,
)
from ..models import IPAudit
from ..models.ipaudit import language_key
from ..services import evidence as evidence_service
from ..services import ipaudit as service
from ..services import ipaudit_answers
from ..transitions import Refused
from .ipaudit_shared import question_rows, visible_audit, yes_no_choices


def audit_section(request, pk, dimension):
    """One section of the questionnaire. Answers autosave; the Save button is the no-JS path."""
    audit_obj = visible_audit(request, pk)
    version = audit_obj.version
    if version.section(dimension) is None:
        raise Http404
    can_fill = permissions.can_fill_audit(request.user, audit_obj) and audit_obj.is_open
    errors = {}
    if request.method == "POST":
        if not can_fill:
            raise Http404
        for question in version.section(dimension)["questions"]:
            key = question["key"]
            if f"q__{key}" not in request.POST and f"note__{key}" not in request.POST:
                continue
            try:
                service.save_answer(
                    request.user,
                    audit_obj,
                    key,
                    request.POST.get(f"q__{key}", ""),
                    request.POST.get(f"note__{key}"),
                )
            except Refused as error:
                errors[key] = error.shown()
        if not errors:
            messages.success(request, _("Section saved."))
            target = whole_number(request.POST.get("next_section"), maximum=100)
            if target is not None and version.section(target):
                return redirect("ipaudit:section", pk=audit_obj.pk, dimension=target)
            return redirect("ipaudit:section", pk=audit_obj.pk, dimension=dimension)
    rows_queryset = audit_obj.answers.values_list("question_key", "value", "note")
    answers = {key: value for key, value, _note in rows_queryset}
    notes = {key: note for key, _value, note in rows_queryset}
    if errors:
        for key in errors:
            answers[key] = request.POST.get(f"q__{key}", "")
    rows = question_rows(version, dimension, answers, notes, language_key())
    for row in rows:
        row["error"] = errors.get(row["key"], "")
    dimensions = [section["dimension"] for section in version.sections]
    position = dimensions.index(dimension)
    progress = {item.dimension: item for item in ipaudit_answers.progress(version, answers)}
    latest_round = audit_obj.rounds.order_by("-number").first()
    comment = ""
    if audit_obj.state == IPAudit.State.RETURNED and latest_round:
        comment = latest_round.comments.get(str(dimension), "")
    return render(
        request,
        "clinic/ipaudit/audit_section.html",
        {
            "audit": audit_obj,
            "dimension": dimension,
            "dimension_label": Dimension(dimension).label,
            "rows": rows,
            "can_fill": can_fill,
            "previous": dimensions[position - 1] if position > 0 else None,
            "next": dimensions[position + 1] if position + 1 < len(dimensions) else None,
            "progress": progress[dimension],
            "all_progress": [progress[d] for d in dimensions],
            "evidence": audit_obj.evidence.filter(dimension=dimension),
            "evidence_form": EvidenceForm(),
            "yes_no": yes_no_choices(),
            "comment": comment,
            "max_mb": evidence_service.EVIDENCE_MAX_BYTES // (1024 * 1024),
            # Unsent answers in the browser belong to one round: a submission starts a new key.
            "round_count": latest_round.number if latest_round else 0,
        },
    )


@require_POST
def autosave(request, pk):
    """Save one answer sent by static/js/autosave.js; always answers JSON."""
    audit_obj = visible_audit(request, pk)
    key = request.POST.get("question", "")
    note = request.POST.get("note")
    try:
        answer = service.save_answer(request.user, audit_obj, key, request.POST.get("value"), note)
    except Refused as error:
        if error.code == "not_permitted":
            return JsonResponse(
                {"ok": False, "error": _("You cannot change this audit.")}, status=403
            )
        return JsonResponse(
            {"ok": False, "question": key, "error": str(error)}, status=error.status
        )
    question = audit_obj.version.question(key)
    answers = ipaudit_answers.answer_values(audit_obj)
    section = next(
        item
        for item in ipaudit_answers.progress(audit_obj.version, answers)
        if item.dimension == question["dimension"]
    )
    return JsonResponse(
        {
            "ok": True,
            "question": key,
            "value": answer.value,
            "saved_at": timezone.localtime(answer.updated_at).strftime("%H:%M:%S"),
            "section": {
                "dimension": section.dimension,
                "answered": section.answered,
                "total": section.total,
                "percent": section.percent,
                "missing": len(section.required_missing),
            },
        }
    )
