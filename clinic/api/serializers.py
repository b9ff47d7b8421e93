from django.core.exceptions import FieldDoesNotExist
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
