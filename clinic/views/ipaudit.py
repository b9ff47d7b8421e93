"""IP audit pages: the list, an audit with its scores, submit, return with comments and the
earlier rounds (answering: ipaudit_sections, evidence: evidence)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import permissions
from ..dimensions import Dimension
from ..forms import search_text
from ..forms_ipaudit import (
    ReturnAuditForm,
)
from ..models import AuditRound, IPAsset, IPAudit
from ..models.ipaudit import language_key, localized
from ..services import audit as audit_log
from ..services import ipaudit as service
from ..services import ipaudit_answers
from ..services.assets import renewal_warnings
from ..text_search import matching, natural
from ..transitions import Refused
from .ipaudit_shared import display_value, question_rows, score_cells, visible_audit


@require_safe
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
    audits = matching(
        audits.annotate(round_count=Count("rounds")),
        query,
        ["company__legal_name", "company__local_name"],
        order=(natural("company__legal_name"), "-pk"),
    )
    page = Paginator(audits, 25).get_page(request.GET.get("page"))
    for audit_obj in page:
        audit_obj.score_cells = score_cells(audit_obj.version, audit_obj.scores)
    return render(
        request,
        "clinic/ipaudit/audit_list.html",
        {"page": page, "states": IPAudit.State.choices, "state": state, "query": query},
    )


@require_safe
def audit_detail(request, pk):
    audit_obj = visible_audit(request, pk)
    answers = ipaudit_answers.answer_values(audit_obj)
    sections = ipaudit_answers.progress(audit_obj.version, answers)
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


def audit_submit(request, pk):
    """Confirm and submit; lists the required questions still unanswered."""
    audit_obj = visible_audit(request, pk)
    if not permissions.can_fill_audit(request.user, audit_obj):
        raise Http404
    answers = ipaudit_answers.answer_values(audit_obj)
    missing = ipaudit_answers.missing_required(audit_obj.version, answers)
    # A submitted audit goes to the service too: a repeated submit gets the first one's page.
    if request.method == "POST" and (
        audit_obj.is_open or audit_obj.state == audit_obj.State.SUBMITTED
    ):
        try:
            service.submit_audit(request.user, audit_obj)
        except Refused as error:
            if "missing" not in error.details:
                messages.error(request, error.shown())
                return redirect("ipaudit:detail", pk=audit_obj.pk)
            missing = error.details["missing"]
            messages.error(request, error.message)
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
        except Refused as error:
            form.add_error(None, error.shown())
        else:
            messages.success(request, _("The audit was returned to the company for correction."))
            return redirect("ipaudit:detail", pk=audit_obj.pk)
    return render(request, "clinic/ipaudit/audit_return.html", {"audit": audit_obj, "form": form})


@require_safe
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
