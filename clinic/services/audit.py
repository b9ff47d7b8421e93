from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext, gettext_lazy

from ..audit_log import LISTENERS, SYSTEM_ACTOR_NAME, changes, is_sensitive, record, via
from ..models import AuditLog

# Writing is clinic/audit_log.py (below the services, beside clinic/transitions.py); its names
# are re-exported so every service writes through ``audit.record``.
__all__ = ["LISTENERS", "SYSTEM_ACTOR_NAME", "changes", "is_sensitive", "record", "via"]


def history(obj):
    """The records of ``obj``, newest first, with the people who acted (for their names)."""
    return AuditLog.objects.for_object(obj).select_related("actor")


# Actions whose from/to values name a person (by username) rather than a state.
PERSON_ACTIONS = ("expert_assigned", "expert_unassigned")


# Values some records store that are not a state of their model's state field.
EXTRA_STATES = {
    "signed": gettext_lazy("signed off"),
    "shared": gettext_lazy("shared"),
    "draft": gettext_lazy("draft"),
}


def actor_label(entry):
    """Who acted, as people read it: their full name (the username if they have none), or
    "the system" for timers and tasks."""
    if entry.actor_id and entry.actor is not None:
        return entry.actor.get_full_name() or entry.actor.get_username()
    if entry.actor_name == SYSTEM_ACTOR_NAME:
        return gettext("the system")
    return entry.actor_name


def state_label(entry, value):
    """A from/to value of ``entry`` in words: its model's state label, a person's name for
    assignments, else the value itself ("" stays "")."""
    if not value:
        return ""
    if entry.action in PERSON_ACTIONS:
        return person_name(value)
    model = model_of(entry)
    for name in ("state", "status"):
        field = model_field(model, name)
        if field is not None and field.choices:
            label = dict(field.flatchoices).get(value)
            if label is not None:
                return str(label)
    extra = EXTRA_STATES.get(value)
    return str(extra) if extra is not None else value.replace("_", " ")


def person_name(username):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    return (user.get_full_name() or username) if user is not None else username


def model_of(entry):
    try:
        return apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        return None


def describe_changes(entry):
    """(field label, before, after, sensitive) per change of ``entry``, labels translated."""
    model = model_of(entry)
    lines = []
    for name, values in (entry.changes or {}).items():
        field = model_field(model, name)
        label = field.verbose_name if field is not None else name.replace("_", " ")
        if not values:
            lines.append((label, "", "", True))
            continue
        lines.append((label, display(field, values[0]), display(field, values[1]), False))
    return lines


def model_field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def display(field, value):
    """A stored value as the History shows it: a choice's label, yes/no, the text of a related
    row (a stored id alone says nothing), else as stored."""
    if isinstance(field, models.BooleanField):
        return {"True": gettext("yes"), "False": gettext("no")}.get(value, value)
    # Records store a reference as the related row's text; older ones and hand-made changes as
    # its id.
    if isinstance(field, models.ForeignKey) and str(value).isdigit():
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else value
    if isinstance(field, models.Field) and field.choices:
        return str(dict((str(key), label) for key, label in field.flatchoices).get(value, value))
    return value
