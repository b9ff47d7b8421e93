import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from clinic import jobs, roles
from clinic.models import AuditLog, IPAudit, OutboxMessage
from clinic.services import evidence as evidence_service
from clinic.services import ipaudit, ipaudit_answers, questionnaires
from clinic.todos import todos_for
from tests.factories import (
    answer_required,
    audit_with_representative,
    company_with_representative,
    make_user,
    published_version,
)
from tests.refusals import refused

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English whatever language an earlier test left active."""
    with translation.override("en"):
        yield


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_start_audit_is_idempotent_and_notifies_representatives():
    company, representative = company_with_representative()
    version = published_version()
    first = ipaudit.start_audit(company, version)
    second = ipaudit.start_audit(company, version)
    assert first.pk == second.pk
    assert first.state == IPAudit.State.DRAFT
    assert list(OutboxMessage.objects.values_list("kind", "recipient")) == [
        ("audit_started", representative.pk)
    ]


def test_start_audit_on_draft_version_is_refused():
    officer = make_user(roles.OFFICER)
    company, _representative = company_with_representative()
    draft = questionnaires.copy_version(officer, published_version(), "draft-1")
    with refused("wrong_state"):
        ipaudit.start_audit(company, draft)


@pytest.mark.parametrize(
    ("key", "value", "stored"),
    [
        ("q1_level", "4", "4"),
        ("q1_level", "not_sure", "not_sure"),
        ("q1_yes", "partly", "partly"),
        ("q1_count", " 1,200.50 ", "1200.5"),
        ("q1_text", "  Our notes  ", "Our notes"),
        ("q1_level", "", ""),
    ],
)
def test_save_answer_stores_cleaned_value(key, value, stored):
    audit, representative = audit_with_representative()
    answer = ipaudit.save_answer(representative, audit, key, value)
    assert answer.value == stored


@pytest.mark.parametrize(
    ("key", "value"),
    [("q1_level", "5"), ("q1_yes", "maybe"), ("q1_count", "many"), ("unknown", "yes")],
)
def test_save_answer_invalid_value_is_refused(key, value):
    audit, representative = audit_with_representative()
    with refused("invalid"):
        ipaudit.save_answer(representative, audit, key, value)


def test_save_answer_by_other_company_is_not_allowed():
    audit, _representative = audit_with_representative()
    _other, stranger = company_with_representative()
    with refused("not_permitted"):
        ipaudit.save_answer(stranger, audit, "q1_level", "2")


def test_compute_scores_on_known_answers():
    version = published_version()
    answers = {
        "q1_level": "3",
        "q1_yes": "yes",  # (3 + 4) / 2
        "q2_level": "1",
        "q2_yes": "partly",  # (1 + 2) / 2
        "q3_level": "not_sure",
        "q3_yes": "no",  # not sure left out: 0
        "q4_level": "not_sure",
        "q4_yes": "not_sure",  # nothing scored
        "q5_count": "12",
        "q5_text": "unscored",
    }
    scores = ipaudit_answers.compute_scores(version, answers)
    assert scores["1"] == {"score": 3.5, "scored": 2, "not_sure": 0, "scorable": 2}
    assert scores["2"] == {"score": 1.5, "scored": 2, "not_sure": 0, "scorable": 2}
    assert scores["3"] == {"score": 0.0, "scored": 1, "not_sure": 1, "scorable": 2}
    assert scores["4"] == {"score": None, "scored": 0, "not_sure": 2, "scorable": 2}
    assert scores["5"] == {"score": None, "scored": 0, "not_sure": 0, "scorable": 2}


def test_submit_audit_missing_required_answers_is_refused():
    audit, representative = audit_with_representative()
    answer_required(audit, representative)
    ipaudit.save_answer(representative, audit, "q7_yes", "")
    with refused("invalid") as caught:
        ipaudit.submit_audit(representative, audit)
    assert [question["key"] for question in caught.value.details["missing"]] == ["q7_yes"]
    audit.refresh_from_db()
    assert audit.state == IPAudit.State.DRAFT


def test_submit_audit_not_sure_counts_as_answered_and_scores_are_stored():
    audit, representative = audit_with_representative()
    answer_required(audit, representative, level="2", yes="yes")
    ipaudit.save_answer(representative, audit, "q1_yes", "not_sure")
    ipaudit.submit_audit(representative, audit)
    audit.refresh_from_db()
    assert audit.state == IPAudit.State.SUBMITTED
    assert audit.scores["1"]["score"] == 2.0
    assert audit.scores["2"]["score"] == 3.0
    assert audit.rounds.get().number == 1
    assert audit.rounds.get().answers["values"]["q1_yes"] == "not_sure"


def test_submitted_audit_cannot_be_changed():
    audit, representative = audit_with_representative()
    answer_required(audit, representative)
    ipaudit.submit_audit(representative, audit)
    audit.refresh_from_db()
    with refused("wrong_state"):
        ipaudit.save_answer(representative, audit, "q1_level", "0")


def test_return_and_resubmit_keeps_every_round():
    officer = make_user(roles.OFFICER)
    audit, representative = audit_with_representative()
    answer_required(audit, representative, level="4")
    ipaudit.submit_audit(representative, audit)
    ipaudit.return_audit(officer, audit, {3: "Explain the contractor clauses.", 4: ""}, "Thanks")
    audit.refresh_from_db()
    assert audit.state == IPAudit.State.RETURNED
    ipaudit.save_answer(representative, audit, "q3_level", "1")
    ipaudit.submit_audit(representative, audit)
    audit.refresh_from_db()

    first, second = audit.rounds.order_by("number")
    assert audit.state == IPAudit.State.SUBMITTED
    assert first.comments == {"3": "Explain the contractor clauses."}
    assert first.return_note == "Thanks"
    assert first.returned_by == officer
    assert first.answers["values"]["q3_level"] == "4"
    assert second.answers["values"]["q3_level"] == "1"
    assert second.returned_at is None
    assert audit.scores["3"]["score"] == 2.5
    actions = list(
        AuditLog.objects.for_object(audit).order_by("pk").values_list("action", "to_state")
    )
    assert actions == [
        ("audit_started", "draft"),
        ("audit_submitted", "submitted"),
        ("audit_returned", "returned"),
        ("audit_submitted", "submitted"),
    ]
    kinds = list(OutboxMessage.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["audit_started", "audit_submitted", "audit_returned", "audit_submitted"]


def test_return_audit_by_sme_is_not_allowed():
    audit, representative = audit_with_representative()
    answer_required(audit, representative)
    ipaudit.submit_audit(representative, audit)
    with refused("not_permitted"):
        ipaudit.return_audit(representative, audit, {1: "no"})


def test_return_audit_without_comments_is_refused():
    officer = make_user(roles.OFFICER)
    audit, representative = audit_with_representative()
    answer_required(audit, representative)
    ipaudit.submit_audit(representative, audit)
    with refused("invalid"):
        ipaudit.return_audit(officer, audit, {1: "  "}, "")


def test_return_audit_in_draft_is_refused():
    officer = make_user(roles.OFFICER)
    audit, _representative = audit_with_representative()
    with refused("wrong_state"):
        ipaudit.return_audit(officer, audit, {1: "Fix"})


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("scan.pdf", PDF, "application/pdf"),
        ("logo.png", PNG, "image/png"),
        (
            "policy.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_add_evidence_accepts_checked_types(name, content, content_type):
    audit, representative = audit_with_representative()
    evidence = evidence_service.add_evidence(
        representative, audit, 2, SimpleUploadedFile(name, content), "Register"
    )
    assert evidence.content_type == content_type
    assert evidence.original_name == name
    assert evidence.file.name.startswith(f"ipaudit/{audit.pk}/")
    assert evidence.file.read() == content


def test_add_evidence_type_is_checked_from_content_not_name():
    audit, representative = audit_with_representative()
    fake = SimpleUploadedFile("report.pdf", b"#!/bin/sh\necho not a pdf\n")
    with refused("wrong_state"):
        evidence_service.add_evidence(representative, audit, 2, fake)
    assert audit.evidence.count() == 0


def test_add_evidence_too_large_is_refused(settings):
    audit, representative = audit_with_representative()
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * evidence_service.EVIDENCE_MAX_BYTES)
    with refused("invalid"):
        evidence_service.add_evidence(representative, audit, 2, big)


def test_remove_evidence_deletes_row_and_file(django_capture_on_commit_callbacks):
    audit, representative = audit_with_representative()
    evidence = evidence_service.add_evidence(
        representative, audit, 2, SimpleUploadedFile("a.pdf", PDF)
    )
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        evidence_service.remove_evidence(representative, evidence)
    assert audit.evidence.count() == 0
    assert path.exists() is False


def test_deleting_company_removes_evidence_files(django_capture_on_commit_callbacks):
    audit, representative = audit_with_representative()
    evidence = evidence_service.add_evidence(
        representative, audit, 2, SimpleUploadedFile("a.pdf", PDF)
    )
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        audit.company.delete()
    assert path.exists() is False


def test_send_reminders_after_14_days_once():
    audit, _representative = audit_with_representative()
    IPAudit.objects.filter(pk=audit.pk).update(started_at=timezone.now() - timedelta(days=15))
    assert ipaudit.send_reminders() == 1
    assert ipaudit.send_reminders() == 0
    assert OutboxMessage.objects.filter(kind="audit_reminder").count() == 1


def test_send_reminders_runs_with_the_periodic_jobs():
    audit, _representative = audit_with_representative()
    IPAudit.objects.filter(pk=audit.pk).update(started_at=timezone.now() - timedelta(days=20))
    results = jobs.run_all()
    assert results["clinic.services.ipaudit.send_reminders"] == 1


def test_send_reminders_before_14_days_sends_nothing():
    audit, _representative = audit_with_representative()
    IPAudit.objects.filter(pk=audit.pk).update(started_at=timezone.now() - timedelta(days=13))
    assert ipaudit.send_reminders() == 0


def test_audit_todo_lists_open_audit_for_representative_only():
    audit, representative = audit_with_representative()
    _other, stranger = company_with_representative()
    titles = [str(todo.title) for todo in todos_for(representative)]
    assert "Fill in the IP audit" in titles
    assert [str(todo.title) for todo in todos_for(stranger)].count("Fill in the IP audit") == 0


def test_submit_audit_keeps_asset_register_with_round():
    audit, representative = audit_with_representative()
    audit.company.ip_assets.create(
        asset_type="trademark", title="Lvyuan", status="filed", filing_date=timezone.localdate()
    )
    answer_required(audit, representative)
    ipaudit.submit_audit(representative, audit)
    snapshot = audit.rounds.get().answers["assets"]
    assert [(item["title"], item["status"]) for item in snapshot] == [("Lvyuan", "filed")]
    assert snapshot[0]["filing_date"] == timezone.localdate().isoformat()
