"""Programme and cohort settings."""

from django.db import transaction

from clinic.services import audit
from clinic.transitions import Refused

from .. import permissions
from . import stage_times


@transaction.atomic
def save_programme(actor, programme, changed_fields=()):
    """Create or update a programme. Side-effects: row saved; audit record (before -> after)."""
    if not permissions.can_manage_cohorts(actor):
        raise Refused("not_permitted")
    created = programme.pk is None
    changes = audit.changes(programme, changed_fields)
    programme.save()
    audit.record(programme, "created" if created else "updated", actor=actor, changes=changes)
    return programme


@transaction.atomic
def save_cohort(actor, cohort, changed_fields=(), copy_from=None):
    """Create or update a cohort (already validated).

    Side-effects: row saved; audit record (before -> after); a new cohort gets the rubric of
    ``copy_from`` (the cohort whose settings were copied) or the default rubric; a changed
    ``min_reviews`` computes its applications' ``reviewed_at`` again (services/stage_times.py).
    """
    from .rubric import copy_rubric, ensure_rubric

    if not permissions.can_manage_cohorts(actor):
        raise Refused("not_permitted")
    created = cohort.pk is None
    changes = audit.changes(cohort, changed_fields)
    cohort.save()
    if created:
        if copy_from is not None:
            copy_rubric(copy_from, cohort)
        else:
            ensure_rubric(cohort)
    elif "min_reviews" in changes:
        stage_times.restamp_reviewed(cohort.applications.all())
    audit.record(
        cohort,
        "created" if created else "updated",
        actor=actor,
        reason=f"copied from {copy_from}" if created and copy_from is not None else "",
        changes=changes,
    )
    return cohort
