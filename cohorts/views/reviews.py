"""Reviewers' list and review form; officers' reviewer assignment and conflicts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clinic.permissions import is_reviewer
from clinic.text_search import matching, natural
from clinic.transitions import Refused

from .. import permissions
from ..forms_reviews import AssignReviewerForm, ConflictForm, ReviewForm
from ..models import Application, Cohort, Conflict, Review
from ..models.cohorts import localized_value
from ..services import reviews
from ..services.rubric import ensure_rubric
from ..transitions import AWAITING_DECISION

REVIEW_PAGE_SIZE = 50


@require_safe
def review_list(request):
    """The reviewer's assigned applications, a page at a time, with progress per cohort over
    all of them; conflicts are declared here.

    Rows come as value dicts and are rendered without a template call per cell.
    """
    if not is_reviewer(request.user):
        raise Http404
    show_all = request.GET.get("all") == "1"
    queryset = permissions.reviews_for(request.user)
    if not show_all:
        queryset = queryset.filter(application__state__in=AWAITING_DECISION)
    progress = (
        queryset.order_by("application__cohort__name")
        .values("application__cohort__name", "application__cohort__name_zh")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(state=Review.State.SUBMITTED)))
    )
    rows = queryset.order_by(
        "application__cohort__name", "state", "application__company__legal_name", "pk"
    ).values(
        "pk",
        "state",
        "abstained",
        "application_id",
        "application__tech_title",
        "application__tech_area",
        "application__company__legal_name",
        "application__cohort__name",
        "application__cohort__name_zh",
        "application__cohort__review_deadline",
    )
    page = Paginator(rows, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    submitted = dict(
        Review.objects.filter(
            application_id__in=[item["application_id"] for item in items],
            state=Review.State.SUBMITTED,
        )
        .values_list("application_id")
        .annotate(n=Count("pk"))
        .values_list("application_id", "n")
    )
    for item in items:
        item["submitted_reviews"] = submitted.get(item["application_id"], 0)
    return render(
        request,
        "cohorts/review_list.html",
        {
            "reviews": items,
            "page": page,
            "body": render_review_rows(request, items),
            "progress": [
                (
                    localized_value(row, "application__cohort__name"),
                    row["done"],
                    row["total"],
                    round(100 * row["done"] / row["total"]),
                )
                for row in progress
            ],
            "show_all": show_all,
        },
    )


def render_review_rows(request, items):
    """The list's table body; every text from users is escaped."""
    from django.middleware.csrf import get_token
    from django.utils import formats
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    from clinic.models import GreenArea

    areas = dict(GreenArea.choices)
    states = {value: escape(label) for value, label in Review.State.choices}
    token = escape(get_token(request))
    review_url = reverse("cohorts:review", args=[0])[:-2]
    words = {
        "view": escape(_("View")),
        "review": escape(_("Review")),
        "abstained": escape(_("abstained")),
        "conflict": escape(_("Conflict of interest")),
        "declare": escape(_("Declare conflict")),
        "reason": escape(_("Why you have a conflict of interest")),
    }
    due = {}
    parts = []
    for item in items:
        pk, state = item["pk"], item["state"]
        deadline = item["application__cohort__review_deadline"]
        if deadline is not None and deadline not in due:
            due[deadline] = escape(
                _("due %(date)s") % {"date": formats.date_format(deadline, "Y-m-d")}
            )
        badge = {"submitted": "text-bg-success", "draft": "text-bg-warning"}.get(
            state, "text-bg-light border"
        )
        submitted = state == Review.State.SUBMITTED
        parts.append(
            f"<tr><td>{escape(item['application__company__legal_name'])}</td>"
            f"<td>{escape(item['application__tech_title'])}"
            f'<div class="small text-muted">'
            f"{escape(areas.get(item['application__tech_area'], ''))}</div></td>"
            f"<td>{escape(localized_value(item, 'application__cohort__name'))}"
            + (f'<div class="small text-muted">{due[deadline]}</div>' if deadline else "")
            + f"</td><td>{item['submitted_reviews']}</td>"
            f'<td><span class="badge {badge}">{states[state]}'
            + (f" · {words['abstained']}" if item["abstained"] else "")
            + "</span></td>"
            f'<td class="text-end text-nowrap"><a class="btn btn-sm '
            f'{"btn-outline-secondary" if submitted else "btn-primary"}" '
            f'href="{review_url}{pk}/">{words["view"] if submitted else words["review"]}</a> '
            f'<button class="btn btn-sm btn-outline-danger" type="button" '
            f'data-bs-toggle="collapse" data-bs-target="#conflict-{pk}">{words["conflict"]}'
            f"</button></td></tr>"
            f'<tr class="collapse" id="conflict-{pk}"><td colspan="6">'
            f'<form method="post" action="{review_url}{pk}/conflict/" '
            f'class="d-flex gap-2 align-items-end">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            f'<div class="flex-grow-1"><label class="form-label small" for="reason-{pk}">'
            f'{words["reason"]}</label><input id="reason-{pk}" name="reason" '
            f'class="form-control form-control-sm"></div>'
            f'<button class="btn btn-sm btn-danger">{words["declare"]}</button></form></td></tr>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or a number


def _own_review(request, pk):
    return get_object_or_404(
        permissions.reviews_for(request.user).select_related(
            "application__company", "application__cohort"
        ),
        pk=pk,
    )


def _after_save(request, review, submit):
    messages.success(request, _("Review submitted.") if submit else _("Draft saved."))
    if "submit_next" in request.POST or "save_next" in request.POST:
        following = reviews.next_review(request.user, exclude=review)
        if following is not None:
            return redirect("cohorts:review", pk=following.pk)
        messages.info(request, _("No other review is waiting for you."))
        return redirect("cohorts:reviews")
    return redirect("cohorts:review", pk=review.pk)


def review_form(request, pk):
    """Score one application: anchors in view, draft, submit, save and next."""
    review = _own_review(request, pk)
    application = review.application
    criteria = ensure_rubric(application.cohort)
    initial = {"comment": review.comment, "abstained": review.abstained}
    initial.update({f"criterion_{s.criterion_id}": s.value for s in review.scores.all()})
    form = ReviewForm(
        request.POST or None, initial=initial, criteria=criteria, language=get_language()
    )
    editable = review.state in Review.OPEN_STATES
    submit = "submit" in request.POST or "submit_next" in request.POST
    # A submit of a submitted review goes to the service too: the same one again (a double
    # click) gets the first one's page, a different one is refused.
    if request.method == "POST" and (editable or submit) and form.is_valid():
        try:
            reviews.save_review(
                request.user,
                review,
                form.values(),
                comment=form.cleaned_data["comment"],
                abstained=form.cleaned_data["abstained"],
                submit=submit,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except Refused as error:
            messages.error(request, error.shown())
            return redirect("cohorts:reviews")
        else:
            return _after_save(request, review, submit)
    others = []
    if permissions.may_see_other_scores(request.user, review):
        others = (
            application.reviews.filter(state=Review.State.SUBMITTED)
            .exclude(pk=review.pk)
            .select_related("reviewer")
            .prefetch_related("scores")
        )
    assigned = permissions.reviews_for(request.user).filter(
        application__cohort_id=application.cohort_id
    )
    return render(
        request,
        "cohorts/review_form.html",
        {
            "review": review,
            "application": application,
            "form": form,
            "editable": editable,
            "criteria": criteria,
            "others": [
                (other, aligned({s.criterion_id: s.value for s in other.scores.all()}, criteria))
                for other in others
            ],
            "done": assigned.filter(state=Review.State.SUBMITTED).count(),
            "total": assigned.count(),
            "conflict_form": ConflictForm(),
        },
    )


@require_POST
def declare_conflict(request, pk):
    review = _own_review(request, pk)
    form = ConflictForm(request.POST)
    form.is_valid()
    try:
        reviews.declare_conflict(request.user, review, form.cleaned_data.get("reason", ""))
    except Refused as error:
        messages.error(request, error.shown())
    else:
        messages.success(
            request,
            _("Conflict recorded: you no longer review this application. Officers were told."),
        )
    return redirect("cohorts:reviews")


def _officer_cohort(request, pk):
    if not permissions.can_manage_reviews(request.user):
        raise Http404
    return get_object_or_404(Cohort, pk=pk)


ASSIGNMENTS_PAGE_SIZE = 25


@require_safe
def assignments(request, pk):
    """Officers: each eligible application with its reviewers; assign by hand or automatically."""
    cohort = _officer_cohort(request, pk)
    apps = (
        cohort.applications.filter(state__in=AWAITING_DECISION)
        .select_related("company")
        .annotate(
            active_reviews=Count("reviews", filter=Q(reviews__state__in=Review.ACTIVE_STATES))
        )
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.exclude(state=Review.State.REMOVED).select_related(
                    "reviewer"
                ),
            )
        )
    )
    query = request.GET.get("q", "").strip()[:100]
    reviewers_found = matching(
        Review.objects.exclude(state=Review.State.REMOVED),
        query,
        ["reviewer__last_name", "reviewer__first_name"],
    )
    apps = matching(
        apps,
        query,
        ["company__legal_name", "company__local_name", "tech_title"],
        order=(natural("company__legal_name"), "pk"),
        also=Q(pk__in=reviewers_found.values("application_id")),
    )
    if request.GET.get("short") == "1":  # fewer active reviewers than the cohort asks for
        apps = apps.filter(active_reviews__lt=cohort.reviewers_per_application)
    page = Paginator(apps, ASSIGNMENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    pool = reviews.reviewer_pool()
    load = dict(
        Review.objects.filter(application__cohort=cohort, state__in=Review.ACTIVE_STATES)
        .values_list("reviewer_id")
        .annotate(n=Count("pk"))
        .values_list("reviewer_id", "n")
    )
    conflicts = Conflict.objects.filter(
        application__cohort=cohort, resolved_at__isnull=True
    ).select_related("reviewer", "company", "application")
    return render(
        request,
        "cohorts/assignments.html",
        {
            "cohort": cohort,
            "applications": page.object_list,
            "page": page,
            "q": query,
            "short": request.GET.get("short") == "1",
            "reviewers": [(reviewer, load.get(reviewer.pk, 0)) for reviewer in pool],
            "form": AssignReviewerForm(reviewers=pool),
            "conflicts": conflicts,
        },
    )


@require_POST
def assign(request, pk):
    if not permissions.can_manage_reviews(request.user):
        raise Http404
    application = get_object_or_404(Application, pk=pk)
    form = AssignReviewerForm(request.POST, reviewers=reviews.reviewer_pool())
    if form.is_valid():
        try:
            reviews.assign_reviewer(request.user, application, form.cleaned_data["reviewer"])
        except Refused as error:
            messages.error(request, error.shown())
        else:
            messages.success(request, _("Reviewer assigned."))
    else:
        messages.error(request, _("Choose a reviewer."))
    return redirect(reverse("cohorts:assignments", args=[application.cohort_id]) + f"#app-{pk}")


@require_POST
def unassign(request, pk):
    if not permissions.can_manage_reviews(request.user):
        raise Http404
    review = get_object_or_404(Review, pk=pk)
    try:
        reviews.unassign_reviewer(request.user, review)
    except Refused as error:
        messages.error(request, error.shown())
    else:
        messages.success(request, _("Reviewer unassigned."))
    return redirect("cohorts:assignments", pk=review.application.cohort_id)


@require_POST
def auto_assign(request, pk):
    cohort = _officer_cohort(request, pk)
    count = reviews.auto_assign(request.user, cohort)
    messages.success(request, _("%(count)s reviews assigned.") % {"count": count})
    return redirect("cohorts:assignments", pk=cohort.pk)


@require_POST
def resolve_conflict(request, pk):
    if not permissions.can_manage_reviews(request.user):
        raise Http404
    conflict = get_object_or_404(Conflict, pk=pk)
    reviews.resolve_conflict(request.user, conflict)
    messages.success(request, _("Conflict marked as handled."))
    cohort_id = conflict.application.cohort_id if conflict.application else None
    return redirect("cohorts:assignments", pk=cohort_id) if cohort_id else redirect("home")


def aligned(values, criteria):
    return [values.get(criterion.pk, "–") for criterion in criteria]
