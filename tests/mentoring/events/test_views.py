"""Event pages: scope (404 outside it) for every role, officer pages, materials, guests,
check-in, CSV import, feedback, demo days, and query counts constant in attendees."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic import roles
from mentoring.events.models import Event, Registration
from mentoring.events.services import events, invitations, registrations
from mentoring.events.services.links import guest_path
from tests.factories import PDF_BYTES, make_user

from ..helpers import expert
from .helpers import invited_company, new_event, register

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_each_role_sees_only_events_it_is_invited_to(client):
    event, officer = new_event()
    invitation, rep = invited_company(event, officer)
    stranger_sme = make_user(roles.SME)
    reviewer = make_user(roles.REVIEWER)
    mentor = expert()
    url = reverse("events:detail", args=[event.pk])

    assert login(client, officer).get(url).status_code == 200
    assert login(client, rep).get(url).status_code == 200
    for outsider in (stranger_sme, reviewer, mentor):
        assert login(client, outsider).get(url).status_code == 404
        listing = client.get(reverse("events:list"))
        assert event.title not in listing.content.decode()


def test_draft_events_are_404_for_invitations_of(client):
    event, officer = new_event(publish=False)
    _invitation, rep = invited_company(event, officer)

    assert login(client, rep).get(reverse("events:detail", args=[event.pk])).status_code == 404


def test_officer_pages_are_404_for_everyone_else(client):
    event, officer = new_event()
    _invitation, rep = invited_company(event, officer)
    login(client, rep)
    for name in ("edit", "invite", "attendees", "check_in", "results", "attendance_csv"):
        assert client.get(reverse(f"events:{name}", args=[event.pk])).status_code == 404, name
    for name in ("publish", "cancel", "held"):
        assert client.post(reverse(f"events:{name}", args=[event.pk])).status_code == 404, name
    assert client.get(reverse("events:new")).status_code == 404


def test_officer_creates_an_event_in_the_cohorts_time_zone(client):
    event, officer = new_event()
    cohort = event.cohort
    cohort.time_zone = "Europe/Zurich"
    cohort.save()
    day = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = login(client, officer).post(
        reverse("events:new"),
        {
            "programme": cohort.programme_id,
            "cohort": cohort.pk,
            "kind": Event.Kind.KICK_OFF,
            "title": "Kick-off",
            "title_zh": "启动会",
            "date": day,
            "time": "09:30",
            "duration_minutes": 180,
            "mode": "on_site",
            "address": "Greentech Innovation Centre",
            "capacity": 60,
            "company_limit": 3,
            "mandatory": "on",
            "materials_shown": "after",
        },
    )

    made = Event.objects.get(title="Kick-off")
    assert response.status_code == 302
    assert (made.time_zone, made.local_start.strftime("%H:%M"), made.state) == (
        "Europe/Zurich",
        "09:30",
        Event.State.DRAFT,
    )


def test_materials_go_only_to_registered_people_once_open(client):
    event, officer = new_event(materials_shown=Event.Materials.AFTER)
    invitation, rep = invited_company(event, officer)
    _other_invitation, colleague_company_rep = invited_company(event, officer)
    register(invitation, rep)
    material = events.add_material(
        officer, event, SimpleUploadedFile("slides.exe", PDF_BYTES), "Slides"
    )
    url = reverse("events:material", args=[event.pk, material.pk])
    assert material.file.name.endswith(".pdf")

    assert login(client, rep).get(url).status_code == 404  # before the event
    Event.objects.filter(pk=event.pk).update(materials_shown=Event.Materials.AT_ONCE)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert login(client, colleague_company_rep).get(url).status_code == 404  # invited only


def test_a_material_that_is_not_a_document_is_refused():
    event, officer = new_event()
    with pytest.raises(Exception) as refused:
        events.add_material(officer, event, SimpleUploadedFile("x.pdf", b"MZ\x90\x00 binary"))
    assert "PDF" in str(refused.value)


def test_guest_page_works_without_an_account_and_a_bad_token_is_404(client):
    event, officer = new_event()
    invitation = invitations.invite_guest(officer, event, email="partner@city.example")
    path = guest_path(invitation)

    page = client.get(path)
    response = client.post(
        path,
        {"register": "1", "name": "Mr Wang", "email": "partner@city.example", "language": "en"},
    )

    assert page.status_code == 200
    assert response.status_code == 302
    assert event.registrations.get().name == "Mr Wang"
    assert client.get(path[:-3] + "xx/").status_code == 404


def test_sme_registers_a_colleague_through_the_page(client):
    event, officer = new_event()
    invitation, rep = invited_company(event, officer)
    response = login(client, rep).post(
        reverse("events:register", args=[event.pk]),
        {
            "invitation": invitation.pk,
            "name": "Colleague",
            "email": "c@example.org",
            "language": "zh-hans",
        },
    )
    assert response.status_code == 302
    assert event.registrations.get().registered_by == rep


def test_check_in_and_csv_import_all_or_nothing(client):
    event, officer = new_event()
    invitation, rep = invited_company(event, officer)
    first = register(invitation, rep)
    second = register(invitation, rep, name="B", email="b@example.org", user=None)
    login(client, officer)

    client.post(reverse("events:check", args=[event.pk, first.pk]), {"attended": "1"})
    first.refresh_from_db()
    assert first.state == Registration.State.ATTENDED

    bad = b"email,attended\nb@example.org,yes\nnobody@example.org,yes\n"
    response = client.post(
        reverse("events:check_in", args=[event.pk]),
        {"file": SimpleUploadedFile("a.csv", bad)},
    )
    assert response.status_code == 400
    assert "Row 3" in response.content.decode()
    second.refresh_from_db()
    assert second.state == Registration.State.REGISTERED  # nothing written

    good = f"email,attended\n{first.email},no\nb@example.org,yes\n".encode()
    client.post(
        reverse("events:check_in", args=[event.pk]), {"file": SimpleUploadedFile("a.csv", good)}
    )
    states = dict(event.registrations.values_list("email", "state"))
    assert states == {first.email: "absent", "b@example.org": "attended"}


def test_list_and_check_in_queries_do_not_grow_with_attendees(client):
    event, officer = new_event()
    invitation, rep = invited_company(event, officer)
    login(client, officer)

    def counts():
        pages = ["events:attendees", "events:check_in", "events:detail"]
        out = []
        for name in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name, args=[event.pk])).status_code == 200
            out.append(len(queries))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("events:list"))
        return [*out, len(queries)]

    register(invitation, rep)
    few = counts()
    for n in range(2):
        other, person = invited_company(event, officer)
        for k in range(3):
            register(other, person, name=f"P{n}{k}", email=f"p{n}{k}@example.org", user=None)
    assert counts() == few


def test_feedback_after_the_event_by_the_attendee_only(client):
    event, officer = new_event()
    invitation, rep = invited_company(event, officer)
    registration = register(invitation, rep)
    speaker = events.add_speaker(officer, event.speakers.model(event=event, name="Dr Chen"))
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    event.refresh_from_db()
    from mentoring.events.services import attendance

    attendance.set_attendance(officer, registration, True)
    events.mark_held(officer, event)
    url = reverse("events:feedback", args=[registration.pk])
    assert login(client, make_user(roles.SME)).get(url).status_code == 404

    response = login(client, rep).post(
        url, {"score": "4", "comment": "Useful", f"speaker_{speaker.pk}": "5"}
    )

    assert response.status_code == 302
    results = login(client, officer).get(reverse("events:results", args=[event.pk]))
    assert "Dr Chen" in results.content.decode()
    assert "4.0" in results.content.decode()


def test_demo_day_sign_up_and_introduction_request(client):
    event, officer = new_event(kind=Event.Kind.DEMO_DAY)
    invitation, rep = invited_company(event, officer)
    investor_invitation, investor = invited_company(event, officer)
    register(investor_invitation, investor)
    login(client, rep).post(
        reverse("events:demo_sign_up", args=[event.pk]),
        {"company": invitation.company_id, "technology": "Solar membrane", "starts_at": "10:00"},
    )
    slot = event.demo_slots.get()
    assert str(slot) == "Solar membrane"

    login(client, investor).post(reverse("events:introduction", args=[event.pk, slot.pk]))

    from clinic.models import OutboxMessage

    assert (
        OutboxMessage.objects.filter(
            kind="event_introduction_requested", to_email=officer.email
        ).count()
        == 1
    )
    assert registrations.seats_taken(event) == 1


def test_a_stale_event_edit_answers_409_and_keeps_what_was_typed(client):
    event, officer = new_event()
    client.force_login(officer)
    page = client.get(reverse("events:edit", args=[event.pk]))
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        programme=event.programme_id,
        cohort=event.cohort_id,
        date=form.initial["date"].isoformat(),
        time=form.initial["time"].strftime("%H:%M"),
        edit_stamp=form.stamp,
        title="Typed title",
        mandatory="",
    )
    event.capacity = 12
    events.save_event(make_user(roles.OFFICER), event, ["capacity"])

    response = client.post(reverse("events:edit", args=[event.pk]), data)

    assert response.status_code == 409
    assert "Typed title" in response.content.decode()
    event.refresh_from_db()
    assert (event.title, event.capacity) == ("International IP strategy", 12)
