"""IP audit pages: the SME fills in section by section (autosave), submits, sees its scores;
officers read audits, return them with comments, and manage questionnaire versions."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import files, permissions
from ..dimensions import Dimension, traffic_light
from ..forms import search_text, whole_number
from ..forms_ipaudit import (
    EvidenceForm,
    ReturnAuditForm,
)
from ..models import AuditRound, Evidence, IPAsset, IPAudit
from ..models.ipaudit import language_key, localized
from ..services import audit as audit_log
from ..services import evidence as evidence_service
from ..services import ipaudit as service
from ..services.accounts import NotAllowed
from ..services.assets import renewal_warnings

YES_NO_LABELS = {
    "yes": gettext_lazy("Yes"),
    "partly": gettext_lazy("Partly"),
    "no": gettext_lazy("No"),
    service.NOT_SURE: gettext_lazy("Not sure"),
}


QUESTION_TYPE_LABELS = {
    "yes_no": gettext_lazy("yes / partly / no / not sure"),
    "maturity": gettext_lazy("maturity 0–4"),
    "number": gettext_lazy("number"),
    "text": gettext_lazy("short text"),
}


def yes_no_choices():
    return list(YES_NO_LABELS.items())


def visible_audit(request, pk):
    queryset = permissions.visible_audits(request.user).select_related("company", "version")
    return get_object_or_404(queryset, pk=pk)


def audit_list(request):
    """Officers: every audit with a state filter. Representatives: their company's audits."""
    audits = permissions.visible_audits(request.user).select_related("company", "version")
    if not permissions.is_officer(request.user):
        own = list(audits[:2])
        if len(own) == 1:
            return redirect("ipaudit:detail", pk=own[0].pk)
        if not own:
            return render(request, "clinic/ipaudit/audit_none.html")
    state = request.GET.get("state", "")
    if state in IPAudit.State.values:
        audits = audits.filter(state=state)
    query = search_text(request.GET.get("q"))
    if query:
        audits = audits.filter(company__legal_name__icontains=query)
    audits = audits.annotate(round_count=Count("rounds")).order_by("company__legal_name", "-pk")
    page = Paginator(audits, 25).get_page(request.GET.get("page"))
    for audit_obj in page:
        audit_obj.score_cells = score_cells(audit_obj.version, audit_obj.scores)
    return render(
        request,
        "clinic/ipaudit/audit_list.html",
        {"page": page, "states": IPAudit.State.choices, "state": state, "query": query},
    )


def score_cells(version, scores):
    cells = []
    for section in version.sections:
        entry = (scores or {}).get(str(section["dimension"]), {})
        score = entry.get("score")
        cells.append(
            {
                "dimension": section["dimension"],
                "label": Dimension(section["dimension"]).label,
                "score": score,
                "light": traffic_light(score),
                "scored": entry.get("scored", 0),
                "not_sure": entry.get("not_sure", 0),
                "scorable": entry.get("scorable", 0),
                "percent": round(100 * score / 4) if score is not None else 0,
            }
        )
    return cells


def audit_detail(request, pk):
    audit_obj = visible_audit(request, pk)
    answers = service.answer_values(audit_obj)
    sections = service.progress(audit_obj.version, answers)
    scores = score_cells(audit_obj.version, audit_obj.scores) if audit_obj.scores else []
    scores_by_dimension = {cell["dimension"]: cell for cell in scores}
    rounds = list(
        audit_obj.rounds.select_related("submitted_by", "returned_by").order_by("-number")
    )
    returned_round = rounds[0] if audit_obj.state == IPAudit.State.RETURNED and rounds else None
    comments = dict(returned_round.section_comments()) if returned_round else {}
    evidence_by_section = dict(
        audit_obj.evidence.values_list("dimension").annotate(count=Count("pk")).order_by()
    )
    for item in sections:
        item.score = scores_by_dimension.get(item.dimension)
        item.comment = comments.get(item.dimension, "")
        item.evidence = evidence_by_section.get(item.dimension, 0)
    evidence_count = sum(evidence_by_section.values())
    assets = list(audit_obj.company.ip_assets.all())
    can_fill = permissions.can_fill_audit(request.user, audit_obj) and audit_obj.is_open
    return render(
        request,
        "clinic/ipaudit/audit_detail.html",
        {
            "audit": audit_obj,
            "sections": sections,
            "scores": scores,
            "rounds": rounds,
            "returned_round": returned_round,
            "can_fill": can_fill,
            "can_return": permissions.can_return_audit(request.user, audit_obj)
            and audit_obj.state == IPAudit.State.SUBMITTED,
            "missing_count": sum(len(item.required_missing) for item in sections),
            "answered": sum(item.answered for item in sections),
            "total": sum(item.total for item in sections),
            "evidence_count": evidence_count,
            "asset_count": len(assets),
            "renewals": renewal_warnings(assets),
            "history": audit_log.history(audit_obj)[:30],
        },
    )


def question_rows(version, dimension, answers, notes, language):
    rows = []
    for question in version.section(dimension)["questions"]:
        levels = [
            {"value": str(index), "text": localized(level, language)}
            for index, level in enumerate(question.get("levels") or [])
        ]
        rows.append(
            {
                "key": question["key"],
                "type": question["type"],
                "type_label": QUESTION_TYPE_LABELS.get(question["type"], question["type"]),
                "required": question["required"],
                "text": localized(question["text"], language),
                "help": localized(question.get("help") or {}, language),
                "levels": levels,
                "value": answers.get(question["key"], ""),
                "note": notes.get(question["key"], ""),
            }
        )
    return rows


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
            except service.AuditError as error:
                errors[key] = str(error)
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
    progress = {item.dimension: item for item in service.progress(version, answers)}
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
    except NotAllowed:
        return JsonResponse({"ok": False, "error": _("You cannot change this audit.")}, status=403)
    except service.AuditError as error:
        status = 409 if not audit_obj.is_open else 400
        return JsonResponse({"ok": False, "question": key, "error": str(error)}, status=status)
    question = audit_obj.version.question(key)
    answers = service.answer_values(audit_obj)
    section = next(
        item
        for item in service.progress(audit_obj.version, answers)
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
        except service.AuditError as error:
            messages.error(request, str(error))
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


def evidence_download(request, pk):
    """Serve an evidence file to people who may see its audit (private: never a static URL)."""
    evidence = visible_evidence(request, pk)
    try:
        return files.serve_private(
            evidence.file, filename=evidence.original_name, content_type=evidence.content_type
        )
    except files.FileMissing:
        link = reverse("ipaudit:section", args=[evidence.audit_id, evidence.dimension])
        return files.lost_upload_page(
            request, evidence, file_label=evidence.original_name, link=link
        )


@require_POST
def evidence_delete(request, pk):
    evidence = visible_evidence(request, pk)
    try:
        evidence_service.remove_evidence(request.user, evidence)
    except NotAllowed as error:
        raise Http404 from error
    except service.AuditError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("File removed."))
    return redirect("ipaudit:section", pk=evidence.audit_id, dimension=evidence.dimension)


def audit_submit(request, pk):
    """Confirm and submit; lists the required questions still unanswered."""
    audit_obj = visible_audit(request, pk)
    if not permissions.can_fill_audit(request.user, audit_obj):
        raise Http404
    answers = service.answer_values(audit_obj)
    missing = service.missing_required(audit_obj.version, answers)
    # A submitted audit goes to the service too: a repeated submit gets the first one's page.
    if request.method == "POST" and (
        audit_obj.is_open or audit_obj.state == audit_obj.State.SUBMITTED
    ):
        try:
            service.submit_audit(request.user, audit_obj)
        except service.IncompleteAudit as error:
            missing = error.missing
            messages.error(request, str(error))
        except service.AuditError as error:
            messages.error(request, str(error))
            return redirect("ipaudit:detail", pk=audit_obj.pk)
        else:
            messages.success(request, _("Thank you: the IP audit is submitted."))
            return redirect("ipaudit:detail", pk=audit_obj.pk)
    language = language_key()
    missing_sections = {}
    for question in missing:
        dimension = question["dimension"]
        section = missing_sections.setdefault(
            dimension,
            {"dimension": dimension, "label": Dimension(dimension).label, "questions": []},
        )
        section["questions"].append(localized(question["text"], language))
    return render(
        request,
        "clinic/ipaudit/audit_submit.html",
        {"audit": audit_obj, "missing": missing, "missing_sections": missing_sections.values()},
    )


def audit_return(request, pk):
    audit_obj = visible_audit(request, pk)
    if not permissions.can_return_audit(request.user, audit_obj):
        raise Http404
    dimensions = [section["dimension"] for section in audit_obj.version.sections]
    form = ReturnAuditForm(request.POST or None, dimensions=dimensions)
    if request.method == "POST" and form.is_valid():
        try:
            service.return_audit(
                request.user, audit_obj, form.comments(), form.cleaned_data["note"]
            )
        except service.AuditError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The audit was returned to the company for correction."))
            return redirect("ipaudit:detail", pk=audit_obj.pk)
    return render(request, "clinic/ipaudit/audit_return.html", {"audit": audit_obj, "form": form})


def audit_round(request, pk, number):
    """The answers of one submitted round, read-only."""
    audit_obj = visible_audit(request, pk)
    round_obj = get_object_or_404(AuditRound, audit=audit_obj, number=number)
    language = language_key()
    values = round_obj.answers.get("values", {})
    notes = round_obj.answers.get("notes", {})
    sections = []
    for section in audit_obj.version.sections:
        rows = question_rows(audit_obj.version, section["dimension"], values, notes, language)
        for row in rows:
            row["display"] = display_value(row)
        sections.append(
            {
                "dimension": section["dimension"],
                "label": Dimension(section["dimension"]).label,
                "rows": rows,
                "comment": round_obj.comments.get(str(section["dimension"]), ""),
            }
        )
    return render(
        request,
        "clinic/ipaudit/audit_round.html",
        {
            "audit": audit_obj,
            "round": round_obj,
            "sections": sections,
            "scores": score_cells(audit_obj.version, round_obj.scores),
            "assets": [
                {
                    **item,
                    "type_label": IPAsset.Type(item["asset_type"]).label,
                    "status_label": IPAsset.Status(item["status"]).label,
                }
                for item in round_obj.answers.get("assets", [])
            ],
        },
    )


def display_value(row):
    value = row["value"]
    if not value:
        return ""
    if row["type"] == "yes_no":
        return YES_NO_LABELS.get(value, value)
    if row["type"] == "maturity":
        if value == service.NOT_SURE:
            return _("Not sure")
        level = int(value)
        text = row["levels"][level]["text"] if level < len(row["levels"]) else ""
        return f"{level} – {text}"
    return value
