"""Webhooks: officers register HTTPS endpoints for events; each event becomes one delivery row
per endpoint (the row is the truth, like the outbox), sent by a Celery task after commit, signed,
retried with backoff and kept with the endpoint's answer.

Events come from the audit log (every state change writes one record): ``EVENTS`` names the
records that are events. Loopback, private, link-local and reserved targets are refused at
registration and again at each delivery (SSRF) unless ``WEBHOOK_ALLOW_PRIVATE_TARGETS``.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import socket
import ssl
import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import celery, jobs, permissions
from ..models import Webhook, WebhookDelivery
from ..transitions import Refused
from . import audit

# event name -> does this audit record announce it? (object type, action, target state)
EVENTS = {
    "application.submitted": lambda r: (
        (r.object_type, r.action) == ("cohorts.application", "submitted")
    ),
    "decision.published": lambda r: (
        r.object_type == "cohorts.application"
        and r.to_state in ("selected", "waitlisted", "rejected")
    ),
    "place.confirmed": lambda r: r.action == "place_confirmed",
    "plan.signed": lambda r: (
        (r.object_type, r.action) == ("mentoring.planversion", "plan_signed_off")
    ),
    "follow_up.received": lambda r: (
        r.action == "follow_up_submitted" and r.object_type == "mentoring.followupreport"
    ),
}
Status = WebhookDelivery.Status
TIMEOUT_SECONDS = 10
KEPT_RESPONSE = 2000


def resolve_target(url):
    """Resolve ``url``'s host once: (the addresses to connect to, "") when it may receive
    deliveries (HTTPS to a public address), else (None, why not). Every resolved address must be
    public, and the delivery connects to the address checked here (no second lookup that a DNS
    rebinding could answer with a private one)."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return None, _("A webhook needs an https:// address.")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError):
        return None, _("This host name cannot be resolved.")
    addresses = list(dict.fromkeys(info[4][0].split("%")[0] for info in infos))
    if not addresses:
        return None, _("This host name cannot be resolved.")
    if not settings.WEBHOOK_ALLOW_PRIVATE_TARGETS and any(
        not ipaddress.ip_address(address).is_global for address in addresses
    ):
        return None, _("Webhooks cannot go to loopback, private or reserved network addresses.")
    return addresses, ""


def target_refusal(url):
    """Why ``url`` may not receive deliveries ("" when it may)."""
    return resolve_target(url)[1]


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection for ``host`` to one of ``addresses`` (the checked ones, in order):
    the certificate and the Host header are the host's, the socket goes to a checked address."""

    def __init__(self, host, port, addresses, **kwargs):
        super().__init__(host, port, **kwargs)
        self.addresses = addresses

    def connect(self):
        failure = OSError("no address to connect to")
        for address in self.addresses:
            try:
                sock = socket.create_connection((address, self.port), self.timeout)
            except OSError as error:
                failure = error
                continue
            self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
            return
        raise failure


def register(actor, url, events):
    """An officer registers ``url`` for ``events``. Returns the webhook; its ``secret`` signs
    every delivery. Side-effects: webhook row; audit record (the secret by name only)."""
    if not permissions.is_officer(actor):
        raise Refused("not_permitted")
    unknown = set(events) - set(EVENTS)
    if not events or unknown:
        raise Refused("invalid", _("Choose events from: %s.") % ", ".join(EVENTS))
    refusal = target_refusal(url)
    if refusal:
        raise Refused("invalid", refusal)
    with transaction.atomic():
        webhook = Webhook.objects.create(
            owner=actor,
            url=url,
            events=sorted(set(events)),
            secret="whsec_" + secrets.token_hex(24),
        )
        audit.record(webhook, "webhook_registered", actor=actor)
    return webhook


@transaction.atomic
def deactivate(actor, webhook):
    """Stop deliveries to ``webhook`` (again: nothing). Side-effects: active off; audit record."""
    if not permissions.is_officer(actor):
        raise Refused("not_permitted")
    webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    if webhook.active:
        webhook.active = False
        webhook.save(update_fields=["active"])
        audit.record(webhook, "webhook_deactivated", actor=actor)
    return webhook


def on_audit_record(record):
    """Audit listener: a record that announces an event queues one delivery per subscribed
    active webhook, sent after commit."""
    events = [name for name, announces in EVENTS.items() if announces(record)]
    if not events:
        return
    subscribed = list(Webhook.objects.filter(active=True))  # few rows; JSON lookups vary by backend
    for event in events:
        payload = {
            "event": event,
            "object": {"type": record.object_type, "id": record.object_id},
            "from_state": record.from_state,
            "to_state": record.to_state,
            "occurred_at": record.created_at,
        }
        payload = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
        for webhook in (w for w in subscribed if event in w.events):
            delivery = WebhookDelivery.objects.create(webhook=webhook, event=event, payload=payload)
            transaction.on_commit(lambda pk=delivery.pk: enqueue(pk))


def enqueue(delivery_id):
    celery.enqueue("clinic.tasks.deliver_webhook", delivery_id=delivery_id)


def signature(secret, timestamp, body):
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def post(url, addresses, body, headers):
    """POST ``body`` to ``url`` through ``addresses`` (its host's checked ones; no redirects
    followed); returns (status, text of the answer)."""
    parts = urlsplit(url)
    context = ssl.create_default_context(cafile=settings.WEBHOOK_CA_FILE or None)
    connection = PinnedHTTPSConnection(
        parts.hostname, parts.port or 443, addresses, timeout=TIMEOUT_SECONDS, context=context
    )
    try:
        path = parts.path or "/"
        connection.request("POST", path + (f"?{parts.query}" if parts.query else ""), body, headers)
        answer = connection.getresponse()
        return answer.status, answer.read(KEPT_RESPONSE).decode("utf-8", "replace")
    finally:
        connection.close()


def deliver(delivery_id):
    """Send one queued delivery. Returns the row: delivered on a 2xx answer; otherwise the
    attempt is recorded and retried with backoff, failed after WEBHOOK_MAX_ATTEMPTS."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("webhook")
            .get(pk=delivery_id)
        )
        if delivery.status != Status.QUEUED or not delivery.webhook.active:
            return delivery
        delivery.attempts += 1
        body = json.dumps(delivery.payload, ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "IP-Clinic-Webhooks/1",
            "X-Clinic-Event": delivery.event,
            "X-Clinic-Delivery": str(delivery.pk),
            "X-Clinic-Signature": signature(delivery.webhook.secret, int(time.time()), body),
        }
        try:
            addresses, refusal = resolve_target(delivery.webhook.url)
            if refusal:
                raise ValueError(refusal)
            delivery.response_status, delivery.response_body = post(
                delivery.webhook.url, addresses, body, headers
            )
            delivery.error = ""
        except Exception as error:  # noqa: BLE001 - any failure is an attempt to retry
            delivery.response_status, delivery.response_body = None, ""
            delivery.error = f"{type(error).__name__}: {error}"[:2000]
        settle(delivery)
    return delivery


def settle(delivery):
    if delivery.response_status is not None and 200 <= delivery.response_status < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            Status.DELIVERED,
            timezone.now(),
            None,
        )
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = Status.FAILED, None
    else:
        backoff = settings.WEBHOOK_RETRY_BACKOFF * 2 ** (delivery.attempts - 1)
        delivery.next_attempt_at = timezone.now() + timedelta(seconds=backoff)
    delivery.save()


@jobs.register
def retry_due_webhook_deliveries(now=None):
    """Queued deliveries whose next attempt is due (or whose task was lost) are sent again."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(status=Status.QUEUED, next_attempt_at__lte=now)
    lost = WebhookDelivery.objects.filter(
        status=Status.QUEUED, next_attempt_at=None, created_at__lte=now - timedelta(minutes=2)
    )
    ids = list((due | lost).values_list("pk", flat=True)[:500])
    for pk in ids:
        enqueue(pk)
    return len(ids)


@jobs.register
def purge_webhook_deliveries(now=None):
    """Delivered and failed deliveries older than WEBHOOK_DELIVERY_DAYS are forgotten (queued
    ones stay until they are settled). Returns how many went."""
    now = now or timezone.now()
    old = WebhookDelivery.objects.filter(
        status__in=(Status.DELIVERED, Status.FAILED),
        created_at__lt=now - timedelta(days=settings.WEBHOOK_DELIVERY_DAYS),
    )
    deleted, _kinds = old.delete()
    return deleted


audit.LISTENERS.append(on_audit_record)
