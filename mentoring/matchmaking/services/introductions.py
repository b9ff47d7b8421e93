"""Introductions: an officer proposes that a partner (a need owner or an investor) and a
technology provider meet; both accept (until then neither sees the other's contact data); a
meeting (with a calendar invitation) → MOU signed → deployment, or closed with a reason."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from clinic import files
from clinic.services import audit
from clinic.services.outbox import attachment

from .. import permissions
from ..models import Introduction, Need, PartnerOrganisation, Technology
from ..permissions import SIDES
from ..transitions import INTRODUCTION, REACHED_STATES
from . import refuse_unless, tell
from .listings import mark_matched

S = Introduction.State
MOU_MAX_BYTES = 10 * 1024 * 1024
MOU_TYPES = ("application/pdf",)


def people(introduction):
    """Both sides' representatives."""
    return [
        *introduction.technology.company.representatives.all(),
        *introduction.partner.representatives.all(),
    ]


def _tell(introduction, action, **extra):
    attachments = extra.pop("attachments", ())
    tell(
        people(introduction),
        "matchmaking_introduction",
        {"introduction": introduction, "action": action, **extra},
        related=introduction,
        link_name="matchmaking:introduction",
        link_args=[introduction.pk],
        attachments=attachments,
    )


@transaction.atomic
def propose(actor, technology, partner, need=None, note="", score=0):
    """An officer introduces ``partner`` (for ``need``, or as an investor) to a technology.

    Checks: ``can_propose_introduction``; technology approved, need open or matched and the
    partner's, partner approved; one introduction per pair (a repeat returns the existing one).
    Side-effects: Introduction row (proposed); audit record; mail to both sides.
    """
    refuse_unless(permissions.can_propose_introduction(actor), _("Only officers introduce."))
    refuse_unless(
        technology.state == Technology.State.APPROVED,
        _("Only approved technologies are introduced."),
        code="wrong_state",
    )
    refuse_unless(
        partner.state == PartnerOrganisation.State.APPROVED,
        _("Only approved partners are introduced."),
        code="wrong_state",
    )
    if need is not None:
        refuse_unless(
            need.partner_id == partner.pk and need.state in Need.VISIBLE_STATES,
            _("Only open needs of the partner are introduced."),
            code="wrong_state",
        )
    existing = Introduction.objects.filter(technology=technology, partner=partner, need=need)
    if existing.exists():
        return existing.get(), False
    introduction = Introduction.objects.create(
        technology=technology,
        partner=partner,
        need=need,
        proposed_by=actor,
        note=note.strip(),
        score=score,
    )
    audit.record(introduction, "proposed", actor=actor, to_state=S.PROPOSED, reason=note)
    _tell(introduction, "proposed")
    return introduction, True


def _locked(introduction):
    return INTRODUCTION.lock(introduction)


@transaction.atomic
def accept(actor, introduction):
    """One side accepts; when both have, the introduction is accepted (and its need matched).

    Checks: the actor speaks for a side (else 404) and may accept for it
    (``permissions.acceptable_sides``: never one person for both sides, nor the proposer; else
    403). A side already accepted (by the actor or a colleague) is a repeat in any state: nothing
    changes and the page shows the first result. Accepting an introduction that was closed
    before both accepted is refused (``wrong_state``, 409). Side-effects: that side's acceptance
    time and person; on the second side state accepted, audit record, the need marked matched,
    mail to both sides with contact data.
    """
    introduction = _locked(introduction)
    refuse_unless(
        permissions.introduction_sides(actor, introduction),
        _("You are not part of this introduction."),
        code="not_found",
    )
    sides = permissions.acceptable_sides(actor, introduction)
    refuse_unless(
        sides,
        _(
            "You speak for both sides of this introduction or proposed it: a colleague who "
            "represents only one side accepts for it."
        ),
    )
    pending = [side for side in SIDES if side in sides and _accepted_at(introduction, side) is None]
    if not pending:
        return False
    refuse_unless(
        introduction.state == S.PROPOSED, _("This was already decided."), code="wrong_state"
    )
    now = timezone.now()
    fields = []
    for side in pending:
        setattr(introduction, f"{side}_accepted_at", now)
        setattr(introduction, f"{side}_accepted_by", actor)
        fields += [f"{side}_accepted_at", f"{side}_accepted_by"]
    if not introduction.accepted_by_both:
        introduction.save(update_fields=[*fields, "updated_at"])
        audit.record(introduction, "accepted_by_" + "_".join(pending), actor=actor)
        return True
    INTRODUCTION.move(introduction, "accepted", actor=actor, fields=fields)  # both sides told
    mark_matched(introduction.need, actor)
    return True


def _accepted_at(introduction, side):
    return getattr(introduction, f"{side}_accepted_at")


def meeting_ics(introduction, language=None):
    """The calendar invitation of an introduction's meeting (one UID, growing SEQUENCE)."""
    calendar = Calendar()
    calendar.add("prodid", "-//IP Clinic//Matchmaking meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"introduction-{introduction.pk}@ipclinic")
    event.add("sequence", introduction.meeting_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", introduction.meeting_at)
    event.add("dtend", introduction.meeting_at + timedelta(hours=1))
    event.add(
        "summary",
        _("IP Clinic matchmaking meeting: %(title)s")
        % {"title": introduction.technology.localized_title(language)},
    )
    event.add("location", introduction.meeting_place)
    event.add(
        "description",
        settings.SITE_URL + reverse("matchmaking:introduction", args=[introduction.pk]),
    )
    calendar.add_component(event)
    return calendar.to_ical()


def _outcome_allowed(actor, introduction):
    refuse_unless(
        permissions.can_record_outcome(actor, introduction),
        _("Only officers and the two sides, once both accepted, record this."),
        code="not_found"
        if not permissions.visible_introductions(actor).filter(pk=introduction.pk).exists()
        else "not_permitted",
    )


@transaction.atomic
def schedule_meeting(actor, introduction, when, place):
    """Set (or move) the meeting time and place and send both sides a calendar invitation.

    Checks: ``can_record_outcome``; accepted or meeting state. Side-effects: time, place and
    SEQUENCE saved; audit record with before -> after; mail with the .ics to both sides.
    """
    introduction = _locked(introduction)
    _outcome_allowed(actor, introduction)
    refuse_unless(
        INTRODUCTION.allows(introduction.state, "mou_signed"),  # accepted, met: no MOU yet
        _("Not the time for a meeting."),
        code="wrong_state",
    )
    if introduction.meeting_at == when and introduction.meeting_place == place:
        return False
    introduction.meeting_at, introduction.meeting_place = when, place
    introduction.meeting_sequence += 1
    changes = audit.changes(introduction, ["meeting_at", "meeting_place"])
    introduction.save(
        update_fields=["meeting_at", "meeting_place", "meeting_sequence", "updated_at"]
    )
    audit.record(introduction, "meeting_scheduled", actor=actor, changes=changes)
    ics = attachment("meeting.ics", "text/calendar", meeting_ics(introduction))
    _tell(introduction, "meeting_scheduled", attachments=[ics])
    return True


@transaction.atomic
def record_meeting(actor, introduction):
    """The meeting was held. Checks: ``can_record_outcome``; accepted; a meeting was scheduled
    (a hand-made request cannot skip that step). Side-effects: state meeting; audit record;
    mail to both sides."""
    introduction = _locked(introduction)
    _outcome_allowed(actor, introduction)
    if not INTRODUCTION.applies(introduction, "meeting_held"):
        return False
    refuse_unless(
        introduction.meeting_at is not None,
        _("Schedule the meeting first."),
        code="wrong_state",
    )
    return _advance(actor, introduction, "meeting_held")


def check_mou_document(uploaded):
    """The content type of an MOU upload (a PDF of at most 10 MB) or a refusal."""
    refuse_unless(
        uploaded.size <= MOU_MAX_BYTES, _("The document may be at most 10 MB."), code="invalid"
    )
    import filetype

    head = uploaded.read(2048)
    uploaded.seek(0)
    kind = filetype.guess(head)
    refuse_unless(
        kind is not None and kind.mime in MOU_TYPES,
        _("The document must be a PDF."),
        code="invalid",
    )
    return kind.mime


@transaction.atomic
def sign_mou(actor, introduction, signed_on, scope, document=None):
    """An MOU was signed. Checks: ``can_record_outcome``; accepted or meeting (checked before the
    document is stored; a repeat stores nothing); the document a PDF. Side-effects: date, scope
    and document saved (named by its type); state mou_signed; audit record; mail to both
    sides."""
    introduction = _locked(introduction)
    _outcome_allowed(actor, introduction)
    if not INTRODUCTION.applies(introduction, "mou_signed"):
        return False  # recorded already: the first result, and no second file stored
    introduction.mou_signed_on, introduction.mou_scope = signed_on, scope.strip()
    fields = ["mou_signed_on", "mou_scope"]
    if document is not None:
        content_type = check_mou_document(document)
        introduction.mou_document.save(
            files.stored_name("mou", content_type).split("/")[-1], document, save=False
        )
        introduction.mou_document_type = content_type
        fields += ["mou_document", "mou_document_type"]
    return _advance(actor, introduction, "mou_signed", fields=fields)


@transaction.atomic
def record_deployment(actor, introduction, deployed_on, place, effect):
    """The technology was deployed. Checks: ``can_record_outcome``; MOU signed. Side-effects:
    date, place and measured effect saved; state deployed; audit record; mail to both sides."""
    introduction = _locked(introduction)
    _outcome_allowed(actor, introduction)
    introduction.deployed_on, introduction.deployment_place = deployed_on, place.strip()
    introduction.measured_effect = effect.strip()
    return _advance(
        actor,
        introduction,
        "deployed",
        fields=["deployed_on", "deployment_place", "measured_effect"],
    )


@transaction.atomic
def close(actor, introduction, reason):
    """Close an introduction with a reason (an officer, or a side: declining before acceptance
    counts). Checks: the actor sees it and speaks for a side or is an officer; a reason; not
    yet closed or deployed. Side-effects: state closed with the reason; audit; mail."""
    introduction = _locked(introduction)
    refuse_unless(
        permissions.may_close_introduction(actor, introduction),
        _("You are not part of this introduction."),
        code="not_found",
    )
    refuse_unless(reason.strip(), _("Please give a reason."), code="invalid")
    introduction.close_reason = reason.strip()
    return _advance(
        actor,
        introduction,
        "closed",
        fields=["close_reason"],
        reason=reason.strip(),
    )


def _advance(actor, introduction, action, fields=(), reason=""):
    """Make the move ``action`` of ``INTRODUCTION`` and tell both sides."""
    return INTRODUCTION.move(introduction, action, actor=actor, fields=list(fields), reason=reason)


@INTRODUCTION.mailer
def _tell_both_sides(introduction, kind, context, *, move, **_move):
    """The move's mail to both sides (contact data once accepted)."""
    _tell(introduction, move.name, **context)


def funnel(introductions):
    """Counts per stage reached (proposed, accepted, meeting, MOU, deployed, closed) of a
    queryset of introductions: one query. The programme dashboard shows them per cohort."""
    from django.db.models import Count, Q

    reached = {
        "proposed": Q(),
        **{stage: Q(state__in=states) for stage, states in REACHED_STATES.items()},
        "closed": Q(state=S.CLOSED),
    }
    return introductions.aggregate(**{name: Count("pk", filter=q) for name, q in reached.items()})


def cohort_funnel(cohort):
    """The funnel of the introductions of ``cohort``'s participating companies' technologies."""
    return funnel(
        Introduction.objects.filter(technology__company__participations__cohort=cohort).distinct()
    )
