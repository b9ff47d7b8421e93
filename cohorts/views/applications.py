"""The call for applications and the SME's applications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clinic import files
from clinic.models import OutboxMessage
from clinic.permissions import is_officer, visible_companies
from clinic.services import audit
from clinic.transitions import Refused
from clinic.versioning import save_current
from clinic.views.files import lost_upload_page

from .. import permissions
from ..forms import ApplicationForm, ApplyForm, WithdrawForm
from ..models import Application, Cohort, EligibilityRule
from ..services import applications
from ..services.rubric import ensure_rubric
from ..transitions import APPLICATION


@login_not_required
@require_safe
def call(request, pk):
    """The public call page: dates, eligibility, what is asked."""
    cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=pk)
    companies = existing = None
    if request.user.is_authenticated:
        companies = applications_companies(request.user)
        existing = {
            app.company_id: app
            for app in Application.objects.filter(cohort=cohort, company__in=companies)
        }
    return render(
        request,
        "cohorts/call.html",
        {
            "cohort": cohort,
            "rules": EligibilityRule.choices,
            "companies": [(c, (existing or {}).get(c.pk)) for c in companies or []],
            "fields": ApplicationForm.base_fields,
        },
    )


def applications_companies(user):
    from clinic.models import Company

    return Company.objects.filter(representatives=user).order_by("legal_name")


MY_APPLICATIONS_PAGE_SIZE = 50


@require_safe
def my_applications(request):
    """The SME's applications with their state, a page at a time, newest first."""
    apps = (
        permissions.own_applications(request.user)
        .select_related("cohort", "company")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(apps, MY_APPLICATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    open_cohorts = [
        c for c in Cohort.objects.order_by("applications_close_at") if c.stage == "open"
    ]
    return render(
        request,
        "cohorts/my_applications.html",
        {"applications": page.object_list, "page": page, "open_cohorts": open_cohorts},
    )


@require_POST
def apply(request, pk):
    """Start a draft for one of the user's companies."""
    cohort = get_object_or_404(Cohort, pk=pk)
    form = ApplyForm(request.POST, companies=applications_companies(request.user))
    if not form.is_valid():
        raise Http404
    try:
        application = applications.create_draft(request.user, cohort, form.cleaned_data["company"])
    except Refused as error:
        messages.error(request, error.shown(hidden=True))
        return redirect("cohorts:call", pk=cohort.pk)
    return redirect("cohorts:application_edit", pk=application.pk)


def _own(request, pk):
    return get_object_or_404(
        permissions.own_applications(request.user).select_related("cohort", "company"), pk=pk
    )


def application_edit(request, pk):
    """Edit a draft (or answer a needs-information request); save or submit."""
    application = _own(request, pk)
    if not application.editable:
        return _not_editable(request, application)
    form = ApplicationForm(request.POST or None, request.FILES or None, instance=application)
    if request.method == "POST":
        if only_the_file_is_wrong(form):
            return _save_without_file(request, form, pk)
        if form.is_valid():
            saved = form.save(commit=False)
            try:
                saved_now = save_current(
                    form, lambda: applications.save_draft(request.user, saved, form.changed_data)
                )
            except Refused as error:
                error.shown()
                return _not_editable(request, _own(request, pk))  # submitted meanwhile
            if not saved_now:
                return edit_page(request, form, application)
            if "submit" not in request.POST:
                messages.success(request, _("Draft saved."))
                return redirect("cohorts:application_edit", pk=application.pk)
            try:
                applications.submit(request.user, saved)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
                messages.error(
                    request,
                    _("Your draft is saved, but it is not complete yet: see the marked fields."),
                )
            except Refused as error:
                messages.error(request, error.shown())
            else:
                return _submitted(request, application)
        else:
            messages.error(request, _("Please correct the marked fields; nothing was saved."))
    return edit_page(request, form, application)


def only_the_file_is_wrong(form):
    """Whether the pitch deck is the one thing refused (the rest can be saved without it)."""
    return not form.is_valid() and set(form.errors) == {"pitch_deck"}


def _save_without_file(request, form, pk):
    """Save every other field of a form whose pitch deck was refused; show the page again with
    the fields as saved and the file's error at the top and at the field (nothing submitted)."""
    problem = form.errors["pitch_deck"]
    rest = ApplicationForm(request.POST, instance=_own(request, pk))
    if not rest.is_valid():
        return edit_page(request, form, form.instance)
    saved = rest.save(commit=False)
    try:
        saved_now = save_current(
            rest, lambda: applications.save_draft(request.user, saved, rest.changed_data)
        )
    except Refused as error:
        error.shown()
        return _not_editable(request, _own(request, pk))
    if not saved_now:
        rest.add_error("pitch_deck", problem)
        return edit_page(request, rest, rest.instance)
    application = _own(request, pk)
    fresh = ApplicationForm(instance=application)  # the saved values, with a new stamp
    fresh.cleaned_data = {}  # an unbound form holds the file's error all the same
    fresh.add_error("pitch_deck", problem)
    messages.error(
        request,
        _("Everything else was saved, but not the pitch deck: %(problem)s")
        % {"problem": " ".join(problem)},
    )
    return edit_page(request, fresh, application)


def edit_page(request, form, application):
    context = {"form": form, "application": application, "cohort": application.cohort}
    return render(request, "cohorts/application_form.html", context, status=form.status)


def _submitted(request, application):
    messages.success(request, _("Your application was submitted. A receipt is on its way."))
    return redirect("cohorts:application", pk=application.pk)


def _not_editable(request, application):
    """A submitted application: a repeated Submit gets the page the first one got."""
    repeat = request.method == "POST" and "submit" in request.POST
    if repeat and application.state == Application.State.SUBMITTED:
        return _submitted(request, application)
    messages.info(request, _("This application can no longer be changed."))
    return redirect("cohorts:application", pk=application.pk)


@require_safe
def application_detail(request, pk):
    """One application, scoped to who may see it."""
    application = get_object_or_404(
        permissions.visible_applications(request.user).select_related(
            "cohort__programme", "company", "screened_by"
        ),
        pk=pk,
    )
    officer = is_officer(request.user)
    own = permissions.represents(request.user, application.company)
    sent = OutboxMessage.objects.none()
    if own or officer:
        sent = OutboxMessage.objects.filter(
            related_type="cohorts.application", related_id=str(application.pk), sensitive=False
        ).order_by("-created_at")
        if not officer:
            sent = sent.filter(recipient=request.user)
    context = {
        "application": application,
        "cohort": application.cohort,
        "own": own,
        "officer": officer,
        "checks": application.eligibility_checks.all() if officer else [],
        "sent": sent[:20],
        "history": audit.history(application)[:50] if officer else [],
        "reviews": review_table(application) if officer else [],
        "criteria": ensure_rubric(application.cohort) if officer else [],
        "withdraw_form": WithdrawForm() if own else None,
        "can_withdraw": own and APPLICATION.allows(application.state, "withdrawn"),
        "can_reopen": own and permissions.can_reopen(request.user, application),
        "company_visible": visible_companies(request.user)
        .filter(pk=application.company_id)
        .exists(),
        "flow_tasks": flow_tasks(application) if officer else [],
        "acceptances": application.terms_acceptances.select_related("accepted_by")
        if officer and application.decided_at
        else [],
    }
    return render(request, "cohorts/application_detail.html", context)


def review_table(application):
    """Officers: each review with its scores in rubric order and its comment."""
    criteria = ensure_rubric(application.cohort)
    rows = []
    for review in (
        application.reviews.exclude(state="removed")
        .select_related("reviewer")
        .prefetch_related("scores")
        .order_by("assigned_at")
    ):
        values = {score.criterion_id: score.value for score in review.scores.all()}
        counted = review.counts
        rows.append((review, [values.get(c.pk, "–") if counted else "–" for c in criteria]))
    return rows


def flow_tasks(application):
    from ..flows import process_of

    process = process_of(application)
    if process is None:
        return []
    return list(process.task_set.select_related("owner").order_by("created"))


@require_POST
def withdraw(request, pk):
    application = _own(request, pk)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        applications.withdraw(request.user, application, form.cleaned_data.get("reason", ""))
    except Refused as error:
        messages.error(request, error.shown())
    else:
        messages.success(request, _("The application is withdrawn."))
    return redirect("cohorts:application", pk=application.pk)


@require_POST
def reopen(request, pk):
    """Back to draft (a withdrawn application while its call is open); a second click edits."""
    application = _own(request, pk)
    try:
        applications.reopen(request.user, application)
    except Refused as error:
        messages.error(request, error.shown())
        return redirect("cohorts:application", pk=application.pk)
    messages.success(request, _("Your application is a draft again: change it and submit it."))
    return redirect("cohorts:application_edit", pk=application.pk)


@require_safe
def pitch_deck(request, pk):
    """Download the pitch deck: only for those who may see the application."""
    application = get_object_or_404(permissions.visible_applications(request.user), pk=pk)
    if not application.pitch_deck:
        raise Http404
    try:
        return files.serve_private(
            application.pitch_deck,
            filename=f"pitch-deck-{application.pk}.pdf",
            content_type="application/pdf",
            download=True,
        )
    except files.FileMissing:
        link = reverse("cohorts:application", args=[application.pk])
        return lost_upload_page(request, application, file_label=_("pitch deck"), link=link)
