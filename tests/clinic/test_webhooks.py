"""Webhooks against a local HTTPS server (its certificate from trustme's own CA): signed
deliveries of events, retries with backoff, the endpoint's answers listed, SSRF refused."""

import hashlib
import hmac
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import trustme
from django.utils import timezone

from clinic import roles
from clinic.models import WebhookDelivery
from clinic.services import webhooks
from tests.api_helpers import token_client
from tests.factories import ApplicationFactory, company_with_representative, make_user

pytestmark = pytest.mark.django_db


class Receiver:
    """A local HTTPS endpoint that records what it receives and answers ``status``."""

    def __init__(self, tmp_path):
        self.received, self.status = [], 200
        ca = trustme.CA()
        self.ca_file = tmp_path / "ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_file))
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()
                self.wfile.write(b"thanks")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://localhost:{self.server.server_address[1]}/hooks/clinic"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(tmp_path, settings):
    receiver = Receiver(tmp_path)
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True  # the test server is on loopback
    settings.WEBHOOK_CA_FILE = str(receiver.ca_file)
    yield receiver
    receiver.stop()


def submit_an_application(django_capture_on_commit_callbacks):
    from cohorts.services import applications

    company, representative = company_with_representative()
    draft = ApplicationFactory(company=company)
    with django_capture_on_commit_callbacks(execute=True):
        applications.submit(representative, draft)
    return draft


def test_officer_registers_a_webhook_and_gets_a_signed_delivery(
    receiver, django_capture_on_commit_callbacks
):
    officer, _token = token_client(make_user(roles.OFFICER))
    body = {"url": receiver.url, "events": ["application.submitted"]}
    created = officer.post("/api/v1/webhooks/", body, format="json")
    assert created.status_code == 201
    secret = created.json()["secret"]
    application = submit_an_application(django_capture_on_commit_callbacks)
    ((headers, raw),) = receiver.received
    payload = json.loads(raw)
    assert (payload["event"], payload["object"]) == (
        "application.submitted",
        {"type": "cohorts.application", "id": str(application.pk)},
    )
    parts = dict(part.split("=") for part in headers["X-Clinic-Signature"].split(","))
    timestamp, signed = parts["t"], parts["v1"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + raw, hashlib.sha256)
    assert signed == expected.hexdigest()
    listed = officer.get(f"/api/v1/webhooks/{created.json()['id']}/deliveries/").json()
    (delivery,) = listed["results"]
    assert (delivery["status"], delivery["response_status"], delivery["response_body"]) == (
        "delivered",
        200,
        "thanks",
    )
    assert "secret" not in officer.get(f"/api/v1/webhooks/{created.json()['id']}/").json()


def test_failing_endpoint_is_retried_with_backoff_then_failed(
    receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.status = 503
    webhooks.register(make_user(roles.OFFICER), receiver.url, ["application.submitted"])
    submit_an_application(django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 3, 503)
    assert len(receiver.received) == 3


def test_backoff_doubles_after_each_failed_attempt(receiver, settings):
    receiver.status = 500
    settings.WEBHOOK_RETRY_BACKOFF = 60
    webhook = webhooks.register(make_user(roles.OFFICER), receiver.url, ["plan.signed"])
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="plan.signed", payload={})
    waits = []
    for _attempt in range(2):
        attempted_at = timezone.now()
        delivery = webhooks.deliver(delivery.pk)
        waits.append(round((delivery.next_attempt_at - attempted_at).total_seconds() / 10) * 10)
    assert (delivery.status, delivery.attempts, waits) == ("queued", 2, [60, 120])


def test_a_delivered_event_is_not_sent_twice(receiver):
    webhook = webhooks.register(make_user(roles.OFFICER), receiver.url, ["plan.signed"])
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="plan.signed", payload={})
    webhooks.deliver(delivery.pk)
    webhooks.deliver(delivery.pk)
    assert len(receiver.received) == 1


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.5/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "http://example.org/hook",
    ],
)
def test_loopback_private_and_plain_http_targets_are_refused(url):
    officer, _token = token_client(make_user(roles.OFFICER))
    response = officer.post(
        "/api/v1/webhooks/", {"url": url, "events": ["plan.signed"]}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (400, "invalid")


def test_webhooks_are_for_officers_only():
    _company, sme = company_with_representative()
    client, _token = token_client(sme)
    assert client.get("/api/v1/webhooks/").json()["results"] == []
    body = {"url": "https://example.org/hook", "events": ["plan.signed"]}
    assert client.post("/api/v1/webhooks/", body, format="json").status_code == 403


def test_a_host_allowed_at_registration_is_refused_at_delivery_when_it_resolves_to_loopback(
    receiver, settings
):
    webhook = webhooks.register(make_user(roles.OFFICER), receiver.url, ["plan.signed"])
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False  # `localhost` now counts as what it is
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="plan.signed", payload={})
    delivery = webhooks.deliver(delivery.pk)
    assert receiver.received == []
    assert (delivery.status, delivery.response_status) == ("queued", None)
    assert "loopback" in delivery.error


def test_a_delivery_resolves_the_host_once_and_connects_to_the_checked_address(
    receiver, monkeypatch
):
    """DNS rebinding: the name is looked up once, and the socket goes to that checked address
    (a second lookup could answer a private address after the check)."""
    import socket

    webhook = webhooks.register(make_user(roles.OFFICER), receiver.url, ["plan.signed"])
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="plan.signed", payload={})
    looked_up, real = [], socket.getaddrinfo

    def counting(host, *args, **kwargs):
        looked_up.append(host)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", counting)
    delivery = webhooks.deliver(delivery.pk)
    assert delivery.status == "delivered", delivery.error
    assert looked_up.count("localhost") == 1
    assert len(receiver.received) == 1


def test_settled_deliveries_are_purged_after_their_retention(settings):
    from datetime import timedelta

    from clinic import jobs

    settings.WEBHOOK_DELIVERY_DAYS = 90
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    webhook = webhooks.register(make_user(roles.OFFICER), "https://localhost/h", ["plan.signed"])
    rows = {}
    for status in ("delivered", "failed", "queued"):
        for age in (91, 89):
            row = WebhookDelivery.objects.create(
                webhook=webhook, event="plan.signed", payload={}, status=status
            )
            created = timezone.now() - timedelta(days=age)
            WebhookDelivery.objects.filter(pk=row.pk).update(created_at=created)
            rows[(status, age)] = row.pk
    assert webhooks.purge_webhook_deliveries() == 2
    kept = set(WebhookDelivery.objects.values_list("pk", flat=True))
    assert kept == {pk for (status, age), pk in rows.items() if age == 89 or status == "queued"}
    assert webhooks.purge_webhook_deliveries in jobs._JOBS
