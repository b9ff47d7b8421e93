"""Escalation of overdue work: a reminder before each deadline, the owner's overseer told once
after it (officers for reviewers, experts and SMEs; the lead for officers and for pool work
nobody claimed). Beat runs ``run`` through ``clinic.jobs``; the state is the ``Deadline`` rows.

A stage registers a *source* per kind of deadline: ``register(kind, label, collect)`` where
``collect(now)`` returns the open items as ``Due`` values (a fixed number of queries).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic import jobs, roles
from clinic.models.audit import register_actions
from clinic.services import audit
from clinic.services.outbox import queue_message

from ..models import Deadline

Overseer = Deadline.Overseer
REMIND_WINDOW = timedelta(days=60)  # reminder lead times are cohort settings of a few days

register_actions(
    {
        "deadline_reminder_sent": _("sent a deadline reminder"),
        "deadline_escalated": _("told the overseer about a missed deadline"),
    }
)


@dataclass(frozen=True)
class Due:
    """One open item with a deadline. ``key`` names it within its kind (with ``subject``, the
    object its History shows the escalation on)."""

    subject: object
    key: str
    due_at: datetime
    cohort_id: int
    owners: tuple
    owner_label: str
    summary: str
    url: str
    overseer: str = Overseer.OFFICERS


@dataclass(frozen=True)
class Source:
    kind: str
    label: object
    collect: object
    remind: bool = True  # False where the stage already reminds before the deadline


_SOURCES = {}


def register(kind, label, *, remind=True):
    """Decorator: ``collect(now) -> iterable of Due`` is the source of deadlines of ``kind``."""

    def wrap(collect):
        _SOURCES[kind] = Source(kind, label, collect, remind)
        return collect

    return wrap


def kind_label(kind):
    source = _SOURCES.get(kind)
    return source.label if source else kind


def kinds():
    return list(_SOURCES)


@jobs.register
def escalate_deadlines(now=None):
    """Bring the deadline rows up to date, then remind and escalate (each once per row).

    Side-effects: Deadline rows created for new items, resolved for items no longer open;
    "deadline_reminder" mail to the owners the cohort's reminder lead time before a deadline;
    after it, "deadline_escalated" mail to every overseer and one audit record
    "deadline_escalated" (system actor) on the item. Returns the counts.
    """
    now = now or timezone.now()
    for source in list(_SOURCES.values()):
        sync(source, list(source.collect(now)), now)
    return {"reminded": remind(now), "escalated": escalate(now)}


def run(now=None):
    return escalate_deadlines(now)


def sync(source, items, now):
    """Create a row per new (item, deadline), resolve open rows whose item is gone or moved."""
    open_rows = {
        (row.object_type, row.object_id, row.due_at): row
        for row in Deadline.objects.filter(kind=source.kind, resolved_at__isnull=True)
    }
    seen = set()
    changed = []
    for item in items:
        key = (item.subject._meta.label_lower, item.key, item.due_at)
        seen.add(key)
        row = open_rows.get(key)
        if row is None:
            create(source.kind, item, key)
        elif (row.summary, row.owner_label) != (item.summary[:300], item.owner_label[:200]):
            row.summary, row.owner_label = item.summary[:300], item.owner_label[:200]
            changed.append(row)
    if changed:
        Deadline.objects.bulk_update(changed, ["summary", "owner_label"])
    gone = [row.pk for key, row in open_rows.items() if key not in seen]
    if gone:
        Deadline.objects.filter(pk__in=gone, resolved_at__isnull=True).update(resolved_at=now)


def create(kind, item, key):
    object_type, object_id, due_at = key
    try:
        with transaction.atomic():
            row, created = Deadline.objects.get_or_create(
                kind=kind,
                object_type=object_type,
                object_id=object_id,
                due_at=due_at,
                defaults={
                    "cohort_id": item.cohort_id,
                    "owner_label": item.owner_label[:200],
                    "overseer": item.overseer,
                    "summary": item.summary[:300],
                    "url": item.url[:300],
                },
            )
            if created:
                row.owners.set(item.owners)
    except IntegrityError:  # another worker made it at the same moment
        return None
    return row


def remind(now):
    rows = (
        Deadline.objects.filter(
            kind__in=[s.kind for s in _SOURCES.values() if s.remind],
            resolved_at__isnull=True,
            reminded_at__isnull=True,
            due_at__gt=now,
            due_at__lte=now + REMIND_WINDOW,
        )
        .select_related("cohort")
        .prefetch_related("owners")
    )
    count = 0
    for row in rows:
        if row.due_at - timedelta(days=row.cohort.reminder_lead_days) > now:
            continue
        with transaction.atomic():
            if not Deadline.objects.filter(pk=row.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue  # another tick reminded it
            for owner in row.owners.all():
                queue_message(owner, "deadline_reminder", message_context(row), related=row)
            count += 1
    return count


def escalate(now):
    rows = Deadline.objects.filter(
        resolved_at__isnull=True, escalated_at__isnull=True, due_at__lte=now
    ).select_related("cohort")
    overseers = overseer_users()
    count = 0
    for row in rows:
        with transaction.atomic():
            if not Deadline.objects.filter(pk=row.pk, escalated_at__isnull=True).update(
                escalated_at=now
            ):
                continue  # another tick (or worker) escalated it
            record_escalation(row)
            for user in overseers[row.overseer]:
                queue_message(user, "deadline_escalated", message_context(row), related=row)
            count += 1
    return count


def record_escalation(row):
    from django.apps import apps

    model = apps.get_model(row.object_type)
    subject = model._base_manager.filter(pk=row.object_id.split(":")[0]).first() or row
    due = timezone.localtime(row.due_at)
    audit.record(
        subject,
        "deadline_escalated",
        reason=f"{row.kind}: {row.summary} ({row.owner_label}), due {due:%Y-%m-%d %H:%M}",
    )


def holders(role):
    """The active users holding ``role``, in a stable order."""
    return (
        get_user_model().objects.filter(is_active=True, groups__name=role).distinct().order_by("pk")
    )


def overseer_users():
    return {
        Overseer.OFFICERS: list(holders(roles.OFFICER)),
        Overseer.LEADS: list(holders(roles.LEAD)),
    }


def message_context(row):
    return {
        "kind": kind_label(row.kind),
        "item": row.summary,
        "owner": row.owner_label,
        "due": timezone.localtime(row.due_at),
        "url": row.url,
    }


def overdue(now=None):
    """Open rows whose deadline passed (for My tasks and the dashboard)."""
    now = now or timezone.now()
    return Deadline.objects.filter(resolved_at__isnull=True, due_at__lte=now)
