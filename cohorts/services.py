"""Cohort state changes. Each function checks permission, writes, and records the audit log."""

from django.db import transaction

from clinic import permissions
from clinic.services import audit
from clinic.services.accounts import NotAllowed


@transaction.atomic
def save_programme(actor, programme, changed_fields=()):
    """Create or update a programme. Side-effects: row saved; audit record."""
    if not permissions.can_manage_cohorts(actor):
        raise NotAllowed
    created = programme.pk is None
    programme.save()
    audit.record(
        programme,
        "created" if created else "updated",
        actor=actor,
        reason=", ".join(changed_fields),
    )
    return programme


@transaction.atomic
def save_cohort(actor, cohort, changed_fields=()):
    """Create or update a cohort (already validated). Side-effects: row saved; audit record."""
    if not permissions.can_manage_cohorts(actor):
        raise NotAllowed
    created = cohort.pk is None
    cohort.save()
    audit.record(
        cohort, "created" if created else "updated", actor=actor, reason=", ".join(changed_fields)
    )
    return cohort
