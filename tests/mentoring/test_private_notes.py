"""Private expert notes never reach the SME: no page, download, export or message it can reach."""

import base64
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import AuditLog, OutboxMessage
from mentoring.services import session_notes
from mentoring.services import sessions as service
from tests.refusals import refused

from .helpers import assigned, held_session, schedule

pytestmark = pytest.mark.django_db

SECRET = "PRIVATE-7f3a: founder plans to sell the company"


def mentored_with_private_notes():
    participation, representative, mentor, staff = assigned()
    held = held_session(
        participation,
        mentor,
        private=SECRET,
        follow_ups=[{"title": "Collect invention disclosures", "owner": "CTO"}],
    )
    session_notes.rate_session(representative, held, 4, "Helpful")
    no_show = schedule(participation, mentor)
    session_notes.save_notes(
        mentor,
        no_show,
        outcome="held",
        summary="Second session",
        private_notes=SECRET,
        share=True,
        now=no_show.starts_at + timedelta(hours=2),
    )
    planned = schedule(participation, mentor, starts_at=timezone.now() + timedelta(hours=30))
    service.send_session_reminders(now=timezone.now() + timedelta(hours=10))
    service.reschedule_session(mentor, planned, agenda="Licensing")
    return participation, representative, mentor, staff, [held, no_show, planned]


def sme_pages(participation, sessions):
    pages = [
        reverse("home"),
        reverse("mentoring:home"),
        reverse("mentoring:participant", args=[participation.pk]),
        reverse("mentoring:book", args=[participation.pk]),
        reverse("mentoring:session_log", args=[participation.pk]),
        reverse("company_detail", args=[participation.company_id]),
        reverse("ipaudit:detail", args=[participation.audit_id]),
        reverse("ipaudit:assets", args=[participation.company_id]),
        reverse("ipaudit:asset_export", args=[participation.company_id]),
    ]
    for session in sessions:
        pages += [
            reverse("mentoring:session", args=[session.pk]),
            reverse("mentoring:session_ics", args=[session.pk]),
        ]
    return pages


def test_private_notes_never_appear_on_any_page_or_download_the_sme_can_reach(client):
    participation, representative, _mentor, _staff, sessions = mentored_with_private_notes()
    client.force_login(representative)
    reached = 0
    for page in sme_pages(participation, sessions):
        response = client.get(page, follow=True)
        assert (page, response.status_code) == (page, 200)
        assert SECRET not in response.content.decode(), page
        reached += 1
    assert reached == 15


def test_private_notes_are_in_no_message_to_anyone(client):
    _participation, representative, mentor, _staff, _sessions = mentored_with_private_notes()
    messages = list(OutboxMessage.objects.all())
    kinds = {m.kind for m in messages if m.to_email == representative.email}
    assert kinds == {
        "audit_started",
        "audit_submitted",
        "mentor_assigned",
        "session_scheduled",
        "session_notes_shared",
        "session_reminder",
        "session_rescheduled",
    }
    for message in messages:
        assert SECRET not in message.subject + message.body
        for item in message.attachments:
            assert SECRET not in base64.b64decode(item["content"]).decode()
    shared = OutboxMessage.objects.filter(kind="session_notes_shared").order_by("pk").first()
    assert "We reviewed the patent portfolio." in shared.body
    assert (
        "Dimensions discussed: Patents and utility models; Freedom to operate and monitoring"
        in shared.body
    )
    assert mentor.email not in [m.to_email for m in messages if m.kind == "session_notes_shared"]


def test_private_notes_are_not_in_the_audit_history():
    _participation, _rep, _mentor, _staff, _sessions = mentored_with_private_notes()
    for record in AuditLog.objects.all():
        assert SECRET not in record.reason + record.object_text


def test_expert_and_officer_see_the_private_notes(client):
    _participation, _rep, mentor, staff, sessions = mentored_with_private_notes()
    url = reverse("mentoring:session", args=[sessions[0].pk])
    for user in (mentor, staff):
        client.force_login(user)
        assert SECRET in client.get(url).content.decode()


def test_an_sme_that_is_also_an_expert_elsewhere_does_not_see_them(client):
    from django.contrib.auth.models import Group

    from clinic import roles

    participation, representative, _mentor, _staff, sessions = mentored_with_private_notes()
    representative.groups.add(Group.objects.get(name=roles.EXPERT))
    client.force_login(representative)
    page = client.get(reverse("mentoring:session", args=[sessions[0].pk])).content.decode()
    assert SECRET not in page
    assert client.get(reverse("mentoring:notes", args=[sessions[0].pk])).status_code == 404


def by_number(logged):
    return logged.number


def test_shared_session_log_gives_later_stages_only_what_the_sme_may_see():
    from mentoring.services.session_log import open_follow_ups, shared_session_log

    participation, _rep, mentor, _staff, _sessions = mentored_with_private_notes()
    draft = held_session(participation, mentor, share=False, summary="Draft only")
    log = shared_session_log(participation)
    assert [(s.number, s.status, s.summary, s.rating) for s in sorted(log, key=by_number)] == [
        (1, "held", "We reviewed the patent portfolio.", 4),
        (2, "held", "Second session", None),
        (draft.number, "held", "", None),
    ]
    assert [f.title for f in sorted(log, key=by_number)[0].follow_ups] == [
        "Collect invention disclosures"
    ]
    assert SECRET not in repr(log)
    assert [(f.title, f.session_number) for f in open_follow_ups(participation)] == [
        ("Collect invention disclosures", 1)
    ]


def test_session_log_export_has_the_shared_notes(client):
    participation, representative, _mentor, staff, _sessions = mentored_with_private_notes()
    for user in (representative, staff):
        client.force_login(user)
        response = client.get(reverse("mentoring:session_log", args=[participation.pk]))
        lines = response.content.decode("utf-8-sig").splitlines()
        assert lines[0].split(",")[:4] == ["Session", "Date", "Time zone", "Status"]
        assert len(lines) == 3
        assert "We reviewed the patent portfolio." in lines[1]
        assert "Collect invention disclosures (CTO" in lines[1]
        assert SECRET not in response.content.decode("utf-8-sig")


def test_expert_who_also_represents_the_company_gets_no_private_notes_in_the_notes_form(client):
    from mentoring.models import PrivateNote, SessionNote

    participation, _rep, mentor, _staff, sessions = mentored_with_private_notes()
    participation.company.representatives.add(mentor)
    client.force_login(mentor)
    url = reverse("mentoring:notes", args=[sessions[0].pk])
    page = client.get(url)
    posted = {"outcome": "held", "summary": "Edited", "share": "1", "follow_ups-TOTAL_FORMS": "0"}
    saved = client.post(url, {**posted, "follow_ups-INITIAL_FORMS": "0"})
    assert (page.status_code, "private_notes" in page.context["form"].fields) == (200, False)
    assert (saved.status_code, SessionNote.objects.get(session=sessions[0]).summary) == (
        302,
        "Edited",
    )
    assert SECRET not in page.content.decode()
    with refused("not_permitted"):
        session_notes.save_notes(
            mentor, sessions[0], outcome="held", private_notes="", now=sessions[0].ends_at
        )
    assert PrivateNote.objects.get(session=sessions[0]).text == SECRET
