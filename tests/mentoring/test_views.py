"""Mentoring pages: scoping, progress table (filters, flags, query-count guard), My tasks,
expert profiles."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.models import AuditLog, Company
from clinic.todos import todos_for
from mentoring.models import ExpertProfile, Participation, Session
from mentoring.services import matching, session_notes, slots
from tests.factories import CohortFactory

from .helpers import (
    assigned,
    bare_participant,
    expert,
    held_session,
    officer,
    participant,
    schedule,
)

pytestmark = pytest.mark.django_db


def test_expert_sees_only_assigned_participants(client):
    mine, _rep, mentor, staff = assigned()
    other, _other_rep = participant(cohort=mine.cohort)
    matching.assign_expert(staff, other, expert())
    other_session = schedule(other, staff)
    client.force_login(mentor)
    assert client.get(reverse("mentoring:participant", args=[mine.pk])).status_code == 200
    for url in (
        reverse("mentoring:participant", args=[other.pk]),
        reverse("mentoring:session", args=[other_session.pk]),
        reverse("mentoring:session_ics", args=[other_session.pk]),
        reverse("mentoring:schedule", args=[other.pk]),
        reverse("mentoring:notes", args=[other_session.pk]),
        reverse("company_detail", args=[other.company_id]),
        reverse("ipaudit:detail", args=[other.audit_id]),
    ):
        assert (url, client.get(url).status_code) == (url, 404)
    page = client.get(reverse("mentoring:home")).content.decode()
    assert (mine.company.legal_name in page, other.company.legal_name in page) == (True, False)


def test_sme_sees_only_its_own_participation(client):
    mine, representative, mentor, staff = assigned()
    other, _other_rep, _other_mentor, _staff = assigned()
    session = schedule(other, staff)
    client.force_login(representative)
    response = client.get(reverse("mentoring:home"))
    assert response.url == reverse("mentoring:participant", args=[mine.pk])
    for url in (
        reverse("mentoring:participant", args=[other.pk]),
        reverse("mentoring:session", args=[session.pk]),
        reverse("mentoring:session_ics", args=[session.pk]),
        reverse("mentoring:schedule", args=[mine.pk]),
        reverse("mentoring:cohort_progress", args=[mine.cohort_id]),
        reverse("mentoring:expert", args=[mentor.pk]),
    ):
        assert (url, client.get(url).status_code) == (url, 404)


def test_an_ended_assignment_ends_the_experts_access(client):
    participation, _rep, mentor, staff = assigned()
    matching.unassign_expert(staff, participation.assignments.get())
    client.force_login(mentor)
    assert client.get(reverse("mentoring:participant", args=[participation.pk])).status_code == 404


def test_every_mentoring_page_renders_for_its_users(client):
    participation, representative, mentor, staff = assigned()
    held = held_session(participation, mentor, private="secret")
    planned = schedule(participation, mentor)
    slots.offer_slot(
        mentor, starts_at=timezone.now() + timedelta(days=9), meeting_url="https://m.example.org"
    )
    pages = {
        staff: [
            reverse("mentoring:home"),
            reverse("mentoring:experts"),
            reverse("mentoring:expert", args=[mentor.pk]),
            reverse("mentoring:expert_edit", args=[mentor.pk]),
            reverse("mentoring:cohort_matching", args=[participation.cohort_id]),
            reverse("mentoring:cohort_progress", args=[participation.cohort_id]),
            reverse("mentoring:match", args=[participation.pk]),
            reverse("mentoring:participant", args=[participation.pk]),
            reverse("mentoring:drop_out", args=[participation.pk]),
            reverse("mentoring:session", args=[held.pk]),
            reverse("mentoring:notes", args=[held.pk]),
            reverse("mentoring:session_edit", args=[planned.pk]),
            reverse("mentoring:session_cancel", args=[planned.pk]),
        ],
        mentor: [
            reverse("home"),
            reverse("mentoring:home"),
            reverse("mentoring:slots"),
            reverse("mentoring:my_profile"),
            reverse("mentoring:participant", args=[participation.pk]),
            reverse("mentoring:schedule", args=[participation.pk]),
            reverse("mentoring:session", args=[held.pk]),
            reverse("mentoring:notes", args=[held.pk]),
            reverse("mentoring:notes", args=[planned.pk]),
        ],
        representative: [
            reverse("home"),
            reverse("mentoring:participant", args=[participation.pk]),
            reverse("mentoring:book", args=[participation.pk]),
            reverse("mentoring:session", args=[held.pk]),
            reverse("mentoring:session_cancel", args=[planned.pk]),
        ],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url, follow=True)
            assert (url, response.status_code) == (url, 200)


def test_expert_edits_own_profile_but_not_capacity(client):
    mentor = expert(capacity=3)
    client.force_login(mentor)
    response = client.post(
        reverse("mentoring:expert_edit", args=[mentor.pk]),
        {
            "bio": "Patent attorney, 15 years.",
            "tech_areas": ["water", "renewable_energy"],
            "languages": ["en", "zh-hans"],
            "jurisdictions": "CN, EP",
            "capacity": "20",
            "dim_5": "3",
            "dim_7": "2",
            **{f"dim_{d}": "0" for d in (1, 2, 3, 4, 6, 8, 9, 10, 11)},
        },
    )
    assert response.url == reverse("mentoring:expert", args=[mentor.pk])
    profile = ExpertProfile.objects.get(user=mentor)
    assert (profile.expertise, profile.capacity, profile.languages) == (
        {"5": 3, "7": 2},
        3,
        ["en", "zh-hans"],
    )
    record = AuditLog.objects.for_object(profile).get()
    assert record.action == "expert_profile_updated"
    other = expert()
    assert client.get(reverse("mentoring:expert_edit", args=[other.pk])).status_code == 404


def test_officer_sets_capacity_and_conflicts(client):
    mentor = expert(capacity=3)
    company = Company.objects.create(
        legal_name="Rival Ltd",
        registration_number="R1",
        country="CN",
        region="Beijing",
        green_area="water",
        founding_year=2010,
        employees=5,
        annual_turnover=1000,
    )
    client.force_login(officer())
    client.post(
        reverse("mentoring:expert_edit", args=[mentor.pk]),
        {
            "capacity": "6",
            "conflicts": [company.pk],
            **{f"dim_{d}": "0" for d in range(1, 12)},
        },
    )
    profile = ExpertProfile.objects.get(user=mentor)
    assert (profile.capacity, list(profile.conflicts.all())) == (6, [company])


def test_progress_table_flags_participants_without_a_session_in_30_days(client):
    cohort = CohortFactory(target_sessions=4)
    fresh, _r = bare_participant(cohort)
    stale, _r2 = bare_participant(cohort)
    recent, _r3 = bare_participant(cohort)
    Participation.objects.filter(pk__in=[stale.pk, recent.pk]).update(
        created_at=timezone.now() - timedelta(days=60)
    )
    mentor = expert()
    staff = officer()
    matching.assign_expert(staff, recent, mentor)
    session = held_session(recent, mentor)
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(days=10))
    client.force_login(staff)
    url = reverse("mentoring:cohort_progress", args=[cohort.pk])
    response = client.get(url)
    flags = {row.company.legal_name: (row.stale, row.held) for row in response.context["rows"]}
    assert flags == {
        fresh.company.legal_name: (False, 0),
        stale.company.legal_name: (True, 0),
        recent.company.legal_name: (False, 1),
    }
    response = client.get(url, {"flag": "stale"})
    assert [row.pk for row in response.context["rows"]] == [stale.pk]
    response = client.get(url, {"expert": mentor.pk})
    assert [row.pk for row in response.context["rows"]] == [recent.pk]
    assert response.context["stale_count"] == 1


def rows_and_query_counts_for_2_and_50_participants(client, viewer_of, url_name, *args):
    """Rows shown for 50 assigned participants, and the queries at 2 and at 50."""
    cohort = CohortFactory()
    staff = officer()
    mentor = expert(capacity=60)

    def add(count):
        for _ in range(count):
            participation, _rep = bare_participant(cohort)
            matching.assign_expert(staff, participation, mentor)

    client.force_login(viewer_of(staff, mentor))
    url = reverse(url_name, args=[arg(cohort) for arg in args])
    add(2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add(48)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    return len(response.context["rows"]), len(small.captured_queries), len(large.captured_queries)


def test_progress_table_runs_the_same_queries_for_2_and_50_participants(client):
    rows, small, large = rows_and_query_counts_for_2_and_50_participants(
        client, lambda staff, mentor: staff, "mentoring:cohort_progress", lambda c: c.pk
    )
    assert rows == 50
    assert large == small


def test_expert_dashboard_runs_the_same_queries_for_2_and_50_companies(client):
    rows, small, large = rows_and_query_counts_for_2_and_50_participants(
        client, lambda staff, mentor: mentor, "mentoring:home"
    )
    assert rows == 50
    assert large == small


def test_cohort_matching_board_runs_the_same_queries_for_2_and_20_participants(client):
    cohort = CohortFactory()
    staff = officer()
    for _ in range(3):
        expert()

    def add(count):
        for _ in range(count):
            bare_participant(cohort)

    client.force_login(staff)
    url = reverse("mentoring:cohort_matching", args=[cohort.pk])
    add(2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add(18)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_my_tasks_lists_mentoring_to_dos(client):
    participation, representative, mentor, _staff = assigned()
    titles = [todo.title for todo in todos_for(mentor)]
    assert titles == ["Schedule the next session"]
    session = schedule(participation, mentor)
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    assert [str(todo.title) for todo in todos_for(mentor)] == [
        "Log the notes of session 1",
        "Schedule the next session",
    ]
    session_notes.save_notes(mentor, session, outcome="held", summary="Done", share=True)
    assert [str(t.title) for t in todos_for(representative) if "session" in str(t.title)] == [
        "Rate mentoring session 1"
    ]
    session_notes.rate_session(representative, session, 5)
    assert [str(t.title) for t in todos_for(representative) if "session" in str(t.title)] == []
    client.force_login(mentor)
    assert "Schedule the next session" in client.get(reverse("home")).content.decode()


def test_free_text_is_escaped(client):
    participation, representative, mentor, _staff = assigned()
    held_session(participation, mentor, summary="<script>alert(1)</script>")
    client.force_login(representative)
    session = Session.objects.get()
    page = client.get(reverse("mentoring:session", args=[session.pk])).content.decode()
    assert (
        "<script>alert(1)</script>" in page,
        "&lt;script&gt;alert(1)&lt;/script&gt;" in page,
    ) == (
        False,
        True,
    )


def test_rating_averages_per_expert_and_cohort(client):
    participation, representative, mentor, staff = assigned()
    first = held_session(participation, mentor)
    second = held_session(participation, mentor)
    session_notes.rate_session(representative, first, 5)
    session_notes.rate_session(representative, second, 2)
    client.force_login(staff)
    response = client.get(reverse("mentoring:cohort_progress", args=[participation.cohort_id]))
    per_expert = [
        (r["session__expert"], r["average"], r["count"]) for r in response.context["per_expert"]
    ]
    assert per_expert == [(mentor.pk, 3.5, 2)]
    assert response.context["overall"] == {"average": 3.5, "count": 2}
    response = client.get(reverse("mentoring:experts"))
    assert response.context["experts"][0].rating == (3.5, 2)


def test_progress_csv_is_for_officers_and_follows_the_filters(client):
    participation, representative, mentor, staff = assigned()
    held_session(participation, mentor)
    url = reverse("mentoring:progress_csv", args=[participation.cohort_id])
    client.force_login(representative)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    lines = client.get(url).content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    assert lines[1].split(",")[:5] == [
        participation.company.legal_name,
        "Mentoring",
        str(mentor),
        "",
        "1",
    ]
    lines = client.get(url, {"flag": "stale"}).content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1


def test_mentoring_to_dos_run_the_same_queries_for_2_and_20_companies():
    cohort = CohortFactory()
    staff = officer()
    mentor = expert(capacity=30)
    representatives = []

    def add(count):
        for _ in range(count):
            participation, representative = bare_participant(cohort)
            matching.assign_expert(staff, participation, mentor)
            session = held_session(participation, mentor)
            Session.objects.filter(pk=session.pk).update(status=Session.Status.PLANNED)
            representatives.append(representative)

    def queries(user):
        user = type(user).objects.get(pk=user.pk)  # no cached roles
        with CaptureQueriesContext(connection) as captured:
            todos_for(user)
        return len(captured.captured_queries)

    add(2)
    small = (queries(mentor), queries(representatives[0]))
    add(18)
    assert (queries(mentor), queries(representatives[0])) == small
    assert len(todos_for(mentor)) == 40  # log notes + schedule the next session, per company
