"""Accounts, roles and invitations. Each function is one state change and writes the audit log."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import permissions, ratelimit, roles
from ..models import Company, CompanyInvitation, User
from ..transitions import Refused
from . import audit
from .outbox import queue_message
from .signup import joining_account, password_set_url, unique_username


def _lock_leads():
    """Lock the active leads' rows: two changes of leads at once see each other's result."""
    leads = User.objects.filter(groups__name=roles.LEAD, is_active=True).values("pk")
    list(User.objects.select_for_update().filter(pk__in=leads).order_by("pk").values("pk"))


def _refuse(refusal):
    if refusal:
        raise Refused("not_permitted", refusal)


def notify_leads(actor, person, change):
    """Mail every other active lead (not the actor, not the person) that ``person``'s lead role
    or account changed (``change``: granted, removed, deactivated, reactivated), each in their
    language."""
    others = User.objects.filter(pk__in=permissions.active_lead_ids() - {actor.pk, person.pk})
    for lead in others.order_by("pk"):
        queue_message(
            lead,
            "lead_role_changed",
            {"person": person, "actor": actor, "change": change},
            related=person,
        )


def _lead_change(before, after):
    if roles.LEAD in after - before:
        return "granted"
    if roles.LEAD in before - after:
        return "removed"
    return ""


def _new_user(*, email, first_name="", last_name="", language=settings.LANGUAGE_CODE):
    user = User(
        username=unique_username(email),
        email=email,
        first_name=first_name,
        last_name=last_name,
        preferred_language=language,
        email_verified_at=timezone.now(),
    )
    user.set_unusable_password()
    user.save()
    return user


def _send_invitation(user, inviter, role_names):
    queue_message(
        user,
        "invitation",
        {"link": password_set_url(user), "inviter": inviter, "roles": role_labels(role_names)},
        sensitive=True,
    )


@transaction.atomic
def invite_user(actor, *, email, first_name, last_name, role_names, language):
    """An officer invites a reviewer, expert or officer (a lead also a lead); the invitee sets a
    password by link.

    Checks: ``permissions.role_change_refusal`` (only a lead grants the lead role).
    Side-effects: active user with an unusable password and the roles; audit record; sensitive
    invitation mail queued (RateLimited over ``invitation_mail`` for the address); a new lead
    is mailed to the other leads.
    """
    _lock_leads()
    _refuse(permissions.role_change_refusal(actor, None, role_names))
    ratelimit.check("invitation_mail", email)
    user = _new_user(email=email, first_name=first_name, last_name=last_name, language=language)
    user.groups.set(Group.objects.filter(name__in=role_names))
    audit.record(user, "invited", actor=actor, to_state=",".join(sorted(role_names)))
    _send_invitation(user, actor, role_names)
    if roles.LEAD in role_names:
        notify_leads(actor, user, "granted")
    return user


@transaction.atomic
def create_first_lead(*, email, first_name="", last_name="", language=settings.LANGUAGE_CODE):
    """``manage.py createlead``: the first lead of an installation without an active lead.

    An existing account with this email gets the lead role; otherwise a new account is made and
    invited to set its password. Checks: ``permissions.can_create_first_lead``.
    Side-effects: the lead role added; audit record by the system; a new account's sensitive
    invitation mail queued. Returns (user, created).
    """
    _lock_leads()
    if not permissions.can_create_first_lead():
        raise Refused(
            "not_permitted",
            _("A programme lead exists already: a lead grants the role under People and roles."),
        )
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = _new_user(email=email, first_name=first_name, last_name=last_name, language=language)
    before = set(user.groups.values_list("name", flat=True))
    user.groups.add(Group.objects.get(name=roles.LEAD))
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit.record(
        user,
        "lead_created",
        from_state=",".join(sorted(before)),
        to_state=",".join(sorted(before | {roles.LEAD})),
    )
    if created:
        _send_invitation(user, gettext_lazy("The IP Clinic administrator"), [roles.LEAD])
    return user, created


def role_labels(role_names):
    return [roles.ROLE_LABELS[name] for name in role_names if name in roles.ROLE_LABELS]


@transaction.atomic
def set_roles(actor, user, role_names):
    """An officer changes a user's roles.

    Checks: ``permissions.role_change_refusal`` (only a lead grants, changes or removes the lead
    role; the last active lead keeps it).
    Side-effects: the user's groups replaced; audit record from old to new roles; a granted or
    removed lead role is mailed to the other leads.
    """
    _lock_leads()
    _refuse(permissions.role_change_refusal(actor, user, role_names))
    before = set(user.groups.values_list("name", flat=True))
    after = set(role_names)
    user.groups.set(Group.objects.filter(name__in=after))
    audit.record(
        user,
        "roles_changed",
        actor=actor,
        from_state=",".join(sorted(before)),
        to_state=",".join(sorted(after)),
    )
    if change := _lead_change(before, after):
        notify_leads(actor, user, change)
    return user


def _set_active(actor, user, active, reason=""):
    _lock_leads()
    user = User.objects.select_for_update().get(pk=user.pk)
    _refuse(permissions.active_change_refusal(actor, user))
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        user,
        "reactivated" if active else "deactivated",
        actor=actor,
        from_state="inactive" if active else "active",
        to_state="active" if active else "inactive",
        reason=reason,
    )
    if user.groups.filter(name=roles.LEAD).exists():
        notify_leads(actor, user, "reactivated" if active else "deactivated")
    return user


@transaction.atomic
def deactivate_user(actor, user, reason):
    """An officer deactivates an account (never their own; a lead's only by another lead).

    Checks: ``permissions.active_change_refusal``. Deactivating twice changes nothing.
    Side-effects: ``is_active`` false; audit record with the reason; a lead's deactivation is
    mailed to the other leads.
    """
    return _set_active(actor, user, False, reason)


@transaction.atomic
def reactivate_user(actor, user):
    """An officer reactivates an account (a lead's only a lead).

    Checks: ``permissions.active_change_refusal``. Side-effects: ``is_active`` true; audit
    record; a lead's reactivation is mailed to the other leads.
    """
    return _set_active(actor, user, True)


@transaction.atomic
def update_company(actor, company, changed_fields):
    """Save an edited company profile (already validated).

    Checks: ``can_edit_company``; the registration number and country only with
    ``can_change_company_identity``. Side-effects: company saved; audit record with the
    changed fields' before and after.
    """
    if not permissions.can_edit_company(actor, company):
        raise Refused("not_permitted")
    identity = set(changed_fields) & {"registration_number", "country"}
    if identity and not permissions.can_change_company_identity(actor):
        raise Refused("not_permitted")
    changes = audit.changes(company, changed_fields)
    company.save()
    audit.record(company, "updated", actor=actor, changes=changes)
    return company


@transaction.atomic
def invite_representative(actor, company, email):
    """A representative invites a colleague to represent the company too.

    Side-effects: CompanyInvitation row; audit record; sensitive invitation mail queued
    (RateLimited over ``invitation_mail`` for the address).
    """
    if not permissions.can_invite_representative(actor, company):
        raise Refused("not_permitted")
    ratelimit.check("invitation_mail", email)
    invitation = CompanyInvitation.objects.create(
        company=company, email=email, invited_by=actor, token=get_random_string(48)
    )
    audit.record(company, "representative_invited", actor=actor, reason=email)
    link = reverse("accept_company_invitation", kwargs={"token": invitation.token})
    queue_message(
        User(email=email, preferred_language=company.correspondence_language),
        "company_invitation",
        {"link": link, "company": company, "inviter": actor},
        sensitive=True,
        related=company,
        email=email,
    )
    return invitation


@transaction.atomic
def accept_representative_invitation(invitation, user):
    """The invited colleague joins and becomes a representative: ``user`` is a new account
    (unsaved) or the logged-in account of the invitation's address (``signup.joining_account``).

    Side-effects: a new user saved with email verified and privacy consent; SME role; added to
    the company; invitation accepted; audit record.
    """
    invitation = CompanyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise Refused("not_permitted")
    user = joining_account(invitation.email, user)
    user.groups.add(Group.objects.get(name=roles.SME))
    invitation.company.representatives.add(user)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit.record(invitation.company, "representative_added", actor=user, reason=user.email)
    return user


def representative_companies(user):
    return Company.objects.filter(representatives=user)
