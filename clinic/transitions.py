"""State moves: one ``Machine`` per stateful model, one ``move`` that every service calls.

``move`` runs inside the caller's transaction: it takes ``select_for_update()`` on the row (on
SQLite the whole transaction is IMMEDIATE, see settings), re-reads the state there, refuses a
move that no longer applies, writes the state (and the fields the service set) and records the
audit record before -> after. A move whose target is already the row's state is a repeat (a
double click, a second worker): it changes nothing and returns ``False``, so the service skips
its side-effects and the view shows the page the first request showed.

Every refusal is one exception, ``Refused(code, message)``; views and the API map its code to a
status (``Refused.status``). Each machine holds its model's transition table (``Move`` rows).
"""

from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit_log


class Refused(Exception):
    """A rule or a move refuses the change. ``code`` is machine-readable, ``message`` for people.

    Codes: ``not_found`` (404), ``not_permitted`` (403), ``wrong_state`` (409: the object is no
    longer in a state that allows it), ``stale`` (409: the form was opened before someone
    else's change), ``invalid`` (400).

    ``details`` is what the page that asked needs to show the refusal: the current row for a
    stale editor (``proposal``), the form's new ``stamp``, the unanswered questions
    (``missing``), the errors per entry (``errors``, ``general``).
    """

    STATUS = {"not_found": 404, "not_permitted": 403, "wrong_state": 409, "stale": 409}

    def __init__(self, code, message="", **details):
        super().__init__(message or code)
        self.code = code
        self.message = str(message or "")
        self.details = details

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

    def hide(self):
        """Answer 404 whatever the code: for doors that only a user in scope ever reaches."""
        raise Http404(self.message) from self


@dataclass(frozen=True)
class Move:
    """One transition of a machine's table.

    ``name`` is the move's key and its audit action (``action`` when several moves share one
    audit verb); ``sources`` the states it leaves from; ``target`` the state it reaches; ``who``
    the rule (a ``permissions`` function) that decides who may, or ``system`` for jobs and
    flows; ``sends`` the outbox message kinds the service queues with it; ``label`` the button
    that offers it; ``done`` the message the page shows once it is made; ``stamp`` a
    (field, source) pair: the move sets ``field`` the first time it is made (when it is still
    empty) to the time in the row's ``source`` field that the service set for it (e.g. the
    screening time), or to now when there is none or it is later (the first time a stage was
    reached, cohorts/services/stage_times.py).
    """

    name: str
    sources: tuple
    target: str
    who: str = "system"
    sends: tuple = ()
    label: str = ""
    action: str = ""
    done: str = ""
    stamp: tuple = ()

    @property
    def verb(self):
        return self.action or self.name


MACHINES = {}  # model -> its machine (for pages that ask an object's table)
BADGES = {}  # (model, field) -> its Badges (the pages' state badges)


class Badges:
    """How pages show the states of ``model.field`` (``{% state_badge obj %}``): a Bootstrap
    colour per state (``colours``: colour -> states; the others ``default``) and an optional
    icon per state (``icons``: state -> a ``bi-*`` icon, or ``spinner`` for work in progress);
    ``classes`` are added to each of them (the matchmaking's pills).
    A machine holds its model's; a choice field without a machine registers its own."""

    def __init__(self, model, field, *, colours=None, default="secondary", icons=None, classes=""):
        states = {value for value, _label in model._meta.get_field(field).choices}
        self.colour_of = {state: c for c, group in (colours or {}).items() for state in group}
        self.icons = dict(icons or {})
        unknown = {*self.colour_of, *self.icons} - states
        if unknown:
            raise ValueError(f"{model.__name__}.{field} badges: no state {sorted(unknown)}")
        self.field = field
        self.default = default
        self.classes = classes  # more CSS classes of every badge of this field
        BADGES[(model, field)] = self

    def colour(self, state):
        return self.colour_of.get(state, self.default)


def machine_of(obj):
    """The machine of ``obj``'s model."""
    return MACHINES[type(obj)]


class Machine:
    """The states of one model (its ``state_field``) and the table of moves between them.

    The table answers the questions the services, views and templates ask: which moves leave
    a state (``moves_from``), the states a move leaves from (``sources``), the states no move
    leaves (``final_states``). ``move`` and ``applies`` check it.

    ``notify(obj, kind, context, *, move, actor, before)`` queues one message kind of a move's
    ``sends`` (its recipients are the machine's: e.g. the company's representatives); ``move``
    calls it for each kind of the move it made. It is given to the machine, or registered by
    the services module that builds the mail (``@MACHINE.mailer``, imported from the app's
    ``ready()``). Every machine whose table sends mail has one (tests/clinic/
    test_transition_tables.py); mail that goes with no move (a reminder, a new row, a digest)
    is queued by its service.
    """

    def __init__(
        self, model, *, state_field="state", related=(), moves=(), notify=None, badges=None
    ):
        self.model = model
        self.state_field = state_field
        self.related = tuple(related)
        self.notify = notify
        self.moves = {move.name: move for move in moves}
        states = self.states()
        for move in moves:
            unknown = {*move.sources, move.target} - set(states)
            if unknown:
                raise ValueError(f"{model.__name__}.{move.name}: no state {sorted(unknown)}")
        self.badges = Badges(model, state_field, **(badges or {}))
        MACHINES[model] = self  # only a valid table replaces the model's

    def mailer(self, notify):
        """Register ``notify`` as the function that queues the mail of this table's moves."""
        self.notify = notify
        return notify

    def sends_mail(self):
        return any(move.sends for move in self.moves.values())

    def __getitem__(self, name):
        return self.moves[name]

    def states(self):
        """Every state of the model, in the order of its choices."""
        return [value for value, _label in self.model._meta.get_field(self.state_field).choices]

    def sources(self, *names):
        """The states any of the moves ``names`` leaves from, in the model's order."""
        wanted = {state for name in names for state in self.moves[name].sources}
        return tuple(state for state in self.states() if state in wanted)

    def moves_from(self, state):
        """The moves that leave ``state``, in the table's order."""
        return [move for move in self.moves.values() if state in move.sources]

    def done_messages(self, state):
        """{target: the move's ``done`` message} for the moves that leave ``state``."""
        return {move.target: move.done for move in self.moves_from(state)}

    def final_states(self):
        """The states no move leaves."""
        return tuple(state for state in self.states() if not self.moves_from(state))

    def between(self, source, target):
        """The name of the first move from ``source`` to ``target``, or ``None``."""
        return next((m.name for m in self.moves_from(source) if m.target == target), None)

    def allows(self, state, name):
        return state in self.moves[name].sources

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

    def applies(self, obj, name, *, message=""):
        """Whether the move ``name`` applies to ``obj`` now: ``False`` when its stored state
        already is the move's target (a repeat), ``True`` when it is one of the move's
        sources; refused (``wrong_state``) otherwise.

        Sets the stored state on ``obj``, so checks that follow read the current state.
        """
        return self._applies(obj, name, message)[0]

    def _applies(self, obj, name, message):
        """(``applies``, the locked row)."""
        move = self.moves[name]
        row = self.lock(obj)
        stored = getattr(row, self.state_field)
        setattr(obj, self.state_field, stored)
        if stored == move.target and stored not in move.sources:
            return False, row
        if stored not in move.sources:
            raise Refused(
                "wrong_state", message or _("This was already done or no longer applies.")
            )
        return True, row

    @staticmethod
    def _stamp(obj, row, move):
        """Set the move's ``stamp`` field on ``obj`` when the locked ``row`` has none yet;
        returns the fields to save (the stamp is derived data: no before -> after recorded)."""
        if not move.stamp:
            return []
        field, source = move.stamp
        stored = getattr(row, field)
        setattr(obj, field, stored)
        if stored is not None:
            return []
        now = timezone.now()
        own = getattr(obj, source) if source else None
        setattr(obj, field, min(own, now) if own is not None else now)
        return [field]

    def move(
        self, obj, name, *, actor=None, reason="", fields=(), message="", action="", context=None
    ):
        """Make the move ``name`` of the table on ``obj`` (locked and re-read here).

        Returns ``True`` when it moved, ``False`` when the row already was in the move's
        target (a repeat: nothing written). Raises ``Refused("wrong_state", message)`` when
        the stored state is none of the move's sources.
        Side-effects: the row's state and ``fields`` saved (and ``updated_at`` when the model
        has it, and the move's ``stamp`` field when the row has none yet); one audit record
        (the move's ``verb``) from -> to with ``reason`` and the before -> after of ``fields``
        (sensitive ones by name only). ``action`` names the audit
        record instead when the caller tells doors of one move apart (a check-in, an import).
        Each kind of the move's ``sends`` queued through the machine's ``notify`` with
        ``context`` (more template variables; ``context=False``: the move sends nothing this
        time).
        """
        applies, row = self._applies(obj, name, message)
        if not applies:
            return False
        to = self.moves[name].target
        before = getattr(obj, self.state_field)
        changes = audit_log.changes(obj, list(fields)) if fields else {}
        setattr(obj, self.state_field, to)
        update = [self.state_field, *fields, *self._stamp(obj, row, self.moves[name])]
        if any(field.name == "updated_at" for field in self.model._meta.concrete_fields):
            update.append("updated_at")
        obj.save(update_fields=list(dict.fromkeys(update)))
        verb = action or self.moves[name].verb
        audit_log.record(
            obj, verb, actor=actor, from_state=before, to_state=to, reason=reason, changes=changes
        )
        sends = self.moves[name].sends if context is not False else ()
        if sends and self.notify is None:
            raise RuntimeError(f"{self.model.__name__}.{name} sends mail but has no notify")
        for kind in sends:
            self.notify(obj, kind, context or {}, move=self.moves[name], actor=actor, before=before)
        return True
