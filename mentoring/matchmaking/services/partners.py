"""Partner organisations and their representatives: added by officers or self-registered and
then approved; representatives invited by officers by mail."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from clinic import ratelimit, roles
from clinic.models import User
from clinic.services import audit, signup
from clinic.services.outbox import queue_message

from .. import permissions
from ..models import PartnerInvitation, PartnerOrganisation
from ..transitions import PARTNER
from . import officers, refuse_unless, tell

P = PartnerOrganisation.State


@transaction.atomic
def save_partner(actor, organisation, changed_fields):
    """An officer adds or edits an organisation (added ones are approved), or a representative
    edits their own.

    Checks: ``can_manage_partners`` to add, ``can_edit_partner`` to edit. Side-effects: row
    saved; audit record ``created``/``updated`` with before -> after.
    """
    if organisation.pk is None:
        refuse_unless(permissions.can_manage_partners(actor), _("Only officers add partners."))
        organisation.state = P.APPROVED
    else:
        refuse_unless(permissions.can_edit_partner(actor, organisation), _("You may not do this."))
    created = organisation.pk is None
    changes = audit.changes(organisation, changed_fields)
    organisation.save()
    audit.record(organisation, "created" if created else "updated", actor=actor, changes=changes)
    return organisation


def _give_partner_role(user):
    user.groups.add(Group.objects.get(name=roles.PARTNER))


@transaction.atomic
def register(user, organisation, ip):
    """Someone registers themself and their organisation (both unsaved): the organisation waits
    for an officer's approval and its representative sees nothing until then.

    The answer is the same whether the address is new or has an account: a known address
    registers nothing and its owner gets the "signup_attempt" mail (returns None); the
    username is made from the address (``signup.assign_username``).

    Checks: the sign-up rate limit for ``ip``. Side-effects: user saved with the partner role and
    privacy consent; organisation saved (pending) with the user as representative; audit
    record; verification mail to the address; mail to the officers.
    """
    ratelimit.check("signup", ip)
    owner = User.objects.filter(email__iexact=user.email).first()
    if owner is not None:
        signup.warn_owner_of_signup(owner)
        return None
    signup.assign_username(user)
    user.privacy_consent_at = timezone.now()
    user.save()
    _give_partner_role(user)
    organisation.state = P.PENDING
    organisation.save()
    organisation.representatives.add(user)
    audit.record(organisation, "registered", actor=user, to_state=P.PENDING)
    signup.send_verification(user)
    tell(
        officers(),
        "matchmaking_partner",
        {"organisation": organisation, "action": "registered"},
        related=organisation,
        link_name="matchmaking:partner",
        link_args=[organisation.pk],
    )
    return organisation


@transaction.atomic
def decide(actor, organisation, approve, reason=""):
    """An officer approves or rejects a self-registered organisation.

    Checks: ``can_manage_partners``; the organisation is pending (a repeat changes nothing).
    Side-effects: state approved or rejected; audit record with the reason; mail to its
    representatives in their language.
    """
    refuse_unless(permissions.can_manage_partners(actor), _("Only officers decide on partners."))
    action = "approved" if approve else "rejected"
    return PARTNER.move(
        organisation, action, actor=actor, reason=reason, context={"reason": reason}
    )


@PARTNER.mailer
def _tell_representatives(organisation, kind, context, *, move, **_move):
    """The move's mail to the organisation's representatives, in their language."""
    tell(
        organisation.representatives.all(),
        kind,
        {"organisation": organisation, "action": move.name, "reason": "", **context},
        related=organisation,
        link_name="matchmaking:home",
    )


@transaction.atomic
def invite(actor, organisation, email, language):
    """An officer invites someone to represent an organisation.

    Checks: ``can_manage_partners``; the invitation mail limit for the address. Side-effects:
    PartnerInvitation row; audit record; sensitive invitation mail with the link.
    """
    refuse_unless(permissions.can_manage_partners(actor), _("Only officers invite partners."))
    ratelimit.check("invitation_mail", email)
    invitation = PartnerInvitation.objects.create(
        organisation=organisation,
        email=email,
        language=language,
        invited_by=actor,
        token=get_random_string(48),
    )
    audit.record(organisation, "representative_invited", actor=actor, reason=email)
    queue_message(
        User(email=email, preferred_language=language),
        "matchmaking_partner_invitation",
        {
            "organisation": organisation,
            "inviter": actor,
            "link": reverse("matchmaking:join", kwargs={"token": invitation.token}),
        },
        sensitive=True,
        related=organisation,
        email=email,
    )
    return invitation


@transaction.atomic
def accept_invitation(invitation, user):
    """The invited person joins and represents the organisation: ``user`` is a new account
    (unsaved) or the logged-in account of the invitation's address (``signup.joining_account``).

    Checks: the invitation is not used (locked). Side-effects: a new user saved with verified
    email and privacy consent; the partner role; added to the organisation; invitation
    accepted; audit.
    """
    invitation = PartnerInvitation.objects.select_for_update().get(pk=invitation.pk)
    refuse_unless(
        invitation.accepted_at is None, _("This invitation was already used."), code="wrong_state"
    )
    user = signup.joining_account(invitation.email, user)
    _give_partner_role(user)
    invitation.organisation.representatives.add(user)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit.record(invitation.organisation, "representative_added", actor=user, reason=user.email)
    return user
