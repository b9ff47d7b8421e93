"""The five roles of the programme as groups, with their permissions, made after every migrate.

The core lists its own permissions; each stage adds the permissions of its models with
``register_permissions`` when its app is ready. A lead holds every officer permission too."""

from django.utils.translation import gettext_lazy as _

SME = "sme"
REVIEWER = "reviewer"
EXPERT = "expert"
OFFICER = "officer"
LEAD = "lead"
PARTNER = "partner"

ROLE_LABELS = {
    SME: _("SME representative"),
    REVIEWER: _("Reviewer"),
    EXPERT: _("Expert"),
    OFFICER: _("Programme officer"),
    LEAD: _("Programme lead"),
    PARTNER: _("Partner representative"),
}
STAFF_ROLES = (OFFICER, LEAD)
# Roles that come with an organisation (a company or a partner), never handed out alone.
ORGANISATION_ROLES = (SME, PARTNER)

_OFFICER_PERMISSIONS = [
    "clinic.view_company",
    "clinic.change_company",
    "clinic.view_user",
    "clinic.change_user",
    "clinic.view_auditlog",
    "clinic.view_outboxmessage",
    "clinic.change_outboxmessage",
]

# role -> "app_label.codename" permissions of the core; stages add theirs (register_permissions).
ROLE_PERMISSIONS = {
    SME: [],
    REVIEWER: [],
    EXPERT: [],
    OFFICER: _OFFICER_PERMISSIONS,
    LEAD: [],
    PARTNER: [],
}


def register_permissions(role, *permissions):
    """A stage gives ``role`` these "app_label.codename" permissions (idempotent)."""
    held = ROLE_PERMISSIONS[role]
    held.extend(p for p in permissions if p not in held)


def permissions_of(role):
    """Every permission ``role`` holds: a lead's own and every officer permission."""
    if role == LEAD:
        return [*ROLE_PERMISSIONS[OFFICER], *ROLE_PERMISSIONS[LEAD]]
    return list(ROLE_PERMISSIONS[role])


def ensure_roles(sender=None, **kwargs):
    """Create the role groups and give them their permissions; safe to run any number of times."""
    from django.contrib.auth.models import Group, Permission

    wanted = {perm for role in ROLE_PERMISSIONS for perm in permissions_of(role)}
    available = {
        f"{perm.content_type.app_label}.{perm.codename}": perm
        for perm in Permission.objects.select_related("content_type")
        if f"{perm.content_type.app_label}.{perm.codename}" in wanted
    }
    for role in ROLE_PERMISSIONS:
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([available[p] for p in permissions_of(role) if p in available])
