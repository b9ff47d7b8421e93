"""The stale-form check for every form that edits shared data, and natural keys as constraints.

A form that edits shared data carries a *stamp* of what it edits as it was shown: a digest of
the saved values of the rows and fields it edits (an entity tag; a change to a field the form
does not edit never makes it stale). The page sends it back in the hidden ``edit_stamp``
(``templates/_stale.html``). ``save_current`` locks those rows (and the row that owns them, so
adding rows is serialised too), recomputes the stamp and, when someone else saved in between,
writes nothing: the form then carries the other person's change (who, when, the values now
saved) and a fresh stamp, the page answers 409 and still shows what the user typed, so saving
again overwrites knowingly.

Duplicates are refused by the database (``UniqueConstraint``); ``check_unique`` turns them into
a form error before saving (also for constraints on fields the form does not show, such as the
owning cohort or company), and ``save_current`` turns a lost race into the same error.
"""

import hashlib
from http import HTTPStatus

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext as _

from .transitions import Refused

STAMP = "edit_stamp"


def lock(obj):
    """Lock ``obj``'s row until the end of the transaction and return it fresh."""
    return obj._meta.model._base_manager.select_for_update().get(pk=obj.pk)


def rows_of(obj):
    """A queryset of the one row ``obj`` (nothing while it is not saved yet)."""
    manager = obj._meta.model._base_manager
    return manager.filter(pk=obj.pk) if obj.pk is not None else manager.none()


def digest(values):
    return hashlib.sha256(repr(values).encode()).hexdigest()[:24]


def row_stamp(obj, fields):
    """The stamp ``Edited.row(obj, fields)`` gives, from the loaded instance without a query
    (plain fields only: the API shows it beside each row of a list)."""
    return digest([sorted([repr((obj.pk, *(getattr(obj, name) for name in fields)))])])


class Edited:
    """What a form edits: ``parts`` are (queryset, field names) pairs; ``owner`` is the row
    locked first so that rows added to it are serialised too (a cohort for its quota rules)."""

    def __init__(self, *parts, owner=None, single=False):
        self.parts = [(rows, list(fields)) for rows, fields in parts]
        self.owner = owner
        self.single = single  # the first part is one row, shown beside what the user typed

    @classmethod
    def row(cls, obj, fields, owner=None):
        return cls((rows_of(obj), fields), owner=owner, single=True)

    def stamp(self, for_update=False):
        if for_update and self.owner is not None and self.owner.pk is not None:
            lock(self.owner)
        values = []
        for rows, fields in self.parts:
            if for_update:
                rows = rows.select_for_update(of=("self",))
            values.append(sorted(map(repr, rows.values_list("pk", *fields))))
        return digest(values)

    def saved_instance(self):
        """The one row of a single-row form as saved now (None for several rows)."""
        return self.parts[0][0].first() if self.single else None


class StaleCheckMixin:
    """For a form or formset that edits shared data.

    A ModelForm edits its instance's ``Meta.fields`` (plus ``stamp_fields``) unless given
    ``edited=`` (``stamp_owner`` names the row that owns the instance, locked on save so that
    rows added to it are serialised); other forms and formsets pass ``edited=Edited(...)``.
    ``stamp`` is what the template sends back; ``stale`` the other person's change after a
    refused save.
    """

    stamp_fields = ()
    stamp_owner = None  # the instance's attribute naming the row that owns it (e.g. "cohort")

    def __init__(self, *args, edited=None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if edited is None and instance is not None and not isinstance(self, BaseFormSet):
            fields = [*self._meta.fields, *self.stamp_fields]
            owner = getattr(instance, self.stamp_owner, None) if self.stamp_owner else None
            edited = Edited.row(instance, fields, owner=owner)
        self.edited = edited
        self.stale = None
        if self.is_bound:
            self.stamp = self.data.get(STAMP, "")
        else:
            self.stamp = edited.stamp() if edited is not None else ""

    def refuse(self, error):
        """Show ``error`` (a ValidationError) on the form: on its fields where it names them."""
        if isinstance(self, BaseFormSet):
            self._non_form_errors = self.error_class(error.messages)
            return
        fields = getattr(error, "error_dict", {NON_FIELD_ERRORS: error.error_list})
        for field, errors in fields.items():
            self.add_error(field if field in self.fields else None, errors)

    @property
    def status(self):
        """The HTTP status of the page showing this form again: 409 after a stale save."""
        return HTTPStatus.CONFLICT if self.stale else HTTPStatus.OK


def _shown(obj, name):
    field = obj._meta.get_field(name)
    if field.choices:
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _change(form):
    """Who saved meanwhile, when, and (single-row forms) the fields now saved differently
    from what the user typed: {"by", "at", "fields": [(label, saved value)]}."""
    from .models import AuditLog

    saved = form.edited.saved_instance()
    owner = form.edited.owner or saved
    record = AuditLog.objects.for_object(owner).first() if owner is not None else None
    change = {
        "by": getattr(saved, "updated_by", None) or (record.actor_name if record else ""),
        "at": getattr(saved, "updated_at", None) or (record.created_at if record else None),
        "fields": [],
    }
    typed = getattr(form, "cleaned_data", None)
    if saved is None or not isinstance(typed, dict):
        return change
    for _rows, fields in form.edited.parts:
        for name in fields:
            if name not in form.fields or name not in typed:
                continue
            if saved._meta.get_field(name).many_to_many:
                continue
            if getattr(saved, name) != typed[name]:
                change["fields"].append((form.fields[name].label, _shown(saved, name)))
    return change


def stale(**details):
    """The refusal of a form opened before someone else saved what it edits (409)."""
    return Refused("stale", _("Someone else saved this meanwhile."), **details)


def save_current(form, save):
    """Run ``save()`` in one transaction unless what ``form`` edits changed since it was shown.

    Returns True when saved. Returns False, with nothing written, when the form is stale
    (``form.stale`` is the other person's change, ``form.stamp`` the current one, status 409)
    or when ``save`` refuses with a ValidationError or a unique constraint (form errors).
    A form posted without a stamp (not rendered by us) is not checked.
    """
    try:
        with transaction.atomic():
            current = form.edited.stamp(for_update=True) if form.edited else ""
            if form.stamp and form.stamp != current:
                # someone else saved what the form edits since it was shown (409)
                raise stale(stamp=current)
            save()
    except Refused as error:
        if error.code != "stale" or "stamp" not in error.details:
            raise
        form.stale, form.stamp = _change(form), error.details["stamp"]
        return False
    except ValidationError as error:
        form.refuse(error)
        return False
    except IntegrityError:
        form.refuse(ValidationError(_("This entry exists already: someone has just added it.")))
        return False
    return True


def check_unique(instance, exclude=()):
    """Raise ValidationError when ``instance`` would duplicate a row under one of its model's
    unique constraints (all of them, including fields a form does not show)."""
    errors = []
    for constraint in instance._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            try:
                constraint.validate(type(instance), instance, exclude=set(exclude))
            except ValidationError as error:
                errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)


class UniqueFormMixin:
    """A ModelForm whose model's unique constraints involve fields the form does not show
    (Django skips those): they are checked too, as a form error."""

    def _post_clean(self):
        super()._post_clean()
        try:
            check_unique(self.instance, exclude=self._errors)
        except ValidationError as error:
            self.add_error(None, error)
