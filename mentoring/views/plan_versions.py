"""Plan PDF versions: generate, poll, retry, sign off, download."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clinic import files
from clinic.transitions import Refused

from .. import permissions
from ..forms_plans import GenerateForm, ReturnPlanForm
from ..models import Assessment
from ..pdf import page_images as pages
from ..services import assessment as assessment_service
from ..services import plan_rendering
from ..services import plan_versions as version_service
from . import assessable_participation


@require_POST
def generate(request, pk):
    participation = assessable_participation(request, pk)
    form = GenerateForm(request.POST)
    language = form.cleaned_data["language"] if form.is_valid() else None
    try:
        version = version_service.request_version(request.user, participation, language)
    except Refused as error:
        messages.error(request, error.shown(hidden=True))
    else:
        messages.success(
            request,
            _("Version %(number)d is being generated.") % {"number": version.number},
        )
    return redirect("mentoring:plan", pk=participation.pk)


def _version(request, pk):
    queryset = permissions.visible_plan_versions(request.user).select_related(
        "participation__company", "participation__cohort", "requested_by", "signed_by"
    )
    return get_object_or_404(queryset, pk=pk)


@require_safe
def version_status(request, pk):
    """The version's row (htmx polls it while the PDF is queued or rendering)."""
    version = _version(request, pk)
    return render(
        request,
        "mentoring/_plan_version.html",
        {
            "version": version,
            "can_generate": permissions.can_generate_plan(request.user, version.participation),
            "can_sign": permissions.can_sign_off(request.user),
            "can_download_draft": permissions.can_download_draft(request.user, version),
        },
    )


@require_POST
def version_retry(request, pk):
    version = _version(request, pk)
    try:
        version_service.retry_version(request.user, version)
    except Refused as error:
        messages.error(request, error.shown(hidden=True))
    if request.htmx:
        return version_status(request, pk)
    return redirect("mentoring:plan", pk=version.participation_id)


def version_sign_off(request, pk):
    """GET: the lead's review page (the version's pages as images, the PDF in a new tab, sign
    off or return to the expert). POST: sign off."""
    version = _version(request, pk)
    if not permissions.can_sign_off(request.user):
        raise Http404
    if request.method != "POST":
        return sign_off_page(request, version, ReturnPlanForm())
    try:
        version_service.sign_off(request.user, version)
    except Refused as error:
        messages.error(request, error.shown())
    else:
        messages.success(
            request,
            _("Version %(number)d is signed off; the company was notified.")
            % {"number": version.number},
        )
    if request.POST.get("next") == "cohort":
        return redirect("mentoring:cohort_plans", pk=version.participation.cohort_id)
    return redirect("mentoring:plan", pk=version.participation_id)


def _draft_content(version):
    """The stored unsigned PDF of ``version`` if it is intact, else None."""
    try:
        return files.stored_bytes(version.file, version.checksum)
    except files.FileMissing:
        return None


def sign_off_page(request, version, form, status=200):
    content = _draft_content(version) if version.state == version.State.READY else None
    count = pages.page_count(content) if content else 0
    assessment = Assessment.objects.filter(participation=version.participation).first()
    context = {
        "version": version,
        "participation": version.participation,
        "pages": range(1, min(count, pages.MAX_PAGES) + 1),
        "more_pages": max(count - pages.MAX_PAGES, 0),
        "lost": version.state == version.State.READY and content is None,
        "form": form,
        "can_return": assessment is not None
        and assessment.state == Assessment.State.SUBMITTED
        and not version.is_signed,
    }
    return render(request, "mentoring/plan_sign_off.html", context, status=status)


@require_safe
def version_page(request, pk, page):
    """Page ``page`` (1-based) of the unsigned PDF as a PNG, for those who may read the draft."""
    version = _version(request, pk)
    if not permissions.can_download_draft(request.user, version):
        raise Http404
    content = _draft_content(version)
    if content is None or page > pages.MAX_PAGES:
        raise Http404
    try:
        image = pages.page_png(content, page - 1)
    except IndexError as error:
        raise Http404 from error
    response = HttpResponse(image, content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
def version_return(request, pk):
    """The lead returns the plan to the expert with comments: the assessment goes back to the
    expert's draft (``assessment.return_assessment``) and the expert is told."""
    version = _version(request, pk)
    if not permissions.can_sign_off(request.user):
        raise Http404
    form = ReturnPlanForm(request.POST)
    if not form.is_valid():
        return sign_off_page(request, version, form, status=400)
    assessment = get_object_or_404(Assessment, participation=version.participation)
    try:
        assessment_service.return_assessment(request.user, assessment, form.cleaned_data["comment"])
    except Refused as error:
        messages.error(request, error.shown())
        return redirect("mentoring:version_sign_off", pk=version.pk)
    messages.success(
        request, _("The plan went back to the expert with your comments; the expert was told.")
    )
    return redirect("mentoring:plan", pk=version.participation_id)


@require_safe
def version_download(request, pk):
    """The generated (unsigned) PDF: officers and the participant's experts only."""
    version = _version(request, pk)
    if not permissions.can_download_draft(request.user, version) or not version.file:
        raise Http404
    return _serve_plan(request, version, signed=False)


@require_safe
def version_signed_download(request, pk):
    """The signed PDF: the SME, its experts, officers and the lead."""
    version = _version(request, pk)
    if not version.is_signed:
        raise Http404
    return _serve_plan(request, version, signed=True)


def _serve_plan(request, version, *, signed):
    """The stored PDF if it is intact; else a clear page, and the version is rendered again."""
    field, checksum = (
        (version.signed_file, version.signed_checksum)
        if signed
        else (version.file, version.checksum)
    )
    try:
        return files.serve_private(
            field,
            filename=version.filename(signed=signed),
            content_type="application/pdf",
            checksum=checksum,
            download=True,
        )
    except files.FileMissing:
        plan_rendering.rerender_lost(version.pk)
    message = _(
        "The stored PDF of version %(number)d was lost or damaged. It is being generated again "
        "from the same content: try again in a minute."
    )
    return files.missing_file_page(request, message % {"number": version.number})
