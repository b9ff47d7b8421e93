"""The first time each application reached each stage of the programme dashboard's funnel, kept
in columns of the application so the funnel counts and its medians read plain columns.

- applied: ``submitted_at`` (the first submission; a resubmission sets ``last_submitted_at``);
- eligible: ``eligible_at``, the first ``confirmed_eligible`` move (its screening time);
- reviewed: ``reviewed_at``, the submission time of the review that gave the application its
  cohort's ``min_reviews``-th submitted review (abstentions count, as submitted reviews);
- selected: ``selected_at``, the first move into selected: a published selection (its decision
  time) or a waitlisted application offered a freed place (the offer's time);
- confirmed: ``confirmed_at``, the ``place_confirmed`` move (its answer time).

The moves write them, inside the service's transaction and beside the move's audit record: the
application machine's moves name the column they stamp (``Move.stamp`` in
cohorts/transitions.py; ``Machine.move`` sets it once, when it is still empty), and the review
service stamps ``reviewed_at`` (``stamp_reviewed``). A later move never overwrites a stamp: an
application withdrawn after screening and confirmed eligible again keeps its first time; a
review that becomes conflicted afterwards leaves ``reviewed_at`` alone. Changing a cohort's
``min_reviews`` computes its applications' ``reviewed_at`` again from their reviews
(``restamp_reviewed``), since "reviewed" is defined by that minimum.

``backfill`` computes every column from the history (the audit log's records and the rows' own
stamps), exactly as the dashboard computed the stages before the columns existed: the earliest
of the first audit record of the stage and the row's own stamp (``screened_at``, ``decided_at``,
``answered_at``) while its state is past the stage; for reviewed, the ``min_reviews``-th
submitted review's time when every submitted review has one. One correction: a waitlisted
application later offered a place counts as selected at the offer (its ``place_offered``
record), not at the waitlist decision's ``decided_at``. The migration that added the columns
runs it, and so do demo data and benchmarks that write history directly.
"""

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import Cast, Coalesce, Least

# The application states past each stage (plain values: ``backfill`` runs in a migration too).
PAST_ELIGIBLE = (
    "eligible",
    "under_review",
    "selected",
    "waitlisted",
    "rejected",
    "confirmed",
    "declined",
    "lapsed",
)
PAST_SELECTED = ("selected", "confirmed", "declined", "lapsed")
PAST_CONFIRMED = ("confirmed",)
SUBMITTED = "submitted"

# stage column -> (the audit records that mark the stage, the row's own stamp, its states)
LOGGED = {
    "eligible_at": (Q(action="confirmed_eligible"), "screened_at", PAST_ELIGIBLE),
    "selected_at": (
        Q(to_state="selected") & ~Q(action__in=("confirmed_eligible", "place_confirmed")),
        "decided_at",
        PAST_SELECTED,
    ),
    "confirmed_at": (Q(action="place_confirmed"), "answered_at", PAST_CONFIRMED),
}


def records(AuditLog, matching):
    """The application's audit records ``matching`` (correlated to the application row)."""
    return AuditLog._default_manager.filter(
        matching,
        object_type="cohorts.application",
        object_id=Cast(OuterRef("pk"), CharField()),
    )


def logged_time(AuditLog, column):
    """The earliest of the application's first audit record of the stage and its own stamp
    while its state is past the stage (None: not reached at a known time)."""
    matching, stamp, states = LOGGED[column]
    logged = Subquery(records(AuditLog, matching).order_by("created_at").values("created_at")[:1])
    own_counts = Q(state__in=states)
    if column == "selected_at":  # the waitlist decision is not the selection of an offered one
        own_counts &= ~Exists(records(AuditLog, Q(action="place_offered")))
    own = Case(When(own_counts, then=F(stamp)), default=None, output_field=DateTimeField())
    return Coalesce(Least(logged, own), logged, own, output_field=DateTimeField())


def reviewed_time(Review):
    """The submission time of the review that brought the application to its cohort's minimum
    of submitted reviews (None when it has fewer, or a submitted review without a time)."""
    submitted = Review._default_manager.filter(state=SUBMITTED)
    up_to = (
        submitted.filter(
            application=OuterRef("application"), submitted_at__lte=OuterRef("submitted_at")
        )
        .order_by()
        .values("application")
        .annotate(count=Count("pk"))
        .values("count")
    )
    unstamped = submitted.filter(submitted_at__isnull=True).values("application_id")
    reaching = (
        submitted.exclude(application__in=unstamped)
        .annotate(up_to=Subquery(up_to))
        .filter(up_to__gte=F("application__cohort__min_reviews"), application=OuterRef("pk"))
        .order_by("submitted_at")
    )
    return Subquery(reaching.values("submitted_at")[:1], output_field=DateTimeField())


def backfill(Application, Review, AuditLog, applications=None):
    """Compute every stage column of ``applications`` (default: all) from the history; one
    UPDATE. The models are parameters so that the migration can pass its historical ones."""
    rows = Application._default_manager.all() if applications is None else applications
    return rows.update(
        eligible_at=logged_time(AuditLog, "eligible_at"),
        reviewed_at=reviewed_time(Review),
        selected_at=logged_time(AuditLog, "selected_at"),
        confirmed_at=logged_time(AuditLog, "confirmed_at"),
    )


def restamp_reviewed(applications):
    """``reviewed_at`` of ``applications`` computed again from their reviews (after a change of
    their cohort's ``min_reviews``); one UPDATE."""
    from ..models import Review

    return applications.update(reviewed_at=reviewed_time(Review))


def stamp_reviewed(application):
    """After a review of ``application`` was submitted (its row locked by the caller): when it
    has no ``reviewed_at`` yet and now has its cohort's minimum of submitted reviews, stamp it
    with the time of the ``min_reviews``-th of them (as ``backfill`` computes it); a stamp
    that another transaction wrote meanwhile stays. Returns whether it stamped."""
    from ..models import Application, Review

    if application.reviewed_at is not None:
        return False
    times = list(
        application.reviews.filter(state=Review.State.SUBMITTED).values_list(
            "submitted_at", flat=True
        )
    )
    minimum = application.cohort.min_reviews
    if None in times or len(times) < minimum:
        return False  # short of the minimum, or its moment unknown (a review without a time)
    first = sorted(times)[minimum - 1]
    if not Application.objects.filter(pk=application.pk, reviewed_at=None).update(
        reviewed_at=first
    ):
        return False
    application.reviewed_at = first
    return True
