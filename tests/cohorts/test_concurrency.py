"""Integration: double clicks and two officers at once, as truly parallel requests (PostgreSQL).

Each test releases several identical requests (or service calls) together and asserts exactly
one effect: one audit record, one message, one flow process.
"""

import pytest
from django.urls import reverse

from clinic.models import AuditLog, OutboxMessage
from cohorts.forms import ApplicationForm
from cohorts.models import Application, ApplicationProcess
from tests.factories import ApplicationFactory, company_with_representative
from tests.parallel import Browser, form_data, require_postgres

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
State = Application.State


def audit_count(obj, action):
    return AuditLog.objects.for_object(obj).filter(action=action).count()


def test_six_parallel_submits_make_one_submission(live_server):
    require_postgres()
    company, representative = company_with_representative()
    application = ApplicationFactory(company=company)
    path = reverse("cohorts:application_edit", args=[application.pk])
    data = {**form_data(ApplicationForm(instance=application)), "submit": "1"}

    outcomes = Browser(live_server, representative).post_at_once(path, data)

    detail = reverse("cohorts:application", args=[application.pk])
    assert outcomes == [(302, detail)] * 6
    assert Application.objects.get(pk=application.pk).state == State.SUBMITTED
    assert audit_count(application, "submitted") == 1
    assert OutboxMessage.objects.filter(kind="application_received").count() == 1
    assert ApplicationProcess.objects.count() == 1
