"""Who may see and do what: the one place that answers role questions."""

from django.db.models import Q
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from . import roles


def has_role(user, *role_names):
    if not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_cache = cached
    return bool(cached.intersection(role_names))


def is_officer(user):
    """Officers and leads (a lead is a senior officer) run the programme."""
    return has_role(user, roles.OFFICER, roles.LEAD)


def is_lead(user):
    return has_role(user, roles.LEAD)


def is_sme(user):
    return has_role(user, roles.SME)


def is_reviewer(user):
    return has_role(user, roles.REVIEWER)


def is_expert(user):
    return has_role(user, roles.EXPERT)


def is_partner(user):
    """A representative of a partner organisation (what it may see is the matchmaking's rule)."""
    return has_role(user, roles.PARTNER)


# Later stages grant more people access to a company's pages, IP audit and asset register (the
# mentoring app: the company's assigned experts). Each rule is ``rule(user) -> Q over Company``.
COMPANY_ACCESS_RULES = []


def register_company_access(rule):
    if rule not in COMPANY_ACCESS_RULES:
        COMPANY_ACCESS_RULES.append(rule)
    return rule


def _granted(user):
    granted = Q(pk__in=[])
    for rule in COMPANY_ACCESS_RULES:
        granted |= rule(user)
    return granted


def visible_companies(user):
    """Companies a user may open: officers all, representatives theirs, assigned experts too."""
    from .models import Company

    if is_officer(user):
        return Company.objects.all()
    if not user.is_authenticated:
        return Company.objects.none()
    ids = Company.objects.filter(Q(representatives=user) | _granted(user)).values("pk")
    return Company.objects.filter(pk__in=ids)


def is_granted(user, company):
    """A rule of a later stage gives ``user`` access to ``company`` (e.g. its assigned expert)."""
    from .models import Company

    return user.is_authenticated and Company.objects.filter(_granted(user), pk=company.pk).exists()


def can_edit_company(user, company):
    return is_officer(user) or company.representatives.filter(pk=user.pk).exists()


def can_change_company_identity(user):
    """A company's registration number and country (its identity, registered once) are changed
    by officers only: a representative who could change them would learn, from the refusal of a
    number taken elsewhere, which companies are registered."""
    return is_officer(user)


def can_invite_representative(user, company):
    """A company's representatives (and officers) invite colleagues to represent it; an
    assigned expert, who sees the company, does not."""
    return can_edit_company(user, company)


def can_manage_users(user):
    return is_officer(user)


# --- the lead role (clinic/services/accounts.py: invite_user, set_roles, deactivate_user,
# reactivate_user, create_first_lead). Leads are read from the database, not the request's user:
# the services lock the active leads' rows first, so two changes at once see each other.


def active_lead_ids():
    from .models import User

    return set(
        User.objects.filter(groups__name=roles.LEAD, is_active=True).values_list("pk", flat=True)
    )


def role_change_refusal(actor, person, role_names):
    """Why ``actor`` may not give ``person`` (None: a new invitee) the roles ``role_names``;
    "" when they may. Only an active lead grants, changes or removes the lead role or changes a
    lead's roles, and the last active lead keeps it."""
    if not can_manage_users(actor):
        return _("Only programme officers manage people and roles.")
    before = set(person.groups.values_list("name", flat=True)) if person else set()
    leads = active_lead_ids()
    if roles.LEAD in before | set(role_names) and actor.pk not in leads:
        return _("Only a programme lead may grant, change or remove the lead role.")
    if roles.LEAD in before - set(role_names) and not leads - {person.pk}:
        return _("At least one active programme lead must remain.")
    return ""


def can_change_roles(actor, person, role_names):
    return not role_change_refusal(actor, person, role_names)


def offered_roles(actor):
    """The roles ``actor`` may hand out on the invitation and roles forms (the lead role only
    to a lead)."""
    return [role for role in roles.ROLE_LABELS if role != roles.LEAD or is_lead(actor)]


def active_change_refusal(actor, person):
    """Why ``actor`` may not (de)activate ``person`` ("" when they may): officers manage
    accounts, never their own; only an active lead deactivates or reactivates a lead (another
    lead, so at least one active lead, the actor, always remains)."""
    if not can_manage_users(actor):
        return _("Only programme officers manage people and roles.")
    if person.pk == actor.pk:
        return _("You cannot deactivate your own account.")
    if person.groups.filter(name=roles.LEAD).exists() and actor.pk not in active_lead_ids():
        return _("Only a programme lead may deactivate or reactivate a lead.")
    return ""


def can_change_active(actor, person):
    return not active_change_refusal(actor, person)


def can_create_first_lead():
    """``manage.py createlead`` makes a lead only while no active lead exists."""
    return not active_lead_ids()


def can_search(user):
    """The global search is for staff (officers and the lead); each kind of result keeps its
    own rule (``visible_companies``, ``can_manage_users``, ``visible_applications``)."""
    return is_officer(user)


def can_see_outbox(user):
    return is_officer(user)


# --- IP audit and asset register -----------------------------------------------------------


def can_manage_questionnaires(user):
    return is_officer(user)


def visible_audits(user):
    """Audits a user may open: officers all, representatives and assigned experts the company's."""
    from .models import IPAudit

    if is_officer(user):
        return IPAudit.objects.all()
    if not user.is_authenticated:
        return IPAudit.objects.none()
    return IPAudit.objects.filter(company__in=visible_companies(user))


def represents(user, company):
    return user.is_authenticated and company.representatives.filter(pk=user.pk).exists()


def can_fill_audit(user, audit):
    """Only the company's representatives answer its audit."""
    return represents(user, audit.company)


def can_return_audit(user, audit):
    """Officers and the company's assigned experts return audits."""
    return is_officer(user) or is_granted(user, audit.company)


def can_edit_assets(user, company):
    return is_officer(user) or represents(user, company)


# --- workflow pool tasks (clinic/workflow.py: claim and release pages, My tasks) ---------------


def can_claim_task(user, task):
    """A pool task (it carries a permission), still new and unowned, claimed by a holder of that
    permission. Tasks given to a named user are never claimed by anyone else."""
    return (
        user.is_authenticated
        and user.is_active
        and bool(task.owner_permission)
        and task.status == STATUS.NEW
        and task.owner_id is None
        and user.has_perm(task.owner_permission)
    )


def can_release_task(user, task):
    """Only the owner gives a claimed pool task back, before it is done."""
    return (
        user.is_authenticated
        and bool(task.owner_permission)
        and task.status == STATUS.ASSIGNED
        and task.owner_id == user.pk
    )
