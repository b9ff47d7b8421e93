"""Strategy assessment, action plan, plan PDF versions (generate, poll, retry, sign off,
download), the cohort's plans board and its outcomes, follow-up reports.

Every view scopes its queryset (mentoring.permissions) and answers 404 outside the user's scope;
the services check the rules again.
"""

import uuid

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinic import files
from clinic.services.accounts import NotAllowed
from clinic.spreadsheets import csv_response
from clinic.versioning import save_current
from cohorts.models import Cohort

from .. import permissions
from ..forms_plans import (
    ActionItemForm,
    AssessmentForm,
    FollowUpReportForm,
    GenerateForm,
    ReturnForm,
)
from ..models import ActionItem, Assessment, FollowUpReport, Participation, PlanVersion
from ..services import MentoringError
from ..services import action_plan as plan_service
from ..services import assessment as assessment_service
from ..services import follow_up as follow_up_service
from ..services import plan_versions as version_service
from . import visible_participation


def _assessable(request, pk):
    participation = visible_participation(request, pk)
    if not permissions.can_see_assessment(request.user, participation):
        raise Http404
    return participation


# --- assessment -------------------------------------------------------------------------------


def assessment(request, pk):
    """The assessment page: audit vs expert per dimension, readiness; the lead expert edits and
    submits; an officer returns it with comments."""
    participation = _assessable(request, pk)
    user = request.user
    current = Assessment.objects.filter(participation=participation).first()
    can_write = permissions.can_write_assessment(user, participation)
    if current is None:
        if request.method == "POST" and can_write:
            try:
                assessment_service.start_assessment(user, participation)
            except MentoringError as error:
                messages.error(request, str(error))
            return redirect("mentoring:assessment", pk=participation.pk)
        return render(
            request,
            "mentoring/assessment_start.html",
            {"participation": participation, "can_write": can_write},
        )
    submitting = request.method == "POST" and "submit" in request.POST and can_write
    if submitting and current.state == Assessment.State.SUBMITTED:
        return _assessment_submitted(request, participation)  # a repeated submit
    rows = assessment_service.score_rows(current)
    editable = can_write and current.is_editable
    form = AssessmentForm(
        request.POST if request.method == "POST" and editable else None,
        instance=current,
        rows=rows,
    )
    if request.method == "POST" and editable and form.is_valid():
        try:
            saved = save_current(
                form,
                lambda: assessment_service.save_assessment(
                    user, current, scores=form.scores(), **form.text_fields()
                ),
            )
            if saved and "submit" in request.POST:
                assessment_service.submit_assessment(user, current)
        except MentoringError as error:
            messages.error(request, str(error))
        except NotAllowed as error:
            raise Http404 from error
        else:
            if saved and "submit" in request.POST:
                return _assessment_submitted(request, participation)
            if saved:
                messages.success(request, _("Draft saved."))
        if not form.stale:
            return redirect("mentoring:assessment", pk=participation.pk)
    current.refresh_from_db()
    return render(
        request,
        "mentoring/assessment.html",
        {
            "participation": participation,
            "assessment": current,
            "rows": rows,
            "form": form,
            "editable": editable,
            "readiness": assessment_service.assessment_readiness(current),
            "audit_readiness": assessment_service.readiness(r["audit"] for r in rows),
            "can_return": permissions.can_return_assessment(user, participation)
            and current.state == Assessment.State.SUBMITTED
            and not participation.plan_versions.filter(signed_at__isnull=False).exists(),
            "return_form": ReturnForm(),
            "is_officer": permissions.is_officer(user),
        },
        status=form.status,
    )


def _assessment_submitted(request, participation):
    messages.success(request, _("Assessment submitted. Next: the action plan."))
    return redirect("mentoring:plan", pk=participation.pk)


@require_POST
def assessment_return(request, pk):
    participation = _assessable(request, pk)
    current = get_object_or_404(Assessment, participation=participation)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            assessment_service.return_assessment(
                request.user, current, form.cleaned_data["comment"]
            )
        except MentoringError as error:
            messages.error(request, str(error))
        except NotAllowed as error:
            raise Http404 from error
        else:
            messages.success(request, _("Assessment returned to the lead expert."))
    else:
        messages.error(request, _("Say what should change."))
    return redirect("mentoring:assessment", pk=participation.pk)


# --- action plan ------------------------------------------------------------------------------


def plan(request, pk):
    """Action items by policy or by horizon, suggestions, the PDF versions."""
    participation = _assessable(request, pk)
    user = request.user
    current = get_object_or_404(Assessment, participation=participation)
    items = list(current.actions.all())
    view = "horizon" if request.GET.get("view") == "horizon" else "policy"
    groups = plan_service.by_horizon(items) if view == "horizon" else plan_service.by_policy(items)
    signed = participation.plan_versions.filter(signed_at__isnull=False).exists()
    can_edit = permissions.can_write_assessment(user, participation) and not signed
    versions = list(participation.plan_versions.select_related("requested_by", "signed_by"))
    return render(
        request,
        "mentoring/plan.html",
        {
            "participation": participation,
            "assessment": current,
            "groups": groups,
            "view": view,
            "item_count": len(items),
            "can_edit": can_edit,
            "suggestions": plan_service.suggestions(current) if can_edit else [],
            "versions": versions,
            "can_generate": permissions.can_generate_plan(user, participation)
            and current.state == Assessment.State.SUBMITTED,
            "generate_form": GenerateForm(
                initial={"language": version_service.default_language(participation)}
            ),
            "can_sign": permissions.can_sign_off(user),
            "is_officer": permissions.is_officer(user),
            "horizon_ends": {
                h.value: plan_service.horizon_end(current.assessed_on, h)
                for h in plan_service.Horizon
            },
        },
    )


def _plan_items(request, pk):
    participation = _assessable(request, pk)
    current = get_object_or_404(Assessment, participation=participation)
    if not permissions.can_write_assessment(request.user, participation):
        raise Http404
    return participation, current


def item_form(request, pk, item_pk=None):
    """Add (optionally from a suggestion) or change an action item."""
    participation, current = _plan_items(request, pk)
    item = get_object_or_404(current.actions, pk=item_pk) if item_pk else None
    initial = {"currency": participation.cohort.currency}
    key = request.GET.get("suggestion")
    if item is None and key:
        found = next((s for s in plan_service.suggestions(current) if s.key == key), None)
        if found is not None:
            initial.update(found.initial())
    form = ActionItemForm(request.POST or None, instance=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ActionItemForm.Meta.fields}
        try:
            saved = save_current(
                form,
                lambda: (
                    plan_service.add_item(request.user, current, **values)
                    if item is None
                    else plan_service.change_item(request.user, item, **values)
                ),
            )
        except MentoringError as error:
            form.add_error(None, str(error))
        except NotAllowed as error:
            raise Http404 from error
        else:
            if saved:
                messages.success(request, _("Action saved."))
                return redirect("mentoring:plan", pk=participation.pk)
    return render(
        request,
        "mentoring/action_form.html",
        {
            "participation": participation,
            "assessment": current,
            "form": form,
            "item": item,
            "horizon_ends": [
                (h.label, plan_service.horizon_end(current.assessed_on, h))
                for h in plan_service.Horizon
            ],
        },
        status=form.status,
    )


@require_POST
def item_delete(request, pk, item_pk):
    participation, current = _plan_items(request, pk)
    item = get_object_or_404(current.actions, pk=item_pk)
    try:
        plan_service.delete_item(request.user, item)
    except MentoringError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Action deleted."))
    return redirect("mentoring:plan", pk=participation.pk)


# --- plan versions ----------------------------------------------------------------------------


@require_POST
def generate(request, pk):
    participation = _assessable(request, pk)
    form = GenerateForm(request.POST)
    language = form.cleaned_data["language"] if form.is_valid() else None
    try:
        version = version_service.request_version(request.user, participation, language)
    except MentoringError as error:
        messages.error(request, str(error))
    except NotAllowed as error:
        raise Http404 from error
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
    except MentoringError as error:
        messages.error(request, str(error))
    except NotAllowed as error:
        raise Http404 from error
    if request.htmx:
        return version_status(request, pk)
    return redirect("mentoring:plan", pk=version.participation_id)


@require_POST
def version_sign_off(request, pk):
    version = _version(request, pk)
    if not permissions.can_sign_off(request.user):
        raise Http404
    try:
        version_service.sign_off(request.user, version)
    except MentoringError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Version %(number)d is signed off; the company was notified.")
            % {"number": version.number},
        )
    if request.POST.get("next") == "cohort":
        return redirect("mentoring:cohort_plans", pk=version.participation.cohort_id)
    return redirect("mentoring:plan", pk=version.participation_id)


def version_download(request, pk):
    """The generated (unsigned) PDF: officers and the participant's experts only."""
    version = _version(request, pk)
    if not permissions.can_download_draft(request.user, version) or not version.file:
        raise Http404
    return _serve_plan(request, version, signed=False)


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
        version_service.rerender_lost(version.pk)
    message = _(
        "The stored PDF of version %(number)d was lost or damaged. It is being generated again "
        "from the same content: try again in a minute."
    )
    return files.missing_file_page(request, message % {"number": version.number})


# --- cohort: plans board, generate all, outcomes ------------------------------------------------


def _officer_cohort(request, pk):
    if not permissions.is_officer(request.user):
        raise Http404
    return get_object_or_404(Cohort, pk=pk)


def cohort_plans(request, pk):
    cohort = _officer_cohort(request, pk)
    participations = (
        Participation.objects.filter(cohort=cohort)
        .select_related("company", "assessment")
        .prefetch_related(
            Prefetch(
                "plan_versions",
                queryset=PlanVersion.objects.order_by("-number"),
                to_attr="versions",
            )
        )
        .order_by("company__legal_name")
    )
    rows = []
    for participation in participations:
        versions = participation.versions
        rows.append(
            {
                "participation": participation,
                "assessment": getattr(participation, "assessment", None),
                "latest": versions[0] if versions else None,
                "signed": next((v for v in versions if v.signed_at), None),
            }
        )
    batch = _batch(request)
    return render(
        request,
        "mentoring/cohort_plans.html",
        {
            "cohort": cohort,
            "rows": rows,
            "batch": batch,
            "progress": version_service.batch_progress(cohort, batch) if batch else None,
            "can_sign": permissions.can_sign_off(request.user),
        },
    )


def _batch(request):
    """The ``batch`` query parameter when it is a UUID, else an empty string."""
    try:
        return str(uuid.UUID(request.GET.get("batch", "")))
    except ValueError:
        return ""


@require_POST
def cohort_generate_all(request, pk):
    cohort = _officer_cohort(request, pk)
    batch, count = version_service.generate_all(request.user, cohort)
    if not count:
        messages.warning(request, _("No participant has a submitted assessment yet."))
        return redirect("mentoring:cohort_plans", pk=cohort.pk)
    messages.success(request, _("%(count)d plans are being generated.") % {"count": count})
    return redirect(reverse("mentoring:cohort_plans", args=[cohort.pk]) + f"?batch={batch}")


def cohort_plans_progress(request, pk):
    cohort = _officer_cohort(request, pk)
    batch = _batch(request)
    if not batch:
        raise Http404
    progress = version_service.batch_progress(cohort, batch)
    return render(
        request,
        "mentoring/_batch_progress.html",
        {"cohort": cohort, "batch": batch, "progress": progress},
    )


def cohort_outcomes(request, pk):
    cohort = _officer_cohort(request, pk)
    rows = follow_up_service.cohort_outcomes(cohort)
    return render(
        request,
        "mentoring/cohort_outcomes.html",
        {"cohort": cohort, "rows": rows, "totals": follow_up_service.outcome_totals(rows)},
    )


def cohort_outcomes_csv(request, pk):
    cohort = _officer_cohort(request, pk)
    content = follow_up_service.outcomes_csv(follow_up_service.cohort_outcomes(cohort))
    return csv_response(content, f"outcomes-{cohort.pk}-{timezone.localdate()}.csv")


# --- follow-up reports --------------------------------------------------------------------------


def _report_submitted(request, participation):
    messages.success(request, _("Thank you: your follow-up report is submitted."))
    return redirect("mentoring:participant", pk=participation.pk)


def follow_up_report(request, pk):
    report = get_object_or_404(
        FollowUpReport.objects.filter(
            participation__in=permissions.visible_participations(request.user).values("pk")
        ).select_related("participation__company", "participation__cohort"),
        pk=pk,
    )
    participation = report.participation
    can_fill = report.state == FollowUpReport.State.OPEN and permissions.is_representative_of(
        request.user, participation
    )
    submitted = request.method == "POST" and report.state == FollowUpReport.State.SUBMITTED
    if submitted and permissions.is_representative_of(request.user, participation):
        return _report_submitted(request, participation)  # a repeated submit
    items = follow_up_service.report_items(report)
    form = FollowUpReportForm(
        request.POST if request.method == "POST" and can_fill else None,
        instance=report,
        items=items,
    )
    if request.method == "POST" and can_fill and form.is_valid():
        try:
            follow_up_service.submit_report(
                request.user, report, progress=form.progress(), **form.outcomes()
            )
        except MentoringError as error:
            form.add_error(None, str(error))
        except NotAllowed as error:
            raise Http404 from error
        else:
            return _report_submitted(request, participation)
    return render(
        request,
        "mentoring/follow_up_report.html",
        {
            "participation": participation,
            "report": report,
            "form": form,
            "items": items,
            "can_fill": can_fill,
            "statuses": dict(ActionItem.Status.choices),
        },
    )
