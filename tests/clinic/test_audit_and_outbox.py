import pytest
from django.core import mail
from django.urls import reverse

from clinic import roles
from clinic.models import AuditLog, OutboxMessage
from clinic.models.audit import AppendOnlyError
from clinic.services import audit, outbox
from tests.factories import CompanyFactory, make_user

pytestmark = pytest.mark.django_db


def test_audit_record_refuses_update_and_delete():
    company = CompanyFactory()
    entry = audit.record(company, "registered", to_state="registered")
    entry.reason = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.all().delete()
    assert AuditLog.objects.get(pk=entry.pk).reason == ""


def test_audit_record_survives_deletion_of_object_and_actor():
    officer = make_user(roles.OFFICER)
    company = CompanyFactory(legal_name="Short-lived Ltd.")
    company_id = company.pk
    audit.record(company, "updated", actor=officer)
    company.delete()
    officer.delete()
    entry = AuditLog.objects.get(object_type="clinic.company", object_id=str(company_id))
    assert (entry.object_text, entry.actor_name) == ("Short-lived Ltd.", officer.username)


def test_system_actor_is_recorded_when_no_user_acts():
    entry = audit.record(CompanyFactory(), "lapsed")
    assert (entry.actor_id, entry.actor_name) == (None, "system")


def test_message_is_rendered_in_recipient_language(django_capture_on_commit_callbacks):
    user = make_user(roles.SME, preferred_language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.queue_message(user, "verify_email", {"link": "/x/"})
    message.refresh_from_db()
    assert message.subject == "验证您在知识产权诊所的电子邮箱"
    assert message.status == OutboxMessage.Status.SENT
    assert mail.outbox[0].subject == message.subject


def test_failing_send_retries_then_fails_and_officer_can_retry(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.clinic.failing_mail.BrokenBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BACKOFF = 0
    user = make_user(roles.EXPERT)
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.queue_message(user, "verify_email", {"link": "/x/"})
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 3)
    assert "SMTP server unreachable" in message.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    officer = make_user(roles.OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.retry_failed(message, officer)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert AuditLog.objects.for_object(message).values_list("action", flat=True)[0] == "retry"


def test_sensitive_message_body_is_hidden_from_officers(client):
    user = make_user(roles.SME)
    message = outbox.queue_message(
        user, "password_reset", {"link": "/secret-token/"}, sensitive=True
    )
    client.force_login(make_user(roles.OFFICER))
    page = client.get(reverse("outbox_detail", args=[message.pk])).content.decode()
    assert "/secret-token/" not in page
    assert message.subject in page


def test_non_officer_cannot_see_outbox(client):
    client.force_login(make_user(roles.SME))
    assert client.get(reverse("outbox_list")).status_code == 404


def test_sweep_requeues_messages_whose_task_was_lost(settings):
    settings.OUTBOX_SWEEP_AFTER = 0
    user = make_user(roles.SME)
    message = outbox.queue_message(user, "verify_email", {"link": "/x/"})  # on_commit never ran
    assert outbox.sweep() == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert outbox.sweep() == 0


def test_password_reset_mail_goes_through_outbox_as_sensitive(
    client, django_capture_on_commit_callbacks
):
    user = make_user(roles.SME)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": user.email})
    message = OutboxMessage.objects.get(kind="password_reset")
    assert (message.recipient, message.sensitive, message.status) == (user, True, "sent")


def test_plain_text_mail_is_not_html_escaped():
    user = make_user(roles.SME, first_name="O'Brien", last_name="& Co")
    message = outbox.queue_message(user, "verify_email", {"link": "/x/?a=1&b=2"})
    assert "Hello O'Brien & Co," in message.body
    assert "/x/?a=1&b=2" in message.body
