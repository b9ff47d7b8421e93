"""Action plan PDF versions: request (queued), retry, generate a whole cohort, the lead's
sign-off. Rendering, the sweep of lost tasks and the file checks: plan_rendering.py.
"""

import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic import files, versioning
from clinic.services import audit
from clinic.services.outbox import attachment, queue_message
from clinic.transitions import Refused

from .. import permissions
from ..models import Assessment, Participation, PlanVersion
from ..transitions import PARTICIPATION, PLAN_VERSION, PLANNABLE_STATES, RENDERING
from .plan_rendering import enqueue, render_version, signed_pdf

logger = logging.getLogger(__name__)


State = PlanVersion.State


def default_language(participation):
    """The SME's language: the company's correspondence language."""
    language = participation.company.correspondence_language
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _check_plannable(participation):
    submitted = Assessment.objects.filter(
        participation=participation, state=Assessment.State.SUBMITTED
    ).exists()
    if not submitted or participation.state not in PLANNABLE_STATES:
        raise Refused("wrong_state", _("The plan is generated once the assessment is submitted."))


def _create(actor, participation, language, batch=None, render_now=False):
    number = (participation.plan_versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = PlanVersion.objects.create(
        participation=participation,
        number=number,
        language=language,
        requested_by=actor,
        batch=batch,
    )
    audit.record(version, "plan_requested", actor=actor, to_state=State.QUEUED, reason=language)
    if render_now:  # the demo seed renders in-process; no worker involved
        return render_version(version.pk)
    transaction.on_commit(lambda: enqueue(version.pk))
    return version


@transaction.atomic
def request_version(actor, participation, language=None, *, render_now=False):
    """An expert or officer asks for a new PDF version (in ``language``, default the SME's).

    Side-effects: a PlanVersion (next number, queued); audit record "plan_requested"; the render
    task queued after commit (``render_now``: rendered here instead, for the demo seed). While a
    version in that language is queued or rendering, asking again returns it and adds nothing.
    """
    if not permissions.can_generate_plan(actor, participation):
        raise Refused("not_permitted")
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    _check_plannable(participation)
    language = language or default_language(participation)
    if language not in dict(settings.LANGUAGES):
        raise Refused("invalid", _("Choose English or Simplified Chinese."))
    pending = (
        participation.plan_versions.filter(language=language, state__in=RENDERING)
        .order_by("-number")
        .first()
    )
    if pending is not None:
        return pending  # asked again while it is being generated: that version, no second one
    return _create(actor, participation, language, render_now=render_now)


@transaction.atomic
def generate_all(actor, cohort):
    """An officer generates the plans of every participant of ``cohort`` whose assessment is
    submitted, each in the SME's language, as one batch.

    The cohort row is locked first and a participant whose plan is still queued or rendering
    gets no second one: a repeated or simultaneous run answers with the batch in progress.
    Side-effects: one queued PlanVersion per such participant (same batch id); audit records;
    one render task each, queued after commit. Returns (batch id, number of versions).
    """
    if not permissions.is_officer(actor):
        raise Refused("not_permitted")
    cohort = versioning.lock(cohort)
    in_progress = dict(
        PlanVersion.objects.filter(participation__cohort=cohort, state__in=RENDERING).values_list(
            "participation_id", "batch"
        )
    )
    batch = uuid.uuid4()
    participations = (
        Participation.objects.select_for_update()
        .filter(
            cohort=cohort,
            state__in=PLANNABLE_STATES,
            assessment__state=Assessment.State.SUBMITTED,
        )
        .select_related("company")
        .order_by("company__legal_name")
    )
    count = 0
    for participation in participations:
        if participation.pk in in_progress:
            continue
        _create(actor, participation, default_language(participation), batch=batch)
        count += 1
    batches = {b for b in in_progress.values() if b is not None}
    if not count and batches:
        return batches.pop(), len(in_progress)
    return batch, count


def batch_progress(cohort, batch):
    """{state: count} and the total of one batch of ``cohort``."""
    counts = PlanVersion.objects.filter(participation__cohort=cohort, batch=batch).aggregate(
        total=Count("pk"),
        **{state: Count("pk", filter=Q(state=state)) for state in State.values},
    )
    total = counts.pop("total")
    done = counts[State.READY] + counts[State.FAILED]
    return {
        "total": total,
        "counts": counts,
        "done": done,
        "percent": round(100 * done / total) if total else 100,
        "finished": done == total,
    }


@transaction.atomic
def retry_version(actor, version):
    """Render a failed version again.

    Side-effects: state failed -> queued (error cleared); audit record "plan_retry"; the render
    task queued after commit. A retry of a version queued again already changes nothing.
    """
    version = PLAN_VERSION.lock(version)
    if not permissions.can_generate_plan(actor, version.participation):
        raise Refused("not_permitted")
    version.error = ""
    version.queued_at = timezone.now()
    if not PLAN_VERSION.move(
        version,
        "plan_retry",
        actor=actor,
        fields=["error", "queued_at"],
        message=_("Only a failed version can be generated again."),
    ):
        return PLAN_VERSION.lock(version)  # queued again already: nothing again
    transaction.on_commit(lambda: enqueue(version.pk))
    return version


@transaction.atomic
def sign_off(actor, version):
    """The programme lead signs off a ready version.

    Side-effects: the version's final PDF rendered again from its snapshot with the sign-off
    block filled (who, when) and stored as ``signed_file`` with its SHA-256; signed_by/at;
    audit record "plan_signed_off"; the first sign-off moves the participation plan_review ->
    completed and completes the flow's plan stage; mail "plan_signed_off" with the signed PDF
    attached to every representative and to the experts. Signing off a signed version again
    changes nothing.
    """
    from ..flows import ParticipationFlow, complete_stage

    if not permissions.can_sign_off(actor):
        raise Refused("not_permitted")
    version = (
        PlanVersion.objects.select_for_update()
        .select_related("participation__company")
        .get(pk=version.pk)
    )
    if version.signed_at is not None:
        return version  # signed off already (a double click): nothing again
    if version.state != State.READY or not version.snapshot:
        raise Refused("wrong_state", _("Only a generated version can be signed off."))
    participation = version.participation
    assessment = Assessment.objects.filter(participation=participation).first()
    if assessment is None or assessment.state != Assessment.State.SUBMITTED:
        raise Refused(
            "wrong_state", _("The assessment was returned: generate a new version first.")
        )
    now = timezone.now()
    try:
        content = signed_pdf(version, actor, now)
    except Exception as error:
        logger.exception("Rendering the signed PDF of plan version %s failed", version.pk)
        raise Refused(
            "wrong_state",
            _("The signed PDF could not be rendered; nothing was signed. Try again later."),
        ) from error
    version.signed_file.save(version.filename(signed=True), ContentFile(content), save=False)
    version.signed_checksum = files.sha256(content)
    version.signed_by = actor
    version.signed_at = now
    changes = audit.changes(version, ["signed_checksum", "signed_by", "signed_at"])
    version.save()
    audit.record(version, "plan_signed_off", actor=actor, changes=changes)  # stays ready
    if PARTICIPATION.allows(participation.state, "plan_signed_off"):
        PARTICIPATION.move(participation, "plan_signed_off", actor=actor)
    complete_stage(participation, ParticipationFlow.plan)
    recipients = [
        *participation.company.representatives.all(),
        *[a.expert for a in participation.assignments.filter(ended_at__isnull=True)],
    ]
    for recipient in recipients:
        queue_message(
            recipient,
            "plan_signed_off",
            {
                "company": participation.company,
                "version": version,
                "url": reverse("mentoring:participant", args=[participation.pk]),
            },
            attachments=[attachment(version.filename(signed=True), "application/pdf", content)],
            related=version,
        )
    return version
