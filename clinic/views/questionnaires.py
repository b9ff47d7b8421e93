"""Questionnaire versions (officers): list, import, copy, edit a draft, publish, download."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import permissions
from ..dimensions import Dimension
from ..forms import whole_number
from ..forms_ipaudit import CopyVersionForm, DraftEditForm, QuestionnaireImportForm
from ..models import QuestionnaireVersion
from ..models.ipaudit import language_key
from ..questionnaire_files import QuestionnaireFileError
from ..services import audit as audit_log
from ..services import questionnaires as service
from ..transitions import Refused
from ..versioning import Edited, save_current
from .ipaudit_shared import question_rows


def _require_manager(request):
    if not permissions.can_manage_questionnaires(request.user):
        raise Http404


def questionnaire_list(request):
    _require_manager(request)
    versions = QuestionnaireVersion.objects.annotate(audit_count=Count("audits")).order_by(
        "-created_at"
    )
    current = service.current_version()
    import_form = QuestionnaireImportForm()
    copy_form = CopyVersionForm()
    problems = []
    if request.method == "POST" and request.POST.get("action") == "import":
        import_form = QuestionnaireImportForm(request.POST, request.FILES)
        if import_form.is_valid():
            uploaded = import_form.cleaned_data["file"]
            try:
                version = service.import_questionnaire(request.user, uploaded.read(), uploaded.name)
            except QuestionnaireFileError as error:
                problems = error.problems
            else:
                messages.success(
                    request,
                    _("Version %(version)s imported as a draft.") % {"version": version.version},
                )
                return redirect("ipaudit:questionnaire", pk=version.pk)
    if request.method == "POST" and request.POST.get("action") == "copy" and current:
        copy_form = CopyVersionForm(request.POST)
        source = current
        source_id = whole_number(request.POST.get("source"))
        if source_id is not None:
            source = get_object_or_404(QuestionnaireVersion, pk=source_id)
        if copy_form.is_valid():
            try:
                version = service.copy_version(
                    request.user, source, copy_form.cleaned_data["version"]
                )
            except QuestionnaireFileError as error:
                copy_form.add_error("version", error.problems)
            else:
                messages.success(request, _("Draft copy made: edit it, then publish it."))
                return redirect("ipaudit:questionnaire", pk=version.pk)
    return render(
        request,
        "clinic/ipaudit/questionnaire_list.html",
        {
            "versions": versions,
            "current": current,
            "import_form": import_form,
            "copy_form": copy_form,
            "problems": problems,
        },
    )


@require_safe
def questionnaire_detail(request, pk):
    _require_manager(request)
    version = get_object_or_404(QuestionnaireVersion, pk=pk)
    language = language_key()
    sections = [
        {
            "dimension": section["dimension"],
            "label": Dimension(section["dimension"]).label,
            "rows": question_rows(version, section["dimension"], {}, {}, language),
        }
        for section in version.sections
    ]
    return render(
        request,
        "clinic/ipaudit/questionnaire_detail.html",
        {
            "version": version,
            "sections": sections,
            "current": service.current_version(),
            "audit_count": version.audits.count(),
            "copy_form": CopyVersionForm(),
            "history": audit_log.history(version)[:20],
        },
    )


def questionnaire_edit(request, pk):
    _require_manager(request)
    version = get_object_or_404(QuestionnaireVersion, pk=pk)
    if version.is_published:
        messages.error(request, _("A published version never changes: copy it to make a new one."))
        return redirect("ipaudit:questionnaire", pk=version.pk)
    form = DraftEditForm(
        request.POST or None,
        initial={"content": service.questionnaire_yaml(version)},
        edited=Edited.row(version, ["version", "title", "content"]),
    )
    problems = []
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["content"]
        try:
            saved = save_current(form, lambda: service.update_draft(request.user, version, content))
        except QuestionnaireFileError as error:
            problems = error.problems
        else:
            if saved:
                messages.success(request, _("Draft saved."))
                return redirect("ipaudit:questionnaire", pk=version.pk)
    return render(
        request,
        "clinic/ipaudit/questionnaire_edit.html",
        {"version": version, "form": form, "problems": problems},
        status=form.status,
    )


@require_POST
def questionnaire_publish(request, pk):
    _require_manager(request)
    version = get_object_or_404(QuestionnaireVersion, pk=pk)
    try:
        service.publish_version(request.user, version)
    except Refused as error:
        messages.error(request, error.shown())
    except QuestionnaireFileError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Version %(version)s is published and is now the current version.")
            % {"version": version.version},
        )
    return redirect("ipaudit:questionnaire", pk=version.pk)


@require_POST
def questionnaire_discard(request, pk):
    _require_manager(request)
    version = get_object_or_404(QuestionnaireVersion, pk=pk)
    try:
        service.discard_draft(request.user, version)
    except Refused as error:
        messages.error(request, error.shown())
        return redirect("ipaudit:questionnaire", pk=version.pk)
    messages.success(request, _("Draft discarded."))
    return redirect("ipaudit:questionnaires")


@require_safe
def questionnaire_download(request, pk):
    _require_manager(request)
    version = get_object_or_404(QuestionnaireVersion, pk=pk)
    response = HttpResponse(
        service.questionnaire_yaml(version), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="questionnaire-{version.pk}.yaml"'
    return response
