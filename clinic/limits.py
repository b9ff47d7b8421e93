"""Limits on what people type, declared once on the model fields and shared by every door.

Forms read them from the model (``maxlength`` and ``max`` attributes, the live counter), services
call ``enforce`` before writing, and the API's serializers inherit the model validators. Defaults
from DOMAIN.md: titles 200 characters, long texts 3,000, IP counts 0–9,999.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models

TITLE_MAX = 200
LONG_TEXT_MAX = 3000
IP_COUNT_MAX = 9999


def long_text(verbose_name, *, max_length=LONG_TEXT_MAX, **kwargs):
    """A free text of at most ``max_length`` characters, checked by the model (a ``TextField``'s
    own ``max_length`` only reaches forms)."""
    kwargs.setdefault("blank", True)
    return models.TextField(
        verbose_name, max_length=max_length, validators=[MaxLengthValidator(max_length)], **kwargs
    )


def ip_count(verbose_name, **kwargs):
    """A count of IP rights, 0 to IP_COUNT_MAX."""
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    return models.PositiveIntegerField(
        verbose_name, validators=[MaxValueValidator(IP_COUNT_MAX)], **kwargs
    )


def enforce(instance, fields):
    """Raise ``ValidationError`` (field -> messages) when a value in ``fields`` breaks its model
    field's limits; blank values are left to the completeness checks."""
    errors = {}
    for field in instance._meta.concrete_fields:
        if field.name not in fields:
            continue
        value = getattr(instance, field.attname)
        if value in field.empty_values:
            continue
        try:
            field.run_validators(value)
        except ValidationError as error:
            errors[field.name] = error.messages
    if errors:
        raise ValidationError(errors)


def max_value(field):
    """The largest value a model field's validators allow, or ``None``."""
    limits = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
    return min(limits) if limits else None


COUNTED_FROM = 100  # texts allowed at least this many characters show a live counter


class LimitsMixin:
    """A model form that shows its model's limits: ``max`` on numbers, ``maxlength`` and a live
    counter (static/js/clinic.js) on texts. Put it before ``forms.ModelForm``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        for name, form_field in self.fields.items():
            try:
                model_field = model._meta.get_field(name)
            except Exception:  # noqa: BLE001 - a form-only field has no model limits
                continue
            show_limits(form_field, model_field)


def show_limits(form_field, model_field):
    """Copy ``model_field``'s limits onto ``form_field`` and its widget."""
    attrs = form_field.widget.attrs
    top = max_value(model_field)
    if top is not None:
        attrs["max"] = top
        form_field.max_value = top
    length = getattr(model_field, "max_length", None)
    if length and length >= COUNTED_FROM and "maxlength" in attrs:
        attrs["data-counter"] = ""
