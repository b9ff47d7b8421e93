import pytest
from django.urls import reverse

from cohorts.models import Application
from cohorts.services import applications
from tests.factories import ApplicationFactory, company_with_representative
from tests.refusals import refused

pytestmark = pytest.mark.django_db


def unverified_draft():
    company, representative = company_with_representative()
    representative.email_verified_at = None
    representative.save(update_fields=["email_verified_at"])
    return ApplicationFactory(company=company), representative


def test_submit_with_unverified_email_is_refused_and_draft_kept():
    application, representative = unverified_draft()
    with refused("wrong_state") as refusal:
        applications.submit(representative, application)
    assert "Verify your email address first" in str(refusal.value)
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT


def test_my_tasks_asks_unverified_sme_to_verify(client):
    _application, representative = unverified_draft()
    client.force_login(representative)
    page = client.get(reverse("home")).content.decode()
    assert "Verify your email address" in page


def test_a_new_link_asked_for_once_verified_sends_nothing(client):
    """The form shows only while the address is unverified: a tab left open from before."""
    from clinic.models import OutboxMessage

    _company, representative = company_with_representative()  # verified
    client.force_login(representative)
    url = reverse("resend_verification")
    assert "Send a new link" not in client.get(url).content.decode()
    messages = OutboxMessage.objects.count()
    answer = client.post(url, follow=True)
    assert answer.redirect_chain == [(reverse("home"), 302)]
    assert "Your email address is verified." in answer.content.decode()
    assert OutboxMessage.objects.count() == messages
