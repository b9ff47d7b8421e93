import json

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic import roles
from clinic.models import IPAsset, IPAudit, QuestionnaireVersion
from clinic.services import evidence as evidence_service
from clinic.services import ipaudit, ipaudit_answers, questionnaires
from tests.factories import (
    answer_required,
    audit_with_representative,
    company_with_representative,
    make_user,
    published_version,
    small_questionnaire,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_sme_opening_another_company_audit_gets_404(client):
    audit, _representative = audit_with_representative()
    other_audit, stranger = audit_with_representative()
    evidence = evidence_service.add_evidence(
        _representative, audit, 1, SimpleUploadedFile("a.pdf", PDF)
    )
    client.force_login(stranger)
    urls = [
        reverse("ipaudit:detail", args=[audit.pk]),
        reverse("ipaudit:section", args=[audit.pk, 1]),
        reverse("ipaudit:submit", args=[audit.pk]),
        reverse("ipaudit:evidence", args=[evidence.pk]),
        reverse("ipaudit:assets", args=[audit.company.pk]),
        reverse("ipaudit:asset_export", args=[audit.company.pk]),
    ]
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    response = client.post(
        reverse("ipaudit:autosave", args=[audit.pk]), {"question": "q1_level", "value": "1"}
    )
    assert response.status_code == 404
    assert client.get(reverse("ipaudit:detail", args=[other_audit.pk])).status_code == 200


@pytest.mark.parametrize("role", [roles.REVIEWER, roles.EXPERT])
def test_reviewers_and_experts_cannot_open_audits(client, role):
    audit, _representative = audit_with_representative()
    client.force_login(make_user(role))
    assert client.get(reverse("ipaudit:detail", args=[audit.pk])).status_code == 404
    assert client.get(reverse("ipaudit:questionnaires")).status_code == 404


def test_sme_audit_list_redirects_to_own_audit(client):
    audit, representative = audit_with_representative()
    client.force_login(representative)
    response = client.get(reverse("ipaudit:list"))
    assert response.status_code == 302
    assert response.url == reverse("ipaudit:detail", args=[audit.pk])


def test_officer_sees_every_audit(client):
    audit_with_representative()
    audit_with_representative()
    client.force_login(make_user(roles.OFFICER))
    response = client.get(reverse("ipaudit:list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == 2


def test_section_page_shows_questions_in_request_language(client):
    audit, representative = audit_with_representative()
    client.force_login(representative)
    url = reverse("ipaudit:section", args=[audit.pk, 2])
    english = client.get(url).content.decode()
    representative.preferred_language = "zh-hans"
    representative.save()
    chinese = client.get(url).content.decode()
    assert "How mature is area 2?" in english
    assert "领域2成熟度？" in chinese
    assert "How mature is area 2?" not in chinese


def test_autosave_stores_answer_and_reports_section_progress(client):
    audit, representative = audit_with_representative()
    client.force_login(representative)
    response = client.post(
        reverse("ipaudit:autosave", args=[audit.pk]),
        {"question": "q3_level", "value": "2", "note": "Only for staff"},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True
    assert data["section"] == {
        "dimension": 3,
        "answered": 1,
        "total": 4,
        "percent": 25,
        "missing": 1,
    }
    answer = audit.answers.get(question_key="q3_level")
    assert (answer.value, answer.note, answer.updated_by) == ("2", "Only for staff", representative)


def test_autosave_invalid_value_is_refused_with_message(client):
    audit, representative = audit_with_representative()
    client.force_login(representative)
    response = client.post(
        reverse("ipaudit:autosave", args=[audit.pk]), {"question": "q3_count", "value": "lots"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "Enter a number."


def test_autosave_after_submission_is_refused(client):
    audit, representative = audit_with_representative()
    answer_required(audit, representative)
    ipaudit.submit_audit(representative, audit)
    client.force_login(representative)
    response = client.post(
        reverse("ipaudit:autosave", args=[audit.pk]), {"question": "q3_level", "value": "0"}
    )
    assert response.status_code == 409
    assert audit.answers.get(question_key="q3_level").value == "3"


def test_autosave_by_officer_is_refused(client):
    audit, _representative = audit_with_representative()
    client.force_login(make_user(roles.OFFICER))
    response = client.post(
        reverse("ipaudit:autosave", args=[audit.pk]), {"question": "q3_level", "value": "0"}
    )
    assert response.status_code == 403
    assert audit.answers.count() == 0


def test_section_form_post_saves_answers_without_javascript(client):
    audit, representative = audit_with_representative()
    client.force_login(representative)
    response = client.post(
        reverse("ipaudit:section", args=[audit.pk, 1]),
        {"q__q1_level": "4", "q__q1_yes": "partly", "note__q1_yes": "", "next_section": "2"},
    )
    assert response.status_code == 302
    assert response.url == reverse("ipaudit:section", args=[audit.pk, 2])
    assert ipaudit_answers.answer_values(audit) == {"q1_level": "4", "q1_yes": "partly"}


def test_submit_view_lists_missing_questions_then_submits(client):
    audit, representative = audit_with_representative()
    client.force_login(representative)
    url = reverse("ipaudit:submit", args=[audit.pk])
    response = client.post(url)
    assert response.status_code == 200
    assert len(response.context["missing"]) == 22
    answer_required(audit, representative)
    response = client.post(url)
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.state == IPAudit.State.SUBMITTED
    page = client.get(reverse("ipaudit:detail", args=[audit.pk])).content.decode()
    assert "How the self-assessed maturity is computed" in page
    assert "yes = 4, partly = 2, no = 0" in page


def test_officer_returns_audit_with_section_comments(client):
    audit, representative = audit_with_representative()
    answer_required(audit, representative)
    ipaudit.submit_audit(representative, audit)
    client.force_login(make_user(roles.OFFICER))
    response = client.post(
        reverse("ipaudit:return", args=[audit.pk]),
        {"note": "Almost there", "section_3": "Add the contractor clause", "section_5": ""},
    )
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.state == IPAudit.State.RETURNED
    assert audit.rounds.get().comments == {"3": "Add the contractor clause"}
    client.force_login(representative)
    page = client.get(reverse("ipaudit:section", args=[audit.pk, 3])).content.decode()
    assert "Add the contractor clause" in page


def test_sme_cannot_return_audit(client):
    audit, representative = audit_with_representative()
    answer_required(audit, representative)
    ipaudit.submit_audit(representative, audit)
    client.force_login(representative)
    assert client.get(reverse("ipaudit:return", args=[audit.pk])).status_code == 404


def test_evidence_upload_and_download_through_permission_check(client):
    audit, representative = audit_with_representative()
    client.force_login(representative)
    response = client.post(
        reverse("ipaudit:evidence_upload", args=[audit.pk, 4]),
        {"file": SimpleUploadedFile("nda.pdf", PDF), "description": "NDA template"},
    )
    assert response.status_code == 302
    evidence = audit.evidence.get()
    download = client.get(reverse("ipaudit:evidence", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    client.force_login(make_user(roles.OFFICER))
    assert client.get(reverse("ipaudit:evidence", args=[evidence.pk])).status_code == 200


def test_evidence_upload_of_disguised_file_is_refused(client):
    audit, representative = audit_with_representative()
    client.force_login(representative)
    client.post(
        reverse("ipaudit:evidence_upload", args=[audit.pk, 4]),
        {"file": SimpleUploadedFile("nda.pdf", b"<html><script>alert(1)</script></html>")},
    )
    assert audit.evidence.count() == 0


def yaml_upload(data, name="questionnaire.yaml"):
    class NoAliasDumper(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True

    content = yaml.dump(data, Dumper=NoAliasDumper, allow_unicode=True).encode()
    return SimpleUploadedFile(name, content)


def test_questionnaire_import_view_good_file_makes_draft(client):
    client.force_login(make_user(roles.OFFICER))
    response = client.post(
        reverse("ipaudit:questionnaires"),
        {"action": "import", "file": yaml_upload(small_questionnaire("2027.1"))},
    )
    version = QuestionnaireVersion.objects.get(version="2027.1")
    assert response.status_code == 302
    assert response.url == reverse("ipaudit:questionnaire", args=[version.pk])
    assert version.status == QuestionnaireVersion.Status.DRAFT


def test_questionnaire_import_view_bad_file_shows_every_problem(client):
    client.force_login(make_user(roles.OFFICER))
    data = small_questionnaire("2027.1")
    del data["title"]
    data["sections"][2]["questions"][1]["key"] = "Bad Key"
    response = client.post(
        reverse("ipaudit:questionnaires"), {"action": "import", "file": yaml_upload(data)}
    )
    assert response.status_code == 200
    assert response.context["problems"] == [
        "title is missing",
        "sections[2].questions[1].key must be snake_case (lowercase letters, digits and single "
        "underscores, starting with a letter) and at most 50 characters",
    ]
    assert QuestionnaireVersion.objects.count() == 0


def test_questionnaire_import_view_json_file(client):
    client.force_login(make_user(roles.OFFICER))
    upload = SimpleUploadedFile("q.json", json.dumps(small_questionnaire("j-1")).encode())
    client.post(reverse("ipaudit:questionnaires"), {"action": "import", "file": upload})
    assert QuestionnaireVersion.objects.filter(version="j-1").count() == 1


def test_questionnaire_copy_edit_publish_through_pages(client):
    current = published_version("2026.1")
    client.force_login(make_user(roles.OFFICER))
    client.post(reverse("ipaudit:questionnaires"), {"action": "copy", "version": "2026.2"})
    draft = QuestionnaireVersion.objects.get(version="2026.2")
    edit_url = reverse("ipaudit:questionnaire_edit", args=[draft.pk])
    content = client.get(edit_url).context["form"].initial["content"]
    edited = content.replace("How mature is area 1?", "How mature is IP awareness?")
    assert client.post(edit_url, {"content": edited}).status_code == 302
    client.post(reverse("ipaudit:questionnaire_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.is_published
    assert draft.sections[0]["questions"][0]["text"]["en"] == "How mature is IP awareness?"
    assert ipaudit.current_version() == draft
    current.refresh_from_db()
    assert current.sections[0]["questions"][0]["text"]["en"] == "How mature is area 1?"
    published_edit = client.get(reverse("ipaudit:questionnaire_edit", args=[current.pk]))
    assert published_edit.status_code == 302


def test_questionnaire_edit_with_problems_keeps_draft(client):
    published_version("2026.1")
    officer = make_user(roles.OFFICER)
    draft = questionnaires.copy_version(officer, ipaudit.current_version(), "2026.2")
    client.force_login(officer)
    response = client.post(
        reverse("ipaudit:questionnaire_edit", args=[draft.pk]), {"content": "version: [unclosed"}
    )
    assert response.status_code == 200
    assert len(response.context["problems"]) == 1
    draft.refresh_from_db()
    assert draft.version == "2026.2"


def test_my_tasks_shows_audit_todo(client):
    audit, representative = audit_with_representative()
    client.force_login(representative)
    page = client.get(reverse("home")).content.decode()
    assert reverse("ipaudit:detail", args=[audit.pk]) in page


def test_sme_without_audit_sees_explanation(client):
    _company, representative = company_with_representative()
    client.force_login(representative)
    response = client.get(reverse("ipaudit:list"))
    assert response.status_code == 200
    assert "opens when your company" in response.content.decode()


def test_audit_list_query_count_does_not_grow_with_rows(client):
    version = published_version("q-1")
    for _ in range(2):
        audit_with_representative(version)
    client.force_login(make_user(roles.OFFICER))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("ipaudit:list"))
    for _ in range(20):
        audit_with_representative(version)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("ipaudit:list"))
    assert len(many) == len(few)


def test_asset_list_query_count_does_not_grow_with_rows(client):
    company, representative = company_with_representative()
    client.force_login(representative)

    def add(count):
        IPAsset.objects.bulk_create(
            IPAsset(company=company, asset_type="trademark", title=f"Mark {n}", status="idea")
            for n in range(count)
        )

    add(2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("ipaudit:assets", args=[company.pk]))
    add(48)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("ipaudit:assets", args=[company.pk]))
    assert len(many) == len(few)


def test_autosave_after_session_expiry_redirects_to_login(client):
    audit, _representative = audit_with_representative()
    response = client.post(
        reverse("ipaudit:autosave", args=[audit.pk]), {"question": "q1_level", "value": "1"}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert audit.answers.count() == 0


def test_questionnaire_copy_of_older_version_from_its_page(client):
    old = published_version("2025.1")
    published_version("2026.1")
    client.force_login(make_user(roles.OFFICER))
    client.post(
        reverse("ipaudit:questionnaires"),
        {"action": "copy", "source": str(old.pk), "version": "2025.2"},
    )
    assert QuestionnaireVersion.objects.get(version="2025.2").based_on == old


def test_round_page_shows_answers_and_assets_as_submitted(client):
    audit, representative = audit_with_representative()
    audit.company.ip_assets.create(asset_type="trademark", title="Qingfeng", status="idea")
    answer_required(audit, representative, level="1")
    ipaudit.submit_audit(representative, audit)
    audit.company.ip_assets.all().delete()
    client.force_login(make_user(roles.OFFICER))
    response = client.get(reverse("ipaudit:round", args=[audit.pk, 1]))
    assert response.status_code == 200
    assert [asset["title"] for asset in response.context["assets"]] == ["Qingfeng"]
    assert response.context["sections"][0]["rows"][0]["display"] == "1 – Level 1"


def test_audit_detail_counts_evidence_per_section(client):
    audit, representative = audit_with_representative()
    for dimension in (2, 2, 4):
        evidence_service.add_evidence(
            representative, audit, dimension, SimpleUploadedFile("a.pdf", PDF)
        )
    client.force_login(representative)
    response = client.get(reverse("ipaudit:detail", args=[audit.pk]))
    counts = {item.dimension: item.evidence for item in response.context["sections"]}
    assert (counts[2], counts[4], counts[5]) == (2, 1, 0)
    assert response.context["evidence_count"] == 3
