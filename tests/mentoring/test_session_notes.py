"""Session notes, follow-ups and ratings: logging notes marks a session held, drafts stay with the
expert until shared, the 7-day lock, versions of every edit, no-shows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import AuditLog
from mentoring.models import FollowUp, Participation, Rating, Session
from mentoring.services import session_notes
from tests.mentoring.helpers import messages
from tests.refusals import refused

from .helpers import assigned, expert, held_session, schedule

pytestmark = pytest.mark.django_db


def test_notes_cannot_be_logged_before_the_session():
    participation, _rep, mentor, _staff = assigned()
    session = schedule(participation, mentor)
    with refused("wrong_state"):
        session_notes.save_notes(mentor, session, outcome="held", summary="Too early")


def test_logging_notes_marks_the_session_held_and_keeps_the_participation_in_mentoring():
    participation, representative, mentor, _staff = assigned()
    session = held_session(
        participation,
        mentor,
        private="Founder seems unsure about export plans.",
        follow_ups=[{"title": "List all software", "owner": "CTO", "due_date": None}],
    )
    assert session.status == "held"
    assert (session.note.summary, session.note.dimensions) == (
        "We reviewed the patent portfolio.",
        [5, 7],
    )
    assert session.private_note.text == "Founder seems unsure about export plans."
    assert list(session.follow_ups.values_list("title", "owner")) == [("List all software", "CTO")]
    participation.refresh_from_db()
    assert participation.state == Participation.State.MENTORING
    shared = messages("session_notes_shared")
    assert [m.to_email for m in shared] == [representative.email]
    actions = list(AuditLog.objects.for_object(session).values_list("action", flat=True))
    assert actions[:2] == ["notes_shared", "session_held"]


def test_draft_notes_are_not_shown_to_the_sme_until_shared(client):
    participation, representative, mentor, _staff = assigned()
    session = held_session(participation, mentor, share=False, summary="Draft summary text")
    assert messages("session_notes_shared") == []
    client.force_login(representative)
    page = client.get(reverse("mentoring:session", args=[session.pk])).content.decode()
    assert "Draft summary text" not in page
    client.force_login(mentor)
    page = client.get(reverse("mentoring:session", args=[session.pk])).content.decode()
    assert "Draft summary text" in page


def test_notes_lock_for_the_expert_seven_days_after_the_session():
    participation, _rep, mentor, staff = assigned()
    session = held_session(participation, mentor, days_ago=1)
    later = session.ends_at + timedelta(days=7, minutes=1)
    with refused("wrong_state") as error:
        session_notes.save_notes(mentor, session, outcome="held", summary="Changed", now=later)
    assert str(error.value) == (
        "The notes locked 7 days after the session. Ask a programme officer to change them."
    )
    session_notes.save_notes(
        mentor,
        session,
        outcome="held",
        summary="Edited on day 6",
        dimensions=[5, 7],
        recommendations="File a PCT application.",
        now=session.ends_at + timedelta(days=6),
    )
    session_notes.save_notes(
        staff,
        session,
        outcome="held",
        summary="Officer fix",
        dimensions=[5, 7],
        recommendations="File a PCT application.",
        now=later,
    )
    session.note.refresh_from_db()
    assert session.note.summary == "Officer fix"
    actions = list(
        AuditLog.objects.for_object(session)
        .filter(action__startswith="notes")
        .values_list("action", "actor_name", "reason")
    )
    assert actions == [
        ("notes_changed_after_lock", staff.username, "summary"),
        ("notes_saved", mentor.username, "summary"),
        ("notes_shared", mentor.username, "summary, dimensions discussed, recommendations"),
    ]


def test_notes_page_is_read_only_for_the_expert_after_the_lock(client):
    participation, _rep, mentor, _staff = assigned()
    session = held_session(participation, mentor, days_ago=9)
    client.force_login(mentor)
    url = reverse("mentoring:notes", args=[session.pk])
    assert "The notes locked on" in client.get(url).content.decode()
    answer = client.post(url, {"outcome": "held", "summary": "Late change"})  # a tab left open
    assert answer.status_code == 409
    session.note.refresh_from_db()
    assert session.note.summary == "We reviewed the patent portfolio."


def test_follow_ups_are_edited_with_the_notes_and_ticked_by_the_sme(client):
    participation, representative, mentor, _staff = assigned()
    session = held_session(
        participation, mentor, follow_ups=[{"title": "Sign NDA template", "owner": "CEO"}]
    )
    follow_up = FollowUp.objects.get()
    with refused("not_permitted"):
        session_notes.set_follow_up_done(expert(), follow_up)
    toggle = reverse("mentoring:follow_up_toggle", args=[follow_up.pk])
    client.force_login(mentor)  # sees the participation; only the SME ticks
    assert client.post(toggle, {"done": "1"}).status_code == 404
    client.force_login(representative)
    client.post(toggle, {"done": "1"})
    follow_up.refresh_from_db()
    assert (follow_up.done, follow_up.done_by) == (True, representative)
    session_notes.save_notes(
        mentor,
        session,
        outcome="held",
        summary=session.note.summary,
        dimensions=session.note.dimensions,
        recommendations=session.note.recommendations,
        follow_ups=[{"id": follow_up.pk, "delete": True}, {"title": "Register trademark"}],
        share=True,
    )
    assert list(FollowUp.objects.values_list("title", flat=True)) == ["Register trademark"]


def test_sme_rates_a_held_session_once_and_may_change_it(client):
    participation, representative, mentor, _staff = assigned()
    planned = schedule(participation, mentor)
    with refused("not_permitted"):
        session_notes.rate_session(representative, planned, 5)
    session = held_session(participation, mentor)
    with refused("not_permitted"):
        session_notes.rate_session(mentor, session, 5)
    client.force_login(representative)
    client.post(reverse("mentoring:rate", args=[session.pk]), {"score": "4", "comment": "Useful"})
    client.post(reverse("mentoring:rate", args=[session.pk]), {"score": "5", "comment": "Great"})
    assert list(Rating.objects.values_list("score", "comment", "rated_by")) == [
        (5, "Great", representative.pk)
    ]


def test_no_show_is_recorded_and_cannot_be_rated():
    participation, representative, mentor, _staff = assigned()
    session = schedule(participation, mentor)
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    session_notes.save_notes(mentor, session, outcome="no_show", summary="Nobody came")
    session.refresh_from_db()
    assert session.status == "no_show"
    with refused("not_permitted"):
        session_notes.rate_session(representative, session, 1)


def test_every_notes_edit_keeps_a_version_for_the_expert_and_officers(client):
    participation, representative, mentor, staff = assigned()
    session = held_session(participation, mentor, summary="First version", private="x")
    session_notes.save_notes(
        mentor,
        session,
        outcome="held",
        summary="Second version",
        dimensions=[5],
        follow_ups=[{"title": "File the PCT", "owner": "CEO"}],
        share=True,
        now=session.ends_at + timedelta(days=1),
    )
    versions = list(session.note_revisions.values_list("summary", "dimensions", "shared"))
    assert versions == [("Second version", [5], True), ("First version", [5, 7], True)]
    assert session.note_revisions.first().follow_ups == [
        {"title": "File the PCT", "owner": "CEO", "due_date": ""}
    ]
    url = reverse("mentoring:session", args=[session.pk])
    client.force_login(staff)
    assert "First version" in client.get(url).content.decode()
    client.force_login(representative)
    page = client.get(url).content.decode()
    assert ("Second version" in page, "First version" in page) == (True, False)


def resave(session, mentor, **notes):
    return session_notes.save_notes(
        mentor,
        session,
        outcome=Session.Status.HELD,
        summary=notes.get("summary", "We reviewed the patent portfolio."),
        dimensions=notes.get("dimensions", [5]),
        recommendations="",
        follow_ups=notes.get("follow_ups", []),
        now=session.ends_at + timedelta(hours=2),
    )


def test_the_same_new_follow_ups_sent_twice_are_kept_once():
    participation, _rep, mentor, _staff = assigned()
    item = {"title": "Sign NDA template", "owner": "CEO", "due_date": None}
    session = held_session(participation, mentor, follow_ups=[item])
    resave(session, mentor, follow_ups=[item])  # a second call of the API, without ids
    assert list(session.follow_ups.values_list("title", flat=True)) == ["Sign NDA template"]


@pytest.mark.parametrize(
    "notes",
    [
        {"follow_ups": [{"title": f"Task {n}"} for n in range(FollowUp.PER_SESSION_MAX + 1)]},
        {"dimensions": [5, 99]},
        {"summary": "x" * 3001},
    ],
    ids=["too-many-follow-ups", "unknown-dimension", "summary-too-long"],
)
def test_notes_over_the_limits_are_refused_and_change_nothing(notes):
    participation, _rep, mentor, _staff = assigned()
    session = held_session(participation, mentor)
    with refused("invalid"):
        resave(session, mentor, **notes)
    session.note.refresh_from_db()
    assert (session.follow_ups.count(), session.note.dimensions, len(session.note.summary)) == (
        0,
        [5, 7],
        len("We reviewed the patent portfolio."),
    )
