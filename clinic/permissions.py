"""Who may see and do what: the one place that answers role questions."""

from django.db.models import Q
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


def can_manage_users(user):
    return is_officer(user)


def can_manage_cohorts(user):
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
