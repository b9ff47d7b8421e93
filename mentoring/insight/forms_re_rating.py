"""The eleven maturity levels of the 12-month re-rating, as form fields (the company's report
form and the lead expert's confirmation share them)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clinic.dimensions import Dimension, Maturity


def add_level_fields(form, initial=None):
    """Add a required 0-4 choice per dimension (``level_<n>``) to ``form``; returns the bound
    fields in dimension order."""
    initial = initial or {}
    for dimension in Dimension:
        form.fields[f"level_{dimension.value}"] = forms.TypedChoiceField(
            label=dimension.label,
            choices=[("", "–"), *Maturity.choices],
            coerce=int,
            initial=initial.get(str(dimension.value)),
            widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        )
    return [form[f"level_{d.value}"] for d in Dimension]


def levels_of(form):
    return {str(d.value): form.cleaned_data[f"level_{d.value}"] for d in Dimension}


class ConfirmReRatingForm(forms.Form):
    """The lead expert's confirmation: the company's levels, each kept or adjusted."""

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.level_fields = add_level_fields(self, report.self_levels)

    def levels(self):
        return levels_of(self)


LEVELS_HELP = _(
    "Re-rate your IP maturity on each dimension as it is today (0 absent … 4 strategic); "
    "your lead expert confirms or adjusts the levels."
)
