"""Technologies and needs: drafts saved by their owners, submitted, approved or returned by an
officer, withdrawn or closed. The moves are data (``MOVES``); ``move_listing`` runs them."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic import limits
from clinic.services import audit

from .. import permissions
from ..models import Need, Technology
from ..transitions import NEED, TECHNOLOGY
from . import officers, refuse_unless, tell

# Moves that need a reason, the timestamp each sets, and who is told (else the owners).
NEEDS_REASON = {"return", "withdraw", "close"}
STAMPS = {"submit": "submitted_at", "approve": "approved_at"}
TELL_OFFICERS = {"submit", "withdraw", "close"}
MACHINES = {Technology: TECHNOLOGY, Need: NEED}


def owners(listing):
    """The people who speak for a listing: the company's or the partner's representatives."""
    if isinstance(listing, Technology):
        return listing.company.representatives.all()
    return listing.partner.representatives.all()


def may(user, move, listing):
    """Whether ``user`` may make ``move`` on ``listing`` (the table's ``who`` rule)."""
    return move.who != "system" and getattr(permissions, move.who)(user, listing)


def actions_for(user, listing):
    """(move, needs a reason) of the moves ``user`` may make on ``listing`` now."""
    machine = MACHINES[type(listing)]
    return [
        (move, move.name in NEEDS_REASON)
        for move in machine.moves_from(listing.state)
        if may(user, move, listing)
    ]


@transaction.atomic
def move_listing(actor, listing, action, reason=""):
    """Make move ``action`` (``MOVES``) on a technology or need.

    Checks: the move exists, the actor may make it (the move's ``who`` rule), a reason where
    ``NEEDS_REASON`` asks for one;
    state re-read under a row lock (a repeat changes nothing and returns False).
    Side-effects: state (and the return comment, the move's timestamp) saved; audit record
    before -> after with the reason; mail to the officers or the owners in their language.
    """
    machine = MACHINES[type(listing)]
    move = machine.moves.get(action)
    refuse_unless(move is not None, _("This action does not exist."), code="invalid")
    refuse_unless(may(actor, move, listing), _("You may not do this."))
    reason = (reason or "").strip()
    refuse_unless(reason or action not in NEEDS_REASON, _("Please give a reason."), code="invalid")
    fields = []
    if action == "return":
        listing.return_comment = reason[: limits.LONG_TEXT_MAX]
        fields.append("return_comment")
    if action in STAMPS:
        setattr(listing, STAMPS[action], timezone.now())
        fields.append(STAMPS[action])
    return machine.move(
        listing, action, actor=actor, reason=reason, fields=fields, context={"reason": reason}
    )


@TECHNOLOGY.mailer
@NEED.mailer
def _tell(listing, kind, context, *, move, **_move):
    """The move's mail, in each person's language: to the officers (submitted, withdrawn,
    closed) or to the listing's owners (approved, returned)."""
    tell(
        officers() if move.name in TELL_OFFICERS else owners(listing),
        kind,
        {"listing": listing, "action": move.name, "reason": "", "kind": _kind(listing), **context},
        related=listing,
        link_name=_detail_url(listing),
        link_args=[listing.pk],
    )


def _kind(listing):
    return "technology" if isinstance(listing, Technology) else "need"


def _detail_url(listing):
    return f"matchmaking:{_kind(listing)}"


@transaction.atomic
def save_technology(actor, technology, changed_fields, assets=None):
    """An SME saves its technology (new or a draft / returned one).

    Checks: ``permissions.can_publish_technology`` for the company; an existing row must be in
    ``permissions.editable_technologies``; the chosen assets belong to the company; limits.
    Side-effects: row saved; assets set; audit record ``created`` or ``updated`` with the
    changed fields' before -> after.
    """
    refuse_unless(
        permissions.can_publish_technology(actor, technology.company),
        _("Only a participating company's representatives publish its technologies."),
    )
    if technology.pk is not None:
        refuse_unless(
            permissions.editable_technologies(actor)
            .select_for_update()
            .filter(pk=technology.pk)
            .exists(),
            _("This technology can no longer be edited."),
            code="wrong_state",
        )
    if assets is not None:
        refuse_unless(
            all(asset.company_id == technology.company_id for asset in assets),
            _("Choose assets of your own register."),
            code="invalid",
        )
    return _save(actor, technology, changed_fields, assets)


@transaction.atomic
def save_need(actor, need, changed_fields):
    """A partner's representative (or an officer for a partner) saves a need.

    Checks: the partner is one ``permissions.need_partners`` allows; an existing row must be in
    ``permissions.editable_needs``; limits. Side-effects: row saved; audit record.
    """
    refuse_unless(
        permissions.need_partners(actor).filter(pk=need.partner_id).exists(),
        _("You may not post needs for this organisation."),
    )
    if need.pk is not None:
        refuse_unless(
            permissions.editable_needs(actor).select_for_update().filter(pk=need.pk).exists(),
            _("This need can no longer be edited."),
            code="wrong_state",
        )
    return _save(actor, need, changed_fields)


def _save(actor, listing, changed_fields, assets=None):
    limits.enforce(listing, changed_fields)
    created = listing.pk is None
    changes = audit.changes(listing, changed_fields)
    listing.save()
    if assets is not None:
        listing.assets.set(assets)
    audit.record(listing, "created" if created else "updated", actor=actor, changes=changes)
    return listing


def mark_matched(need, actor):
    """An introduction for an open need was accepted by both: the need is matched."""
    if need is None or need.state != Need.State.OPEN:
        return False
    return NEED.move(need, "matched", actor=actor)
