"""State moves: one ``Machine`` per stateful model, one ``move`` that every service calls.

``move`` runs inside the caller's transaction: it takes ``select_for_update()`` on the row (on
SQLite the whole transaction is IMMEDIATE, see settings), re-reads the state there, refuses a
move that no longer applies, writes the state (and the fields the service set) and records the
audit record before -> after. A move whose target is already the row's state is a repeat (a
double click, a second worker): it changes nothing and returns ``False``, so the service skips
its side-effects and the view shows the page the first request showed.

Every refusal is one exception, ``Refused(code, message)``; views and the API map its code to a
status (``Refused.status``). The transition tables go on the machines (``Machine.allowed``).
"""

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from .services import audit


class Refused(Exception):
    """A rule or a move refuses the change. ``code`` is machine-readable, ``message`` for people.

    Codes: ``not_found`` (404), ``not_permitted`` (403), ``wrong_state`` (409: the object is no
    longer in a state that allows it), ``stale`` (409: the form was opened before someone
    else's change), ``invalid`` (400).
    """

    STATUS = {"not_found": 404, "not_permitted": 403, "wrong_state": 409, "stale": 409}

    def __init__(self, code, message=""):
        super().__init__(message or code)
        self.code = code
        self.message = str(message or "")

    @property
    def status(self):
        return self.STATUS.get(self.code, 400)

    def __str__(self):
        return self.message

    def shown(self, *, hidden=False):
        """The message for the page that asked (a form error, a flash message).

        A refusal of scope or permission is not shown there: it is raised again, and
        ``RefusedMiddleware`` answers it with its 404 or 403 page. ``hidden=True`` answers
        ``not_permitted`` with 404 too (the object is outside the user's scope).
        """
        if hidden and self.code == "not_permitted":
            raise Http404(self.message) from self
        if self.status in (403, 404):
            raise self
        return self.message


class Machine:
    """The states of one model (its ``state_field``) and the moves between them."""

    def __init__(self, model, *, state_field="state", related=()):
        self.model = model
        self.state_field = state_field
        self.related = tuple(related)

    def lock(self, obj):
        """The row of ``obj`` (an instance or a pk) re-read under ``select_for_update()``."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("lock() needs a transaction: decorate the service atomic.")
        pk = getattr(obj, "pk", obj)
        query = self.model._default_manager.select_for_update()
        if self.related:
            query = query.select_related(*self.related)
        row = query.filter(pk=pk).first()
        if row is None:
            raise Refused("not_found", _("This item no longer exists."))
        return row

    def state_of(self, obj):
        """The state stored in the database, read under the row lock."""
        return getattr(self.lock(obj), self.state_field)

    def applies(self, obj, to, *, allowed, message=""):
        """Whether ``obj`` may move to ``to`` now: ``False`` when its stored state already is
        ``to`` (a repeat), ``True`` when it is one of ``allowed``; refused otherwise.

        Sets the stored state on ``obj``, so checks that follow read the current state.
        """
        stored = self.state_of(obj)
        setattr(obj, self.state_field, stored)
        if stored == to and to not in allowed:
            return False
        if stored not in allowed:
            raise Refused(
                "wrong_state", message or _("This was already done or no longer applies.")
            )
        return True

    def move(self, obj, to, *, allowed, action, actor=None, reason="", fields=(), message=""):
        """Move ``obj`` to ``to`` when its stored state is one of ``allowed``.

        Returns ``True`` when it moved, ``False`` when the row already was in ``to`` (a repeat:
        nothing written). Raises ``Refused("wrong_state", message)`` for any other state.
        Side-effects: the row's state and ``fields`` saved (and ``updated_at`` when the model
        has it); one audit record ``action`` from -> to with ``reason`` and the before -> after
        of ``fields`` (sensitive ones by name only).
        """
        if not self.applies(obj, to, allowed=allowed, message=message):
            return False
        before = getattr(obj, self.state_field)
        changes = audit.changes(obj, list(fields)) if fields else {}
        setattr(obj, self.state_field, to)
        update = [self.state_field, *fields]
        if any(field.name == "updated_at" for field in self.model._meta.concrete_fields):
            update.append("updated_at")
        obj.save(update_fields=list(dict.fromkeys(update)))
        audit.record(
            obj, action, actor=actor, from_state=before, to_state=to, reason=reason, changes=changes
        )
        return True
