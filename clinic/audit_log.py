"""Writing the audit log: the one function that appends a record (who, what, before -> after, the
door it came through) and the before -> after of changed fields, sensitive ones by name only.

It sits beside clinic/transitions.py, below the services: every move writes through it. Reading the
history for pages is clinic/services/audit.py (which re-exports these names).
"""

import json
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder

from .models import AuditLog

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
