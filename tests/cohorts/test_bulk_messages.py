"""Issue 14, item 10: an officer writes one message to a cohort's applicants in chosen states (or
its participants), previews it with the recipient count, confirms, and each recipient gets it
through the outbox in their language; a second click sends nothing more."""

import pytest
from django.core import mail
from django.urls import reverse

from clinic import roles
from clinic.models import AuditLog, OutboxMessage
from cohorts.models import Application, BulkMessage
from cohorts.services import messages as bulk
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    company_with_representative,
    make_user,
    submitted_application,
)

pytestmark = pytest.mark.django_db

TEXT = {
    "audience": "applicants",
    "states": ["submitted"],
    "subject": "Screening starts next week",
    "body": "We check every application next week.",
    "subject_zh": "资格审查将于下周开始",
    "body_zh": "我们将于下周审查每一份申请。",
}


def cohort_with_applicants():
    """Two submitted applications (one English, one Chinese representative), one draft."""
    cohort = CohortFactory()
    english, _rep = submitted_application(cohort=cohort)
    chinese, rep_zh = submitted_application(cohort=cohort)
    rep_zh.preferred_language = "zh-hans"
    rep_zh.save(update_fields=["preferred_language"])
    draft_company, _draft_rep = company_with_representative()
    ApplicationFactory(cohort=cohort, company=draft_company)
    return cohort, english, chinese


def test_preview_counts_the_recipients_and_sending_mails_each_in_their_language(
    client, django_capture_on_commit_callbacks
):
    cohort, english, chinese = cohort_with_applicants()
    officer = make_user(roles.OFFICER, first_name="Olga", last_name="Officer")
    client.force_login(officer)
    url = reverse("cohorts:messages", args=[cohort.pk])
    preview = client.post(url, {**TEXT, "preview": "1"})
    assert preview.status_code == 200
    assert (preview.context["preview"]["count"], preview.context["preview"]["chinese"]) == (2, 1)
    assert "Send to 2 recipients" in preview.text
    assert OutboxMessage.objects.filter(kind="bulk_message").count() == 0
    token = str(preview.context["preview"]["token"])

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {**TEXT, "token": token, "send": "1"}, follow=True)
    assert "The message is on its way to 2 recipients." in sent.text
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    rep_en = english.company.representatives.get()
    rep_zh = chinese.company.representatives.get()
    assert subjects == {rep_en.email: TEXT["subject"], rep_zh.email: TEXT["subject_zh"]}
    assert TEXT["body_zh"] in next(m.body for m in mail.outbox if m.to == [rep_zh.email])
    message = BulkMessage.objects.get()
    assert (message.recipient_count, message.sent_by, message.states) == (2, officer, ["submitted"])
    entry = AuditLog.objects.for_object(message).get()
    assert (entry.action, entry.actor) == ("bulk_message_sent", officer)
    listed = client.get(url)
    assert [m.pk for m in listed.context["page"]] == [message.pk]
    assert "Olga Officer" in listed.text and "2 recipients" in listed.text


def test_a_second_click_of_the_same_confirmation_sends_nothing_more(client):
    cohort, _english, _chinese = cohort_with_applicants()
    client.force_login(make_user(roles.OFFICER))
    url = reverse("cohorts:messages", args=[cohort.pk])
    token = str(client.post(url, {**TEXT, "preview": "1"}).context["preview"]["token"])
    client.post(url, {**TEXT, "token": token, "send": "1"})
    again = client.post(url, {**TEXT, "token": token, "send": "1"}, follow=True)
    assert "already sent" in again.text
    assert BulkMessage.objects.count() == 1
    assert OutboxMessage.objects.filter(kind="bulk_message").count() == 2
    assert AuditLog.objects.filter(action="bulk_message_sent").count() == 1


def test_a_missing_language_falls_back_on_the_other():
    cohort, _english, chinese = cohort_with_applicants()
    officer = make_user(roles.OFFICER)
    english_only = {k: v for k, v in TEXT.items() if not k.endswith("_zh")}
    message = BulkMessage(**{k: v for k, v in english_only.items()})
    bulk.send_bulk_message(officer, cohort, message)
    rep_zh = chinese.company.representatives.get()
    assert (
        OutboxMessage.objects.get(recipient=rep_zh, kind="bulk_message").subject == TEXT["subject"]
    )


def test_participants_are_the_confirmed_places_and_each_person_gets_one_message():
    cohort = CohortFactory()
    company, representative = company_with_representative()
    other_company, _other = company_with_representative()
    other_company.representatives.add(representative)  # represents both companies
    for each in (company, other_company):
        ApplicationFactory(cohort=cohort, company=each, state=Application.State.CONFIRMED)
    waitlisted_company, _waiting = company_with_representative()
    ApplicationFactory(cohort=cohort, company=waitlisted_company, state="waitlisted")
    people = bulk.recipients(cohort, BulkMessage.Audience.PARTICIPANTS)
    assert set(people) == {representative, _other}
    waitlisted = bulk.recipients(cohort, BulkMessage.Audience.APPLICANTS, ["waitlisted"])
    assert list(waitlisted) == [_waiting]


def test_the_form_needs_states_for_applicants_and_one_complete_language(client):
    cohort, _english, _chinese = cohort_with_applicants()
    client.force_login(make_user(roles.OFFICER))
    url = reverse("cohorts:messages", args=[cohort.pk])
    no_states = client.post(url, {**TEXT, "states": [], "preview": "1"})
    assert no_states.status_code == 400
    assert "Choose the states of the applications to write to." in no_states.text
    blank = {"audience": "applicants", "states": ["submitted"], "subject": "Only a subject"}
    page = client.post(url, {**blank, "preview": "1"})
    assert "Fill in both the subject and the message of a language." in page.text
    nobody = client.post(url, {**TEXT, "states": ["lapsed"], "preview": "1"})
    assert "Nobody would receive this message" in nobody.text
    assert nobody.context["preview"] is None


def test_only_officers_send_messages(client):
    cohort, _english, _chinese = cohort_with_applicants()
    for role in (roles.REVIEWER, roles.EXPERT, roles.SME):
        client.force_login(make_user(role))
        url = reverse("cohorts:messages", args=[cohort.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {**TEXT, "send": "1", "token": "x"}).status_code == 404
    with pytest.raises(bulk.Refused):
        bulk.send_bulk_message(make_user(roles.EXPERT), cohort, BulkMessage(**TEXT))
    assert OutboxMessage.objects.filter(kind="bulk_message").count() == 0
