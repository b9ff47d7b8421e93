"""A second call of each core service (a double click, a second officer) changes nothing when
it repeats the first; repeated POSTs get the page the first one got."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from clinic import roles
from clinic.models import AuditLog, IPAudit, OutboxMessage
from clinic.services import ipaudit, outbox
from clinic.transitions import Refused
from tests.factories import answer_required, audit_with_representative, make_user

pytestmark = pytest.mark.django_db


def actions(obj, action):
    return AuditLog.objects.for_object(obj).filter(action=action).count()


def test_audit_submitted_twice_makes_one_round():
    audit, representative = audit_with_representative()
    answer_required(audit, representative)
    ipaudit.submit_audit(representative, audit)
    again = ipaudit.submit_audit(representative, audit)
    assert (again.state, again.rounds.count()) == (IPAudit.State.SUBMITTED, 1)
    assert actions(audit, "audit_submitted") == 1
    assert OutboxMessage.objects.filter(kind="audit_submitted").count() == 1


def test_audit_submit_page_posted_twice_shows_the_first_page(client):
    audit, representative = audit_with_representative()
    answer_required(audit, representative)
    client.force_login(representative)
    url = reverse("ipaudit:submit", args=[audit.pk])
    posts = [client.post(url) for _ in range(2)]
    detail = reverse("ipaudit:detail", args=[audit.pk])
    assert [(r.status_code, r["Location"]) for r in posts] == [(302, detail)] * 2
    assert [str(m) for m in get_messages(posts[1].wsgi_request)][-1] == (
        "Thank you: the IP audit is submitted."
    )
    assert actions(audit, "audit_submitted") == 1


def test_audit_returned_twice_mails_once():
    audit, representative = audit_with_representative()
    answer_required(audit, representative)
    ipaudit.submit_audit(representative, audit)
    officer = make_user(roles.OFFICER)
    ipaudit.return_audit(officer, audit, {3: "Explain the clauses."})
    ipaudit.return_audit(officer, audit, {3: "Explain the clauses."})
    assert actions(audit, "audit_returned") == 1
    assert OutboxMessage.objects.filter(kind="audit_returned").count() == 1


def test_return_of_a_draft_audit_is_refused_with_its_code():
    audit, _representative = audit_with_representative()
    with pytest.raises(Refused) as refused:
        ipaudit.return_audit(make_user(roles.OFFICER), audit, {3: "Too early."})
    assert (refused.value.code, refused.value.status) == ("wrong_state", 409)


def test_outbox_retry_twice_queues_once(django_capture_on_commit_callbacks):
    message = outbox.queue_message(make_user(roles.EXPERT), "verify_email", {"link": "/x/"})
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.FAILED)
    officer = make_user(roles.OFFICER)
    with django_capture_on_commit_callbacks() as callbacks:
        outbox.retry_failed(message, officer)
        outbox.retry_failed(message, officer)  # the stale object still says failed
    assert (actions(message, "retry"), len(callbacks)) == (1, 1)
