"""Hand-made uploads and requests against events and matchmaking (and the asset import that
reads CSV the same way): an unreadable or oversized file is a clear answer, never a 500; a
refused or repeated step stores no file; nobody asks an introduction to their own company."""

import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from clinic.spreadsheets import UNREADABLE_CSV
from clinic.transitions import Refused
from mentoring.events.models import Event, Registration
from mentoring.events.services import demo_days, invitations, registrations
from mentoring.matchmaking.models import ExternalListing
from mentoring.matchmaking.services import introductions
from tests.clinic.test_assets import HEADER
from tests.factories import PDF_BYTES, company_with_representative

from .events.helpers import invited_company, new_event, register
from .matchmaking.helpers import introduced, officer

pytestmark = pytest.mark.django_db
LONG_CELL = "x" * 200_000  # over the csv module's field limit (131,072 characters)


def test_an_attendance_csv_with_an_overlong_cell_or_too_big_is_refused_plainly(client):
    event, staff = new_event()
    invitation, rep = invited_company(event, staff)
    registration = register(invitation, rep)
    client.force_login(staff)
    url = reverse("events:check_in", args=[event.pk])
    unreadable = f"email,attended\n{LONG_CELL},yes\n".encode()
    response = client.post(url, {"file": SimpleUploadedFile("a.csv", unreadable)})
    assert (response.status_code, str(UNREADABLE_CSV) in response.content.decode()) == (400, True)
    huge = b"email,attended\n" + b"a@example.org,yes\n" * 70_000
    response = client.post(url, {"file": SimpleUploadedFile("b.csv", huge)})
    assert (response.status_code, "larger than 1 MB" in response.content.decode()) == (200, True)
    registration.refresh_from_db()
    assert registration.state == Registration.State.REGISTERED


def test_an_asset_csv_with_an_overlong_cell_is_refused_plainly(client):
    company, representative = company_with_representative()
    client.force_login(representative)
    upload = SimpleUploadedFile(
        "assets.csv", f"{HEADER}patent,{LONG_CELL},CN,,granted,,,,,,\n".encode()
    )
    response = client.post(reverse("ipaudit:asset_import", args=[company.pk]), {"file": upload})
    assert response.status_code == 200
    assert [message for _line, message in response.context["problems"]] == [str(UNREADABLE_CSV)]
    assert company.ip_assets.count() == 0


def test_a_wipo_json_with_lists_numbers_and_nul_characters_imports_their_text(client):
    staff = officer()
    rows = [
        {
            "Listing ID": 1234,
            "Title": "Solar\x00 dryer",
            "Description": ["not", "text"],
            "Offered or sought": {"a": 1},
            "Sub-field": 7,
            "Development stage": None,
            "TRL": [5],
        }
    ]
    client.force_login(staff)
    upload = SimpleUploadedFile("w.json", json.dumps({"listings": rows}).encode())
    response = client.post(reverse("matchmaking:wipo"), {"file": upload})
    assert response.status_code == 302
    listing = ExternalListing.objects.get()
    assert (listing.external_id, listing.title, listing.summary, listing.trl) == (
        "1234",
        "Solar dryer",
        "",
        None,
    )


def stored_mou_files():
    return default_storage.listdir("mou")[1] if default_storage.exists("mou") else []


def test_an_mou_before_acceptance_or_recorded_again_stores_no_file():
    introduction, provider, owner, staff = introduced()
    document = SimpleUploadedFile("mou.pdf", PDF_BYTES, content_type="application/pdf")
    with pytest.raises(Refused):
        introductions.sign_mou(staff, introduction, timezone.localdate(), "Scope", document)
    assert stored_mou_files() == []
    introductions.accept(provider, introduction)
    introductions.accept(owner, introduction)
    for _attempt in range(2):
        document.seek(0)
        introductions.sign_mou(staff, introduction, timezone.localdate(), "Scope", document)
    assert len(stored_mou_files()) == 1


def test_the_presenting_companys_representative_on_a_guest_invitation_asks_no_introduction():
    event, staff = new_event(kind=Event.Kind.DEMO_DAY)
    invitation, rep = invited_company(event, staff)
    slot = demo_days.sign_up(
        rep, event, invitation.company, technology="Membrane", starts_at=timezone.now().time()
    )
    guest = invitations.invite_guest(staff, event, email="other-hat@example.org")
    seated = registrations.register(None, guest, name="Rep", email=rep.email, user=rep)
    with pytest.raises(Refused):
        demo_days.ask_introduction(rep, seated, slot)


def test_a_meeting_is_recorded_as_held_only_once_it_was_scheduled(client):
    introduction, provider, owner, staff = introduced()
    introductions.accept(provider, introduction)
    introductions.accept(owner, introduction)
    client.force_login(provider)
    held = reverse("matchmaking:meeting_held", args=[introduction.pk])
    assert client.post(held).status_code == 409
    introductions.schedule_meeting(staff, introduction, timezone.now(), "Pilot office")
    assert (client.post(held).status_code, client.post(held).status_code) == (302, 302)
    introduction.refresh_from_db()
    assert introduction.state == "meeting"
