"""The programme dashboard: funnel, composition, reviewers, experts and overdue work, each as
a chart, a table and CSV; for officers and the lead only; a fixed number of queries."""

from datetime import timedelta
from statistics import median

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic import roles
from clinic.models import AuditLog
from cohorts.escalation import escalate_deadlines
from cohorts.models import Application, QuotaRule, Review
from cohorts.services.stage_times import backfill
from mentoring.insight.dashboard import Filters, funnel
from mentoring.insight.workload import reviewer_workload
from mentoring.models import Session
from mentoring.services import session_notes
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    make_user,
    scored_application,
    uniform_scores,
)

from .helpers import assigned, held_session, participant, schedule

pytestmark = pytest.mark.django_db
URL = reverse("mentoring:dashboard")


def grow(cohort=None):
    """One more cohort's worth of rows: a quota rule, a reviewed application, a participant
    with an expert, a held and rated session and an overdue notes deadline."""
    cohort = cohort or CohortFactory()
    QuotaRule.objects.get_or_create(cohort=cohort, dimension="size_class", value="micro", minimum=1)
    scored_application(cohort, [uniform_scores(4), uniform_scores(2), uniform_scores(3)])
    participation, representative = participant(cohort)
    Application.objects.filter(pk=participation.application_id).update(  # as if it applied
        state=Application.State.CONFIRMED,
        submitted_at=timezone.now() - timedelta(days=30),
        answered_at=timezone.now() - timedelta(days=20),
    )
    restamp(cohort)
    participation, _rep, expert, _officer = assigned(participation)
    session = held_session(participation, expert, days_ago=3)
    session_notes.rate_session(representative, session, 4)
    late = schedule(participation, expert, days=9)
    Session.objects.filter(pk=late.pk).update(starts_at=timezone.now() - timedelta(days=12))
    return cohort


def restamp(cohort):
    """The stage times of the cohort's applications from their history (written directly)."""
    backfill(Application, Review, AuditLog, Application.objects.filter(cohort=cohort))


def page(client, user, **query):
    client.force_login(user)
    return client.get(URL, query)


def test_dashboard_answers_404_to_every_role_but_officers_and_the_lead(client):
    for role in (roles.SME, roles.REVIEWER, roles.EXPERT):
        assert page(client, make_user(role)).status_code == 404
    for role in (roles.OFFICER, roles.LEAD):
        assert page(client, make_user(role)).status_code == 200


def test_every_section_is_a_chart_a_table_and_a_csv(client):
    grow()
    escalate_deadlines()
    response = page(client, make_user(roles.OFFICER))
    html = response.content.decode()
    for key in ("funnel", "composition", "reviewers", "experts", "overdue"):
        assert f'id="{key}"' in html and f"csv={key}" in html
        assert f'aria-labelledby="chart-{key}"' in html
    assert html.count("<svg") == 5 and html.count("<table") == 5
    assert "style=" not in html.split("<main", 1)[-1] and "<script>" not in html
    assert "Session notes" in html  # the overdue section names the kind


def test_csv_holds_the_numbers_of_its_table(client):
    cohort = grow()
    client.force_login(make_user(roles.OFFICER))
    response = client.get(URL, {"cohort": cohort.pk, "csv": "funnel"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Stage,Companies")
    applied = next(line for line in lines if line.startswith("Applied,"))
    assert applied.split(",")[1] == "2"  # the reviewed application and the participant


def test_funnel_counts_stages_with_conversion_and_median_days():
    cohort = grow()
    rows = {str(row[0]): row for row in funnel(Filters(cohort=cohort)).rows}
    assert rows["Applied"][1] == 2
    assert rows["Reviewed"][1] == 1 and rows["Reviewed"][2] == 50
    assert rows["Confirmed"][1] == 1 and rows["Audit submitted"][1] == 1
    assert rows["Audit submitted"][4] == 20.0  # days from the confirmation to the audit
    assert rows["12-month report"][1] == 0


def test_filters_narrow_every_number():
    first, second = grow(), grow()
    assert funnel(Filters(cohort=first)).rows[0][1] == 2
    assert funnel(Filters()).rows[0][1] == 4
    assert funnel(Filters(green_area="energy_storage")).rows[0][1] == 0
    assert len(reviewer_workload(Filters(cohort=second)).rows) == 3


def test_reviewer_agreement_is_the_distance_from_the_others_median():
    cohort = CohortFactory()
    scored_application(cohort, [uniform_scores(4), uniform_scores(2), uniform_scores(3)])
    rows = sorted(reviewer_workload(Filters(cohort=cohort)).rows, key=lambda r: r[4])
    # 3 is the median of 4 and 2 (distance 0); 4 and 2 are 1.5 from the median of the others
    assert [row[4] for row in rows] == [0.0, 1.5, 1.5]
    assert all(row[1] == row[2] == 1 and row[3] == 0 for row in rows)


def test_invalid_filters_are_ignored_not_an_error(client):
    response = page(client, make_user(roles.OFFICER), cohort="x", year="²", size_class="huge")
    assert response.status_code == 200


def test_query_count_does_not_grow_with_cohorts_and_applications(client):
    officer = make_user(roles.OFFICER)
    grow()
    escalate_deadlines()
    client.force_login(officer)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _more in range(3):
        grow()
    Review.objects.update(submitted_at=timezone.now())
    escalate_deadlines()
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert response.content.decode().count("Session notes") >= 1
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def python_times(applications):
    """The straightforward computation: every row in Python, the earliest time per stage
    ({stage: {application id: time, or None when reached at an unknown time}})."""
    times = {key: {} for key in ("applied", "eligible", "reviewed", "selected", "confirmed")}

    def reach(stage, pk, when):
        known = times[stage]
        if pk not in known or (when is not None and (known[pk] is None or when < known[pk])):
            known[pk] = when

    stages = {"confirmed_eligible": "eligible", "place_confirmed": "confirmed"}
    offered = set()
    for entry in AuditLog.objects.filter(object_type="cohorts.application"):
        if entry.action in stages or entry.to_state == "selected":
            reach(stages.get(entry.action, "selected"), int(entry.object_id), entry.created_at)
        offered |= {int(entry.object_id)} if entry.action == "place_offered" else set()
    State = Application.State
    for app in applications:
        if app.submitted_at:
            reach("applied", app.pk, app.submitted_at)
        if app.state not in (State.DRAFT, State.SUBMITTED, State.INELIGIBLE, State.WITHDRAWN):
            reach("eligible", app.pk, app.screened_at)
        if app.state in (State.SELECTED, State.CONFIRMED, State.DECLINED, State.LAPSED):
            # an offered place: selected at the offer, not at its waitlist decision
            reach("selected", app.pk, None if app.pk in offered else app.decided_at)
        if app.state == State.CONFIRMED:
            reach("confirmed", app.pk, app.answered_at)
        stamps = sorted(
            (r.submitted_at for r in app.reviews.filter(state=Review.State.SUBMITTED)),
            key=lambda when: (when is not None, when),
        )
        if len(stamps) >= app.cohort.min_reviews and None not in stamps:
            times["reviewed"][app.pk] = stamps[app.cohort.min_reviews - 1]
    return times


def python_funnel(applications):
    """[companies, median days from the stage before] per application stage (``python_times``)."""
    times = python_times(applications)
    rows, previous = [], None
    for stage, found in times.items():
        gaps = [
            (found[pk] - times[previous][pk]).total_seconds() / 86400
            for pk in found
            if previous and found[pk] and times[previous].get(pk)
        ]
        rows.append([len(found), round(median(gaps), 1) if gaps else None])
        previous = stage
    return rows


def history_written_directly():
    """A cohort of 21 applications in every state, with and without their own stamps, reviews
    (one without a time) and audit records (later than some stamps, the only time of others),
    whose stage times are computed from that history (as the migration did)."""
    cohort = CohortFactory(min_reviews=2)
    now, State = timezone.now(), Application.State
    states = [
        State.DRAFT,
        State.SUBMITTED,
        State.UNDER_REVIEW,
        State.SELECTED,
        State.CONFIRMED,
        State.DECLINED,
        State.REJECTED,
        State.CONFIRMED,
        State.WAITLISTED,
        State.INELIGIBLE,
    ]
    reviewer = [make_user(roles.REVIEWER) for _n in range(3)]
    for n in range(20):
        state, days = states[n % len(states)], timedelta(days=n % 7, hours=n)
        app = ApplicationFactory(
            cohort=cohort,
            state=state,
            submitted_at=None if state == State.DRAFT else now - 3 * days,
            screened_at=None if n % 3 == 0 else now - 2 * days,
            decided_at=None if n % 4 == 0 else now - days,
            answered_at=None if n % 5 == 0 else now - days / 2,
        )
        for r in range(n % 4):  # 0–3 submitted reviews, one without a time
            Review.objects.create(
                application=app,
                reviewer=reviewer[r],
                state=Review.State.SUBMITTED,
                submitted_at=None if n == 7 and r == 1 else now - days * (1.5 + r / 3),
            )
        for action, to_state in [
            ("confirmed_eligible", "under_review"),
            ("", "selected"),
            ("place_confirmed", "confirmed"),
        ][: n % 4]:
            AuditLog.objects.create(  # now: later than some stamps, the only time of others
                object_type="cohorts.application",
                object_id=str(app.pk),
                action=action,
                to_state=to_state,
                actor_name="x",
                object_text="x",
            )
    offered = ApplicationFactory(  # waitlisted, then offered a place: selected at the offer
        cohort=cohort,
        state=State.SELECTED,
        submitted_at=now - timedelta(days=9),
        screened_at=now - timedelta(days=8),
        decided_at=now - timedelta(days=4),
    )
    for action, to_state in [("decision_published", "waitlisted"), ("place_offered", "selected")]:
        AuditLog.objects.create(
            object_type="cohorts.application",
            object_id=str(offered.pk),
            action=action,
            to_state=to_state,
            actor_name="x",
            object_text="x",
        )
    restamp(cohort)
    return cohort


def test_backfill_computes_each_stage_time_as_the_python_computation():
    cohort = history_written_directly()
    expected = python_times(Application.objects.filter(cohort=cohort))
    columns = {"applied": "submitted_at", "eligible": "eligible_at", "reviewed": "reviewed_at"}
    columns |= {"selected": "selected_at", "confirmed": "confirmed_at"}
    for stage, column in columns.items():
        stored = dict(
            Application.objects.filter(cohort=cohort, **{f"{column}__isnull": False}).values_list(
                "pk", column
            )
        )
        known = {pk: when for pk, when in expected[stage].items() if when is not None}
        assert stored == known, stage
    assert all(len(expected[stage]) > 2 for stage in columns)


def test_funnel_counted_by_the_database_matches_the_python_computation():
    cohort = history_written_directly()
    expected = python_funnel(Application.objects.filter(cohort=cohort))
    rows = funnel(Filters(cohort=cohort)).rows[:5]
    assert [[row[1], row[4]] for row in rows] == expected
    assert any(gap for _count, gap in expected) and expected[2][0] > 0
