from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from rest_framework import serializers


class ModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose read-only choice fields keep the model's blank and null: the
    OpenAPI file then allows the "" and null that the answers carry."""

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            if not isinstance(field, serializers.ChoiceField):
                continue
            try:
                model_field = self.Meta.model._meta.get_field(field.source or name)
            except FieldDoesNotExist:
                continue
            field.allow_blank = field.allow_blank or model_field.blank
            field.allow_null = field.allow_null or model_field.null
        return fields


def read_at_field(noun):
    """The ``updated_at`` a change sends back: the stale check of a row with that field."""
    return serializers.DateTimeField(
        required=False,
        help_text=f"The updated_at you read: when someone changed the {noun} since, 409 stale.",
    )


def model_max_length(model, name):
    """The model field's own limit on its length: serializers take their limits from there."""
    return model._meta.get_field(name).max_length


def at_most(count, what):
    """A validator refusing a list or mapping of more than ``count`` items (400, on its field)."""

    def check(value):
        if len(value) > count:
            raise serializers.ValidationError(
                _("At most %(count)d %(what)s.") % {"count": count, "what": what}
            )

    return check
