"""A lost or altered plan PDF is detected on download and by the sweep, shown as a clear page
and rendered again from the version's snapshot; a lost upload is a clear page and the officers
are told once."""

import pytest
from django.urls import reverse

from clinic import roles
from clinic.models import AuditLog, OutboxMessage
from clinic.services import evidence as evidence_service
from mentoring import tasks
from mentoring.models import PlanVersion
from mentoring.services import plan_rendering
from mentoring.services import plan_versions as service
from tests.factories import (
    ApplicationFactory,
    audit_with_representative,
    company_with_representative,
    make_user,
    pdf_file,
)

from .plan_helpers import lead, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(django_capture_on_commit_callbacks):
    participation, representative, expert, officer, _current = submitted()
    with django_capture_on_commit_callbacks(execute=True):
        version = service.request_version(expert, participation)
    version = PlanVersion.objects.get(pk=version.pk)
    assert version.state == PlanVersion.State.READY
    return version, expert, officer


def lose(field):
    field.storage.delete(field.name)


def test_download_of_a_lost_plan_pdf_shows_a_page_and_renders_it_again(
    client, ready, django_capture_on_commit_callbacks
):
    version, expert, _officer = ready
    snapshot, old_name = version.snapshot, version.file.name
    lose(version.file)
    client.force_login(expert)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("mentoring:version_download", args=[version.pk]))
    assert response.status_code == 404
    assert "being generated again" in response.content.decode()
    version.refresh_from_db()
    assert (version.state, version.snapshot) == (PlanVersion.State.READY, snapshot)
    assert version.file.name != old_name
    assert plan_rendering.files_intact(version)
    actions = list(
        AuditLog.objects.filter(object_id=str(version.pk)).values_list("action", flat=True)
    )
    assert actions.count("plan_file_lost") == 1
    assert client.get(reverse("mentoring:version_download", args=[version.pk])).status_code == 200


def test_download_of_an_altered_plan_pdf_is_refused_and_queues_it_again(client, ready):
    version, expert, _officer = ready
    with version.file.storage.open(version.file.name, "wb") as handle:
        handle.write(b"%PDF-1.4 tampered")
    client.force_login(expert)
    response = client.get(reverse("mentoring:version_download", args=[version.pk]))
    assert response.status_code == 404
    version.refresh_from_db()
    assert version.state == PlanVersion.State.QUEUED


def test_lost_signed_pdf_is_signed_again_with_the_same_signer(
    client, ready, django_capture_on_commit_callbacks
):
    version, _expert, _officer = ready
    signer = lead()
    service.sign_off(signer, version)
    version.refresh_from_db()
    lose(version.signed_file)
    representative = version.participation.company.representatives.get()
    client.force_login(representative)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(reverse("mentoring:version_signed", args=[version.pk]))
    version.refresh_from_db()
    again = client.get(reverse("mentoring:version_signed", args=[version.pk]))
    content = b"".join(again.streaming_content)
    assert (first.status_code, again.status_code) == (404, 200)
    assert (version.signed_by, service.files.sha256(content)) == (signer, version.signed_checksum)


def test_sweep_renders_again_a_version_whose_file_is_gone(
    ready, django_capture_on_commit_callbacks
):
    version, _expert, _officer = ready
    lose(version.file)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_plan_versions() == 1
    version.refresh_from_db()
    assert (version.state, plan_rendering.files_intact(version)) == (PlanVersion.State.READY, True)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_plan_versions() == 0


def test_sweep_leaves_intact_versions_alone_and_notes_the_check(ready):
    version, _expert, _officer = ready
    PlanVersion.objects.filter(pk=version.pk).update(checked_at=None)
    assert plan_rendering.check_ready_files() == 0
    version.refresh_from_db()
    assert (version.state, version.checked_at is not None) == (PlanVersion.State.READY, True)


def test_lost_evidence_shows_a_page_and_tells_the_officers_once(client):
    audit, representative = audit_with_representative()
    officers = [make_user(roles.OFFICER), make_user(roles.OFFICER)]
    evidence = evidence_service.add_evidence(representative, audit, 1, pdf_file("nda.pdf"))
    lose(evidence.file)
    client.force_login(representative)
    url = reverse("ipaudit:evidence", args=[evidence.pk])
    responses = [client.get(url), client.get(url)]
    assert [r.status_code for r in responses] == [404, 404]
    assert "programme officers have been told" in responses[0].content.decode()
    told = OutboxMessage.objects.filter(kind="file_missing").values_list("recipient", flat=True)
    assert sorted(told) == sorted(o.pk for o in officers)


def test_lost_pitch_deck_shows_a_page_and_tells_the_officers(client):
    company, representative = company_with_representative()
    officer = make_user(roles.OFFICER)
    application = ApplicationFactory(company=company)
    lose(application.pitch_deck)
    client.force_login(representative)
    response = client.get(reverse("cohorts:pitch_deck", args=[application.pk]))
    assert response.status_code == 404
    message = OutboxMessage.objects.get(kind="file_missing")
    assert (message.recipient, message.related_id) == (officer, str(application.pk))


def test_evidence_is_stored_by_its_detected_type_not_its_name():
    audit, representative = audit_with_representative()
    polyglot = pdf_file("poly.html", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF")
    evidence = evidence_service.add_evidence(representative, audit, 1, polyglot)
    assert (evidence.file.name.rsplit(".", 1)[1], evidence.original_name) == ("pdf", "poly.html")


@pytest.mark.parametrize(
    ("name", "content", "disposition"),
    [
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "inline"),
        ("report.pdf", b"%PDF-1.4\n%%EOF\n", "inline"),
        ("plan.docx", None, "attachment"),
    ],
)
def test_evidence_is_inline_only_for_pdfs_and_images(client, name, content, disposition):
    audit, representative = audit_with_representative()
    content = content or docx_bytes()
    evidence = evidence_service.add_evidence(representative, audit, 1, pdf_file(name, content))
    client.force_login(representative)
    response = client.get(reverse("ipaudit:evidence", args=[evidence.pk]))
    assert response["Content-Disposition"].split(";")[0] == disposition
    assert (response["X-Content-Type-Options"], response["Content-Security-Policy"]) == (
        "nosniff",
        "default-src 'none'; sandbox",
    )


def docx_bytes():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()
