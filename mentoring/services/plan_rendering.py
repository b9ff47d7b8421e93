"""Rendering action plan PDF versions: the Celery task's body (queued -> rendering -> ready or
failed) with its heartbeat, the sweep of lost tasks and the check of stored files.

The database row is the truth: tasks carry the version's ID only, are queued on commit, and the
render is idempotent (a version that is ready is left alone).
"""

import logging
import threading
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from clinic import celery, files

from ..models import PlanVersion
from ..transitions import PLAN_VERSION

logger = logging.getLogger(__name__)
State = PlanVersion.State

PLAN_FILE_CHECKS_PER_SWEEP = 50


def enqueue(version_id):
    """Hand the render to the broker; if it is down the row stays queued for the sweep."""
    celery.enqueue("mentoring.tasks.render_plan_version", version_id=version_id)


def render_version(version_id):
    """Render one version (the Celery task's body; idempotent).

    Side-effects: state queued -> rendering (attempts + 1, started_at) in its own transaction;
    then the PDF built from the models (``plan_document``), stored privately with its SHA-256
    and the snapshot of its content (a version that has a snapshot, re-rendered after its file
    was lost, renders that snapshot again, and its signed PDF too when it was signed off):
    rendering -> ready; or on any error rendering -> failed
    with the error, logged. Audit record "plan_rendered" / "plan_failed" (system actor).
    While it renders, ``heartbeat_at`` is stamped every PLAN_HEARTBEAT_SECONDS. A version already
    ready (or failed), or being rendered by a live worker (heartbeat younger than
    PLAN_HEARTBEAT_STALE), is left alone. Returns the version (None if it was deleted).
    """
    from ..pdf import render_plan_pdf
    from .plan_document import build_plan_document, from_snapshot, to_snapshot

    with transaction.atomic():
        version = (
            PlanVersion.objects.select_for_update()
            .select_related("participation__company")
            .filter(pk=version_id)
            .first()
        )
        if version is None:  # deleted meanwhile: nothing to do
            logger.warning("Plan version %s no longer exists", version_id)
            return None
        busy = version.state == State.RENDERING and not _heartbeat_is_stale(version)
        if not PLAN_VERSION.allows(version.state, "plan_render_started") or busy:
            return version  # done, failed, or another worker is rendering it
        version.started_at = version.heartbeat_at = timezone.now()
        version.attempts += 1
        version.save(update_fields=["started_at", "heartbeat_at", "attempts"])
        PLAN_VERSION.move(version, "plan_render_started", reason=f"attempt {version.attempts}")
    try:
        with heartbeat(version_id):
            if version.snapshot:  # a lost file: the same content again, from the snapshot
                document = from_snapshot(version.snapshot)
            else:
                document = build_plan_document(
                    version.participation,
                    version=version.number,
                    language=version.language,
                    generated_at=version.started_at,
                )
            content = render_plan_pdf(document)
            signed = signed_pdf(version, version.signed_by, version.signed_at)
    except Exception as error:
        logger.exception("Rendering plan version %s failed", version_id)
        return _failed(version_id, error)
    with transaction.atomic():
        version = PlanVersion.objects.select_for_update().get(pk=version_id)
        if version.state != State.RENDERING:  # another worker finished it meanwhile
            return version
        _delete_after_commit(version.file, version.signed_file if signed else None)
        version.file.save(version.filename(), ContentFile(content), save=False)
        version.checksum = files.sha256(content)
        version.size = len(content)
        version.snapshot = to_snapshot(document)
        version.checked_at = timezone.now()
        if signed is not None:
            version.signed_file.save(version.filename(True), ContentFile(signed), save=False)
            version.signed_checksum = files.sha256(signed)
        version.finished_at = timezone.now()
        version.error = ""
        version.save()  # the files and their checks; the move below writes the state
        PLAN_VERSION.move(version, "plan_rendered")
    return version


def _stale_before(now=None):
    return (now or timezone.now()) - timedelta(seconds=settings.PLAN_HEARTBEAT_STALE)


def _heartbeat_is_stale(version):
    return version.heartbeat_at is None or version.heartbeat_at <= _stale_before()


@contextmanager
def heartbeat(version_id):
    """While the block runs, a thread stamps the version's ``heartbeat_at`` every
    PLAN_HEARTBEAT_SECONDS (on its own database connection), so the sweep can tell a live render
    from one whose worker died."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(settings.PLAN_HEARTBEAT_SECONDS):
                PlanVersion.objects.filter(pk=version_id, state=State.RENDERING).update(
                    heartbeat_at=timezone.now()
                )
        except Exception:  # a missed beat is not worth failing the render for
            logger.exception("Heartbeat of plan version %s failed", version_id)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"plan-heartbeat-{version_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _delete_after_commit(*fields):
    """Remove the stored files a re-render replaces (a lost file is simply not there)."""
    for field in fields:
        if field:
            name, storage = field.name, field.storage
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))


def _failed(version_id, error):
    with transaction.atomic():
        version = PlanVersion.objects.select_for_update().get(pk=version_id)
        if not PLAN_VERSION.allows(version.state, "plan_failed"):
            return version  # another worker finished it meanwhile
        version.error = f"{type(error).__name__}: {error}"[:2000]
        version.finished_at = timezone.now()
        version.save(update_fields=["error", "finished_at"])
        PLAN_VERSION.move(version, "plan_failed", reason=version.error[:300])
    return version


def sweep(now=None):
    """Re-queue versions whose task was lost: queued for longer than PLAN_SWEEP_AFTER seconds,
    or rendering with a heartbeat older than PLAN_HEARTBEAT_STALE seconds (the worker died; a
    live worker's version is never taken). Returns the count."""
    now = now or timezone.now()
    queued_cutoff = now - timedelta(seconds=settings.PLAN_SWEEP_AFTER)
    dead_render = Q(heartbeat_at__lte=_stale_before(now)) | Q(heartbeat_at__isnull=True)
    ids = list(
        PlanVersion.objects.filter(
            Q(state=State.QUEUED, queued_at__lte=queued_cutoff)
            | (Q(state=State.RENDERING) & dead_render)
        ).values_list("pk", flat=True)[:500]
    )
    PlanVersion.objects.filter(pk__in=ids).update(queued_at=now)
    for version_id in ids:
        enqueue(version_id)
    return len(ids)


def signed_pdf(version, signer, signed_at):
    """The signed PDF of ``version`` (its snapshot with the sign-off block), None if unsigned."""
    from ..pdf import render_plan_pdf
    from .plan_document import from_snapshot

    if signed_at is None:
        return None
    document = from_snapshot(version.snapshot)
    document.signed_by = (signer.get_full_name() or signer.get_username()) if signer else ""
    document.signed_at = timezone.localtime(signed_at).replace(tzinfo=None)
    return render_plan_pdf(document)


def files_intact(version):
    """Whether the stored PDFs of a version exist and match their recorded SHA-256."""
    if not files.is_intact(version.file, version.checksum):
        return False
    return version.signed_at is None or files.is_intact(
        version.signed_file, version.signed_checksum
    )


@transaction.atomic
def rerender_lost(version_id):
    """A ready version whose PDF is gone or altered is rendered again from its snapshot.

    Side-effects when its files are not intact: state ready -> queued (queued_at now); audit
    record "plan_file_lost" (system actor); the render task queued after commit. A version that
    is not ready, or whose files are intact, is left alone (safe to run twice). Returns whether
    it was queued again.
    """
    version = PlanVersion.objects.select_for_update().filter(pk=version_id).first()
    if version is None or version.state != State.READY:
        return False
    if files_intact(version):
        PlanVersion.objects.filter(pk=version.pk).update(checked_at=timezone.now())
        return False
    version.queued_at = timezone.now()
    PLAN_VERSION.move(version, "plan_file_lost", fields=["queued_at"])
    transaction.on_commit(lambda: enqueue(version.pk))
    return True


def check_ready_files(limit=PLAN_FILE_CHECKS_PER_SWEEP):
    """Check the files of the ``limit`` ready versions checked longest ago (never-checked
    first); lost or altered ones are rendered again. Returns how many were queued again."""
    ids = (
        PlanVersion.objects.filter(state=State.READY)
        .order_by(F("checked_at").asc(nulls_first=True), "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(rerender_lost(version_id) for version_id in list(ids))
