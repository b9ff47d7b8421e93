"""Plan PDF versions built from the models: content read back with pypdf, versioning, download
scoping, failure and retry, the sweep, generate-all progress and the lead's sign-off."""

import hashlib
import re
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader
from viewflow.workflow.status import STATUS

from clinic import roles
from clinic.dimensions import Dimension
from clinic.models import OutboxMessage
from mentoring.flows import process_of
from mentoring.models import PlanVersion
from mentoring.services import action_plan
from mentoring.services import plan_versions as service
from tests.factories import make_user
from tests.refusals import refused

from .helpers import expert as make_expert
from .plan_helpers import PRIVATE, broken_font, generate, item_values, lead, submitted

pytestmark = pytest.mark.django_db


CHINESE_TITLE = "申请“绿氢芯”商标（第1、7、40类）"


def compact(text):
    return "".join(text.split())


def pdf_text(content):
    reader = PdfReader(BytesIO(content))
    return reader, "".join(compact(page.extract_text()) for page in reader.pages)


def test_generated_pdf_contains_company_dimensions_and_every_action(
    plan, django_capture_on_commit_callbacks
):
    participation, _rep, expert, _officer, current = plan
    version = generate(expert, participation, django_capture_on_commit_callbacks, "en")
    _reader, text = pdf_text(version.file.read())
    expected = [participation.company.legal_name]
    expected += [str(d.label) for d in Dimension]
    expected += list(current.actions.values_list("title", flat=True))
    assert [value for value in expected if compact(value) not in text] == []


def test_generated_pdf_never_contains_private_notes(plan, django_capture_on_commit_callbacks):
    participation, _rep, expert, _officer, _current = plan
    version = generate(expert, participation, django_capture_on_commit_callbacks, "en")
    _reader, text = pdf_text(version.file.read())
    assert (compact(PRIVATE) in text, "Wereviewedthepatentportfolio." in text) == (False, True)


def test_generated_chinese_pdf_extracts_chinese_text(plan, django_capture_on_commit_callbacks):
    participation, _rep, expert, _officer, current = plan
    action_plan.add_item(expert, current, **item_values(current, 9, title=CHINESE_TITLE))
    version = generate(expert, participation, django_capture_on_commit_callbacks, "zh-hans")
    _reader, text = pdf_text(version.file.read())
    expected = [CHINESE_TITLE, participation.company.local_name, "知识产权", "专利"]
    assert [value for value in expected if compact(value) not in text] == []


def test_generated_pdf_has_plausible_page_count_and_metadata(
    plan, django_capture_on_commit_callbacks
):
    participation, _rep, expert, _officer, _current = plan
    version = generate(expert, participation, django_capture_on_commit_callbacks, "en")
    reader, _text = pdf_text(version.file.read())
    assert 4 <= len(reader.pages) <= 12
    assert reader.metadata.title == "IP action plan: Hydrocell Energy Technology Co., Ltd."


def test_version_stores_checksum_size_and_snapshot(plan, django_capture_on_commit_callbacks):
    participation, _rep, expert, _officer, _current = plan
    version = generate(expert, participation, django_capture_on_commit_callbacks)
    content = version.file.read()
    assert (version.state, version.checksum, version.size, version.attempts) == (
        "ready",
        hashlib.sha256(content).hexdigest(),
        len(content),
        1,
    )
    assert version.snapshot["company_name"] == participation.company.legal_name


def test_default_language_is_the_companys(plan, django_capture_on_commit_callbacks):
    participation, _rep, expert, _officer, _current = plan
    participation.company.correspondence_language = "zh-hans"
    participation.company.save()
    version = generate(expert, participation, django_capture_on_commit_callbacks)
    assert version.language == "zh-hans"


def test_regenerating_makes_a_new_version_and_keeps_the_old(
    plan, django_capture_on_commit_callbacks
):
    participation, _rep, expert, _officer, _current = plan
    first = generate(expert, participation, django_capture_on_commit_callbacks, "en")
    second = generate(expert, participation, django_capture_on_commit_callbacks, "zh-hans")
    rows = list(
        participation.plan_versions.order_by("number").values_list("number", "language", "state")
    )
    assert rows == [(1, "en", "ready"), (2, "zh-hans", "ready")]
    assert first.file.name != second.file.name
    assert PlanVersion.objects.get(pk=first.pk).file.read()[:5] == b"%PDF-"


def test_generate_before_assessment_is_submitted_is_refused():
    from .plan_helpers import started

    participation, _rep, expert, _officer, _current = started()
    with refused("wrong_state"):
        service.request_version(expert, participation)


def test_sign_off_renders_signed_pdf_with_signer(plan, django_capture_on_commit_callbacks):
    participation, _rep, expert, _officer, _current = plan
    version = generate(expert, participation, django_capture_on_commit_callbacks, "en")
    signer = lead()
    service.sign_off(signer, version)
    version.refresh_from_db()
    signed = version.signed_file.read()
    _reader, text = pdf_text(signed)
    _reader, draft_text = pdf_text(version.file.read())
    assert ("MariaLead" in text, "MariaLead" in draft_text) == (True, False)
    assert version.signed_checksum == hashlib.sha256(signed).hexdigest()


def test_sign_off_completes_plan_stage_and_notifies_with_attachment(
    plan, django_capture_on_commit_callbacks
):
    participation, representative, expert, _officer, _current = plan
    version = generate(expert, participation, django_capture_on_commit_callbacks)
    service.sign_off(lead(), version)
    participation.refresh_from_db()
    assert participation.state == "completed"
    open_tasks = [
        t.flow_task.name
        for t in process_of(participation).task_set.exclude(
            status__in=[STATUS.DONE, STATUS.CANCELED]
        )
    ]
    assert open_tasks == ["follow_up"]
    message = OutboxMessage.objects.get(kind="plan_signed_off", recipient=representative)
    assert [a["filename"] for a in message.attachments] == [version.filename(signed=True)]


def test_sign_off_by_officer_is_refused(plan, django_capture_on_commit_callbacks):

    participation, _rep, expert, officer, _current = plan
    version = generate(expert, participation, django_capture_on_commit_callbacks)
    with refused("not_permitted"):
        service.sign_off(officer, version)


def test_sign_off_twice_changes_nothing_the_second_time(plan, django_capture_on_commit_callbacks):
    from clinic.models import AuditLog

    participation, _rep, expert, _officer, _current = plan
    version = generate(expert, participation, django_capture_on_commit_callbacks)
    signer = lead()
    first = service.sign_off(signer, version)
    mails = OutboxMessage.objects.filter(kind="plan_signed_off").count()
    again = service.sign_off(lead(), version)
    records = AuditLog.objects.for_object(version).filter(action="plan_signed_off")
    assert (again.signed_by, again.signed_at) == (signer, first.signed_at)
    assert (records.count(), OutboxMessage.objects.filter(kind="plan_signed_off").count()) == (
        1,
        mails,
    )


def status_of(client, user, url):
    client.force_login(user)
    status = client.get(url).status_code
    client.logout()
    return status


def test_unsigned_pdf_is_for_experts_and_officers_only(
    client, plan, django_capture_on_commit_callbacks
):
    participation, representative, expert, officer, _current = plan
    version = generate(expert, participation, django_capture_on_commit_callbacks)
    url = reverse("mentoring:version_download", args=[version.pk])
    users = [expert, officer, lead(), representative, make_expert(), make_user(roles.SME)]
    assert [status_of(client, user, url) for user in users] == [200, 200, 200, 404, 404, 404]


def test_signed_pdf_is_for_the_sme_its_experts_officers_and_lead(
    client, plan, django_capture_on_commit_callbacks
):
    participation, representative, expert, officer, _current = plan
    version = generate(expert, participation, django_capture_on_commit_callbacks)
    signer = lead()
    unsigned_url = reverse("mentoring:version_signed", args=[version.pk])
    assert status_of(client, representative, unsigned_url) == 404
    service.sign_off(signer, version)
    users = [representative, expert, officer, signer, make_expert(), make_user(roles.SME)]
    assert [status_of(client, user, unsigned_url) for user in users] == [
        200,
        200,
        200,
        200,
        404,
        404,
    ]


def test_signed_pdf_download_is_the_signed_file(client, plan, django_capture_on_commit_callbacks):
    participation, representative, expert, _officer, _current = plan
    version = generate(expert, participation, django_capture_on_commit_callbacks)
    service.sign_off(lead(), version)
    version.refresh_from_db()
    client.force_login(representative)
    response = client.get(reverse("mentoring:version_signed", args=[version.pk]))
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == version.signed_checksum
    assert re.search(r'filename="(.+)"', response["Content-Disposition"]).group(1) == (
        version.filename(signed=True)
    )


def test_sme_participant_page_lists_signed_versions_only(
    client, plan, django_capture_on_commit_callbacks
):
    participation, representative, expert, _officer, _current = plan
    first = generate(expert, participation, django_capture_on_commit_callbacks)
    second = generate(expert, participation, django_capture_on_commit_callbacks)
    service.sign_off(lead(), first)
    client.force_login(representative)
    html = client.get(reverse("mentoring:participant", args=[participation.pk])).content.decode()
    links = re.findall(r"/mentoring/plan-versions/(\d+)/", html)
    assert sorted(set(links)) == [str(first.pk)]
    assert str(second.pk) not in links


def test_status_of_another_companys_version_is_404(
    client, plan, django_capture_on_commit_callbacks
):
    participation, _rep, expert, _officer, _current = plan
    version = generate(expert, participation, django_capture_on_commit_callbacks)
    assert (
        status_of(
            client, make_user(roles.SME), reverse("mentoring:version_status", args=[version.pk])
        )
        == 404
    )


def test_generate_all_queues_one_version_per_submitted_assessment(
    django_capture_on_commit_callbacks,
):
    from .plan_helpers import started

    first = submitted()
    cohort = first[0].cohort
    second = submitted()
    type(second[0]).objects.filter(pk=second[0].pk).update(cohort=cohort)
    not_submitted = started()
    type(not_submitted[0]).objects.filter(pk=not_submitted[0].pk).update(cohort=cohort)
    with django_capture_on_commit_callbacks(execute=True):
        batch, count = service.generate_all(first[3], cohort)
    progress = service.batch_progress(cohort, batch)
    assert (count, progress["total"], progress["done"], progress["finished"]) == (2, 2, 2, True)
    assert progress["counts"]["ready"] == 2


def test_generate_all_again_while_the_batch_renders_answers_with_that_batch(
    django_capture_on_commit_callbacks,
):
    first = submitted()
    cohort, officer = first[0].cohort, first[3]
    with django_capture_on_commit_callbacks(execute=False):
        batch, count = service.generate_all(officer, cohort)
    with django_capture_on_commit_callbacks(execute=False) as again:
        repeated = service.generate_all(officer, cohort)
    assert (count, repeated, again) == (1, (batch, 1), [])
    assert PlanVersion.objects.filter(participation=first[0]).count() == 1


def test_sign_off_render_failure_signs_nothing(
    plan, django_capture_on_commit_callbacks, settings, tmp_path
):
    participation, _rep, expert, _officer, _current = plan
    version = generate(expert, participation, django_capture_on_commit_callbacks)
    broken_font(settings, tmp_path)
    with refused("wrong_state"):
        service.sign_off(lead(), version)
    version.refresh_from_db()
    assert (version.signed_at, bool(version.signed_file)) == (None, False)
