"""Who may see and do what: the one place that answers role questions."""

from django.db.models import Q

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


def visible_companies(user):
    """Companies a user may open: officers see all, representatives their own."""
    from .models import Company

    if is_officer(user):
        return Company.objects.all()
    if not user.is_authenticated:
        return Company.objects.none()
    return Company.objects.filter(Q(representatives=user)).distinct()


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
    """Audits a user may open: officers all, representatives their companies' (experts later)."""
    from .models import IPAudit

    if is_officer(user):
        return IPAudit.objects.all()
    if not user.is_authenticated:
        return IPAudit.objects.none()
    return IPAudit.objects.filter(company__representatives=user).distinct()


def represents(user, company):
    return user.is_authenticated and company.representatives.filter(pk=user.pk).exists()


def can_fill_audit(user, audit):
    """Only the company's representatives answer its audit."""
    return represents(user, audit.company)


def can_return_audit(user, audit):
    """Officers return audits; the assigned expert will too once mentoring is built."""
    return is_officer(user)


def can_edit_assets(user, company):
    return is_officer(user) or represents(user, company)
