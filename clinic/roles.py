"""The five roles of the programme as groups, with their permissions, made after every migrate."""

from django.utils.translation import gettext_lazy as _

SME = "sme"
REVIEWER = "reviewer"
EXPERT = "expert"
OFFICER = "officer"
LEAD = "lead"

ROLE_LABELS = {
    SME: _("SME representative"),
    REVIEWER: _("Reviewer"),
    EXPERT: _("Expert"),
    OFFICER: _("Programme officer"),
    LEAD: _("Programme lead"),
}
STAFF_ROLES = (OFFICER, LEAD)

_OFFICER_PERMISSIONS = [
    "clinic.view_company",
    "clinic.change_company",
    "clinic.view_user",
    "clinic.change_user",
    "clinic.view_auditlog",
    "clinic.view_outboxmessage",
    "clinic.change_outboxmessage",
    "cohorts.add_programme",
    "cohorts.change_programme",
    "cohorts.view_programme",
    "cohorts.add_cohort",
    "cohorts.change_cohort",
    "cohorts.view_cohort",
    "cohorts.screen_application",
    "cohorts.view_application",
    "cohorts.change_rubriccriterion",
    "cohorts.view_review",
    "cohorts.propose_selection",
]

# role -> "app_label.codename" permissions. Later stages add theirs here.
ROLE_PERMISSIONS = {
    SME: [],
    REVIEWER: [],
    EXPERT: [],
    OFFICER: _OFFICER_PERMISSIONS,
    LEAD: [*_OFFICER_PERMISSIONS, "cohorts.approve_selection"],
}


def ensure_roles(sender=None, **kwargs):
    """Create the role groups and give them their permissions; safe to run any number of times."""
    from django.contrib.auth.models import Group, Permission

    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    available = {
        f"{perm.content_type.app_label}.{perm.codename}": perm
        for perm in Permission.objects.select_related("content_type")
        if f"{perm.content_type.app_label}.{perm.codename}" in wanted
    }
    for role, permissions in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([available[p] for p in permissions if p in available])
