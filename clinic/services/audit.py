from ..models import AuditLog

SYSTEM_ACTOR_NAME = "system"


def record(obj, action, *, actor=None, from_state="", to_state="", reason=""):
    """Append one audit record for ``obj``; ``actor=None`` means the system (a timer or task)."""
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None else SYSTEM_ACTOR_NAME,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_text=str(obj)[:300],
        action=action,
        from_state=from_state or "",
        to_state=to_state or "",
        reason=reason or "",
    )


def history(obj):
    return AuditLog.objects.for_object(obj)
