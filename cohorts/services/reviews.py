"""Reviewer assignment (by hand and automatic), conflicts of interest, and reviews."""

from collections import Counter, defaultdict
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic import roles, versioning
from clinic.models import User
from clinic.services import audit, outbox
from clinic.transitions import Refused

from .. import permissions
from ..models import Application, Conflict, Review, Score
from ..transitions import APPLICATION, AWAITING_DECISION, REVIEW
from . import flow_events, stage_times, summaries
from .rubric import ensure_rubric

State = Application.State


def reviewer_pool():
    return User.objects.filter(groups__name=roles.REVIEWER, is_active=True).order_by("pk")


def _check_officer(actor):
    if not permissions.can_manage_reviews(actor):
        raise Refused("not_permitted")


def _assign(application, reviewer, actor):
    """Create or reopen the reviewer's review; eligible -> under review on the first one."""
    review, created = Review.objects.get_or_create(
        application=application, reviewer=reviewer, defaults={"assigned_by": actor}
    )
    if not created:
        if review.state in Review.ACTIVE_STATES:
            return review, False
        if review.state == Review.State.CONFLICTED:
            raise Refused("wrong_state", _("This reviewer declared a conflict with this company."))
        review.assigned_by = actor
        REVIEW.move(review, "reviewer_assigned", actor=actor, fields=["assigned_by"])
    else:
        audit.record(review, "reviewer_assigned", actor=actor, to_state=review.state)
    if APPLICATION.allows(application.state, "review_started"):
        APPLICATION.move(application, "review_started", actor=actor)
    return review, True


def _notify_assigned(reviewer, cohort, count):
    outbox.queue_message(
        reviewer, "review_assigned", {"cohort": cohort, "count": count}, related=cohort
    )


@transaction.atomic
def assign_reviewer(actor, application, reviewer):
    """Assign one reviewer by hand.

    Checks: officer; application eligible or under review; the user is an active reviewer and
    not conflicted (a representative of the company or a declared conflict).
    Side-effects: review row (assigned); application eligible -> under_review on the first
    one; audit records; notification to the reviewer.
    """
    _check_officer(actor)
    application = APPLICATION.lock(application)
    if application.state not in AWAITING_DECISION:
        raise Refused("wrong_state", _("Only eligible applications can be reviewed."))
    if not reviewer_pool().filter(pk=reviewer.pk).exists():
        raise Refused("invalid", _("This person is not a reviewer."))
    if permissions.is_conflicted(reviewer, application.company):
        raise Refused(
            "wrong_state", _("This reviewer has a conflict of interest with this company.")
        )
    review, created = _assign(application, reviewer, actor)
    summaries.renew(application)
    if created:
        _notify_assigned(reviewer, application.cohort, 1)
    return review


@transaction.atomic
def unassign_reviewer(actor, review):
    """Take an open review away from a reviewer.

    Checks: officer; the review is not submitted. Side-effects: state -> removed; audit record.
    """
    _check_officer(actor)
    review = REVIEW.lock(review)
    if not REVIEW.allows(review.state, "reviewer_unassigned"):
        raise Refused("wrong_state", _("A submitted review cannot be unassigned."))
    REVIEW.move(review, "reviewer_unassigned", actor=actor)
    summaries.renew(review.application)
    return review


def plan_assignments(applications, reviewers, per_application, existing, conflicted, load):
    """Pick reviewers: fewest-reviewed applications first, least-loaded reviewers first.

    ``existing``: application id -> set of reviewer ids already on it (any state, so a removed
    or conflicted reviewer is not picked again); ``conflicted``: application id -> reviewer ids
    that may never review it; ``load``: reviewer id -> active reviews in the cohort (updated).
    Returns [(application, reviewer)].
    """
    plan = []
    active_counts = {app.pk: app.active_reviews for app in applications}
    for application in sorted(applications, key=lambda a: (active_counts[a.pk], a.pk)):
        needed = per_application - active_counts[application.pk]
        if needed <= 0:
            continue
        blocked = existing.get(application.pk, set()) | conflicted.get(application.pk, set())
        # Least-loaded first; ties broken per application so reviewers do not always meet
        # the same colleagues.
        candidates = sorted(
            (r for r in reviewers if r.pk not in blocked),
            key=lambda r, app=application.pk: (
                load[r.pk],
                (r.pk * 7919 + app * 104729) % 997,
                r.pk,
            ),
        )
        for reviewer in candidates[:needed]:
            plan.append((application, reviewer))
            load[reviewer.pk] += 1
    return plan


@transaction.atomic
def auto_assign(actor, cohort):
    """Give every eligible application of the cohort reviewers up to the cohort's number.

    Checks: officer. Balanced: each pick goes to the least-loaded reviewer; never a conflicted
    one. The cohort row is locked first, so a second run at the same time waits and then finds
    nothing left to do (no second notification, no second audit record).
    Side-effects: as ``assign_reviewer`` for each new review; one notification per reviewer
    with the count. Returns the number of reviews created.
    """
    _check_officer(actor)
    cohort = versioning.lock(cohort)
    applications = list(
        cohort.applications.filter(state__in=AWAITING_DECISION)
        .select_related("company")
        .annotate(
            active_reviews=Count("reviews", filter=Q(reviews__state__in=Review.ACTIVE_STATES))
        )
    )
    reviewers = list(reviewer_pool())
    existing = defaultdict(set)
    for application_id, reviewer_id in Review.objects.filter(
        application__cohort=cohort
    ).values_list("application_id", "reviewer_id"):
        existing[application_id].add(reviewer_id)
    by_company = defaultdict(set)
    for company_id, user_id in Conflict.objects.filter(
        company__applications__cohort=cohort
    ).values_list("company_id", "reviewer_id"):
        by_company[company_id].add(user_id)
    through = User.companies.through
    for company_id, user_id in through.objects.filter(
        company__applications__cohort=cohort
    ).values_list("company_id", "user_id"):
        by_company[company_id].add(user_id)
    conflicted = {app.pk: by_company[app.company_id] for app in applications}
    load = Counter(
        dict(
            Review.objects.filter(application__cohort=cohort, state__in=Review.ACTIVE_STATES)
            .values_list("reviewer_id")
            .annotate(n=Count("pk"))
            .values_list("reviewer_id", "n")
        )
    )
    for reviewer in reviewers:
        load.setdefault(reviewer.pk, 0)
    plan = plan_assignments(
        applications, reviewers, cohort.reviewers_per_application, existing, conflicted, load
    )
    per_reviewer = Counter()
    for application, reviewer in plan:
        if _assign(application, reviewer, actor)[1]:
            per_reviewer[reviewer] += 1
    summaries.renew(*(application for application, _reviewer in plan))
    for reviewer, count in per_reviewer.items():
        _notify_assigned(reviewer, cohort, count)
    created = sum(per_reviewer.values())
    if created:
        audit.record(cohort, "reviewers_auto_assigned", actor=actor, reason=str(created))
    return created


@transaction.atomic
def declare_conflict(actor, review, reason=""):
    """A reviewer declares a conflict of interest with the application's company.

    Checks: the review is the actor's and not already conflicted or removed.
    Side-effects: conflict row; review -> conflicted (a submitted review no longer counts); audit
    record; every officer is asked to assign a replacement (message and a My tasks to-do).
    """
    review = REVIEW.lock(review)
    if review.reviewer_id != actor.pk:
        raise Refused("not_permitted")
    if not REVIEW.allows(review.state, "conflict_declared"):
        raise Refused("wrong_state", _("You are no longer assigned to this application."))
    application = review.application
    Conflict.objects.get_or_create(
        reviewer=actor,
        company=application.company,
        defaults={"application": application, "reason": reason},
    )
    REVIEW.move(review, "conflict_declared", actor=actor, reason=reason)  # officers told
    summaries.renew(application)
    return review


@transaction.atomic
def resolve_conflict(actor, conflict):
    """An officer marks a conflict handled (a replacement was assigned or none is needed).

    Side-effects: resolved time; audit record. Resolving it again changes nothing.
    """
    _check_officer(actor)
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.resolved_at is not None:
        return conflict
    conflict.resolved_at = timezone.now()
    conflict.save(update_fields=["resolved_at"])
    audit.record(conflict, "conflict_resolved", actor=actor)
    return conflict


def validate_scores(criteria, values):
    """``values``: criterion id -> int or None. Errors name the criterion."""
    errors = {}
    for criterion in criteria:
        value = values.get(criterion.pk)
        if value is not None and not (1 <= value <= 5):
            errors[f"criterion_{criterion.pk}"] = _("Choose a score from 1 to 5.")
    return errors


@transaction.atomic
def save_review(actor, review, values, comment="", abstained=False, submit=False):
    """Save a reviewer's scores as a draft, or submit them.

    ``values``: criterion id -> score 1-5 (or None while a draft).
    Checks: the review is the actor's and open (assigned or draft); scores 1-5; on submit every
    criterion scored unless abstaining.
    Side-effects: scores replaced; state -> draft or submitted (submitted_at); audit record on
    submit; when the application reaches the cohort's minimum of submitted reviews the first
    time, its ``reviewed_at`` (services/stage_times.py); when it reaches the minimum of counting
    reviews, the flow's wait for reviews is completed. Submitting the same review again changes
    nothing.
    """
    review = REVIEW.lock(review)
    if review.reviewer_id != actor.pk:
        raise Refused("not_permitted")
    if submit and _is_repeated_submit(review, values, comment, abstained):
        return review
    if review.state not in Review.OPEN_STATES:
        raise Refused("wrong_state", _("This review has already been submitted or closed."))
    application = review.application
    if application.state not in AWAITING_DECISION:
        raise Refused("wrong_state", _("This application is no longer under review."))
    criteria = ensure_rubric(application.cohort)
    errors = validate_scores(criteria, values)
    if submit and not abstained:
        for criterion in criteria:
            if values.get(criterion.pk) is None:
                errors.setdefault(f"criterion_{criterion.pk}", _("Score this criterion."))
    if errors:
        raise ValidationError(errors)
    review.scores.all().delete()
    if not abstained:
        Score.objects.bulk_create(
            Score(review=review, criterion=c, value=values[c.pk])
            for c in criteria
            if values.get(c.pk) is not None
        )
    review.comment = comment
    review.abstained = abstained
    if not submit:
        if REVIEW.allows(review.state, "review_drafted"):
            REVIEW.move(review, "review_drafted", actor=actor, fields=["comment", "abstained"])
        else:
            review.save(update_fields=["comment", "abstained"])
        summaries.renew(application)
        return review
    review.submitted_at = timezone.now()
    REVIEW.move(
        review,
        "review_abstained" if abstained else "review_submitted",
        actor=actor,
        fields=["comment", "abstained", "submitted_at"],
    )
    summaries.renew(application)
    # after ``renew``, which locked the application row: of two last reviews submitted at
    # once, the second sees the first
    stage_times.stamp_reviewed(application)
    counting = application.reviews.filter(**Review.COUNTING).count()
    if counting >= application.cohort.min_reviews:
        flow_events().reviews_done(application)
    return review


def _is_repeated_submit(review, values, comment, abstained):
    """The locked review was submitted with exactly this content (a double click)."""
    if review.state != Review.State.SUBMITTED:
        return False
    stored = {score.criterion_id: score.value for score in review.scores.all()}
    posted = {} if abstained else {key: v for key, v in values.items() if v is not None}
    return (stored, review.comment, review.abstained) == (posted, comment, abstained)


def next_review(reviewer, cohort=None, exclude=None):
    """The reviewer's open review whose application has the fewest submitted reviews."""
    reviews = Review.objects.filter(reviewer=reviewer, state__in=Review.OPEN_STATES).filter(
        application__state__in=AWAITING_DECISION
    )
    if cohort is not None:
        reviews = reviews.filter(application__cohort=cohort)
    if exclude is not None:
        reviews = reviews.exclude(pk=exclude.pk)
    return (
        reviews.annotate(
            done=Count(
                "application__reviews",
                filter=Q(application__reviews__state=Review.State.SUBMITTED),
            )
        )
        .order_by("done", "application__submitted_at", "pk")
        .first()
    )


def send_review_reminders(now=None):
    """Remind reviewers of open reviews the cohort's reminder lead time before the deadline.

    Idempotent: a review is reminded once. Side-effects: one message per reviewer and cohort;
    reminded_at set. Returns the number of reviewers reminded.
    """
    now = now or timezone.now()
    due = (
        Review.objects.filter(
            state__in=Review.OPEN_STATES,
            reminded_at__isnull=True,
            application__state__in=AWAITING_DECISION,
            application__cohort__review_deadline__gt=now,
        )
        .select_related("reviewer", "application__cohort")
        .order_by("pk")
    )
    groups = defaultdict(list)
    for review in due:
        cohort = review.application.cohort
        if cohort.review_deadline - timedelta(days=cohort.reminder_lead_days) <= now:
            groups[(review.reviewer, cohort)].append(review)
    for (reviewer, cohort), reviews in groups.items():
        with transaction.atomic():
            outbox.queue_message(
                reviewer,
                "review_reminder",
                {"cohort": cohort, "count": len(reviews), "deadline": cohort.review_deadline},
                related=cohort,
            )
            Review.objects.filter(pk__in=[r.pk for r in reviews]).update(reminded_at=now)
    return len(groups)
