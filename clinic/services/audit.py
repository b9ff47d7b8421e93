import json
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext, gettext_lazy

from ..models import AuditLog

SYSTEM_ACTOR_NAME = "system"
# A field whose name contains one of these is recorded by name only, never its value; a model
# names further ones in ``audit_sensitive_fields`` (e.g. the text of private notes).
SENSITIVE_WORDS = ("password", "token", "secret", "link", "private")
MAX_VALUE_LENGTH = 500
# The door the current request came through when it is not a page (the API: its token's name);
# every record written meanwhile carries it in ``via``.
_VIA = ContextVar("audit_via", default=None)


@contextmanager
def via(label):
    """Records written inside this block carry ``label`` (e.g. the API token's name)."""
    reset = _VIA.set(label[:150] if label else None)
    try:
        yield
    finally:
        _VIA.reset(reset)


# Called with every new record (the webhooks turn some of them into events).
LISTENERS = []


def record(obj, action, *, actor=None, from_state="", to_state="", reason="", changes=None):
    """Append one audit record for ``obj``; ``actor=None`` means the system (a timer or task).

    ``changes`` is what :func:`changes` returned before the object was saved. Side-effects: each
    of ``LISTENERS`` is called with the record.
    """
    entry = AuditLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None else SYSTEM_ACTOR_NAME,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_text=str(obj)[:300],
        action=action,
        from_state=from_state or "",
        to_state=to_state or "",
        reason=reason or "",
        changes=changes or {},
        via=_VIA.get(),
    )
    for listener in LISTENERS:
        listener(entry)
    return entry


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


def is_sensitive(model, name):
    return name in getattr(model, "audit_sensitive_fields", ()) or any(
        word in name for word in SENSITIVE_WORDS
    )


def changes(obj, fields=None):
    """Before -> after of ``fields`` (default: every editable field) between the stored row of
    ``obj`` and ``obj`` now.

    Call it before saving ``obj``. Returns {field: [before, after]} as text, leaving out values
    that did not change and names that are not model fields; a sensitive or many-to-many field
    is recorded by name only ({field: []}). A new object's before is "".
    """
    model = type(obj)
    stored = model._base_manager.filter(pk=obj.pk).first() if obj.pk is not None else None
    if fields is None:
        fields = [f.name for f in model._meta.concrete_fields if f.editable and not f.primary_key]
    result = {}
    for name in fields:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_many or not field.concrete:
            result[name] = []
            continue
        before = value_text(field, stored) if stored is not None else ""
        after = value_text(field, obj)
        if before != after:
            result[name] = [] if is_sensitive(model, name) else [shorten(before), shorten(after)]
    return result


def value_text(field, obj):
    if field.is_relation:
        related = getattr(obj, field.name)
        return "" if related is None else str(related)
    value = field.value_from_object(obj)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, dict)):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
    return field.value_to_string(obj)


def shorten(text):
    return text if len(text) <= MAX_VALUE_LENGTH else text[: MAX_VALUE_LENGTH - 1] + "…"


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
