"""Forms of the strategy assessment, the action plan and the follow-up reports."""

from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clinic.dimensions import Dimension, Maturity
from clinic.forms import DateInput, form_helper
from clinic.limits import LONG_TEXT_MAX
from clinic.versioning import Edited, StaleCheckMixin, rows_of

from .insight.forms_re_rating import add_level_fields, levels_of
from .models import ActionItem, Assessment, FollowUpReport

LEVEL_CHOICES = [("", "–"), *Maturity.choices]


def _level(value):
    return None if value in ("", None) else int(value)


class AssessmentForm(StaleCheckMixin, forms.ModelForm):
    """The text of the assessment; one maturity, target and rationale field per dimension."""

    class Meta:
        model = Assessment
        fields = [
            "assessed_on",
            "executive_summary",
            "strengths",
            "weaknesses",
            "opportunities",
            "threats",
        ]
        widgets = {
            "assessed_on": DateInput(),
            "executive_summary": forms.Textarea(attrs={"rows": 5}),
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "weaknesses": forms.Textarea(attrs={"rows": 3}),
            "opportunities": forms.Textarea(attrs={"rows": 3}),
            "threats": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, rows=(), **kwargs):
        assessment = kwargs["instance"]
        kwargs["edited"] = Edited(
            (rows_of(assessment), self.Meta.fields),
            (assessment.scores.all(), ["dimension", "maturity", "target", "rationale"]),
            owner=assessment,
            single=True,
        )
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            d, score = row["dimension"].value, row["score"]
            self.fields[f"maturity_{d}"] = forms.TypedChoiceField(
                label=_("Maturity"),
                choices=LEVEL_CHOICES,
                coerce=_level,
                empty_value=None,
                required=False,
                initial=score.maturity,
                widget=forms.Select(
                    attrs={"class": "form-select form-select-sm", "aria-label": _("Maturity")}
                ),
            )
            self.fields[f"target_{d}"] = forms.TypedChoiceField(
                label=_("Target"),
                choices=LEVEL_CHOICES,
                coerce=_level,
                empty_value=None,
                required=False,
                initial=score.target,
                widget=forms.Select(
                    attrs={"class": "form-select form-select-sm", "aria-label": _("Target")}
                ),
            )
            self.fields[f"rationale_{d}"] = forms.CharField(
                label=_("Rationale"),
                required=False,
                initial=score.rationale,
                widget=forms.Textarea(
                    attrs={
                        "rows": 2,
                        "class": "form-control form-control-sm",
                        "aria-label": _("Rationale"),
                    }
                ),
            )
            row["fields"] = (
                self[f"maturity_{d}"],
                self[f"target_{d}"],
                self[f"rationale_{d}"],
            )
        self.helper = form_helper(
            Layout(
                "assessed_on",
                "executive_summary",
                Row(
                    Column("strengths", css_class="col-md-6"),
                    Column("weaknesses", css_class="col-md-6"),
                ),
                Row(
                    Column("opportunities", css_class="col-md-6"),
                    Column("threats", css_class="col-md-6"),
                ),
            ),
            csrf=False,
        )

    def scores(self):
        return {
            d: {
                "maturity": self.cleaned_data.get(f"maturity_{d}"),
                "target": self.cleaned_data.get(f"target_{d}"),
                "rationale": self.cleaned_data.get(f"rationale_{d}", ""),
            }
            for d in Dimension.values
            if f"maturity_{d}" in self.fields
        }

    def text_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the expert change?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionItemForm(StaleCheckMixin, forms.ModelForm):
    stamp_owner = "assessment"

    class Meta:
        model = ActionItem
        fields = [
            "dimension",
            "policy",
            "title",
            "title_zh",
            "description",
            "description_zh",
            "horizon",
            "due_date",
            "owner",
            "cost",
            "currency",
            "kpi",
            "kpi_zh",
            "status",
        ]
        widgets = {
            "due_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_zh": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cost"].widget.attrs["min"] = "0"
        self.helper = form_helper(
            Layout(
                Row(
                    Column("dimension", css_class="col-md-6"),
                    Column("policy", css_class="col-md-3"),
                    Column("status", css_class="col-md-3"),
                ),
                Row(
                    Column("title", css_class="col-md-6"), Column("title_zh", css_class="col-md-6")
                ),
                Row(
                    Column("description", css_class="col-md-6"),
                    Column("description_zh", css_class="col-md-6"),
                ),
                Row(
                    Column("horizon", css_class="col-md-4"),
                    Column("due_date", css_class="col-md-4"),
                    Column("owner", css_class="col-md-4"),
                ),
                Row(
                    Column("cost", css_class="col-md-3"),
                    Column("currency", css_class="col-md-3"),
                ),
                Row(Column("kpi", css_class="col-md-6"), Column("kpi_zh", css_class="col-md-6")),
            ),
            csrf=False,
        )


class GenerateForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class FollowUpReportForm(forms.ModelForm):
    class Meta:
        model = FollowUpReport
        fields = list(FollowUpReport.OUTCOME_FIELDS)
        widgets = {"comments": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.level_fields = []
        if self.instance.round == FollowUpReport.Round.TWELVE:  # the 12-month re-rating
            self.level_fields = add_level_fields(self, self.instance.self_levels)
        self.fields["satisfaction"].required = True
        self.fields["satisfaction"].widget = forms.Select(
            choices=[("", "–"), *[(n, f"{n} / 5") for n in range(1, 6)]]
        )
        self.items = list(items)
        for item in self.items:
            self.fields[f"status_{item.pk}"] = forms.ChoiceField(
                label=item.title,
                choices=ActionItem.Status.choices,
                initial=item.reported_status,
                widget=forms.Select(
                    attrs={"class": "form-select form-select-sm", "aria-label": item.title}
                ),
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Note"),
                required=False,
                initial=item.reported_note,
                widget=forms.TextInput(
                    attrs={"class": "form-control form-control-sm", "aria-label": _("Note")}
                ),
            )
            item.form_fields = (self[f"status_{item.pk}"], self[f"note_{item.pk}"])
        self.helper = form_helper(
            Layout(
                Row(
                    Column("filings", css_class="col-md-4"),
                    Column("registrations", css_class="col-md-4"),
                    Column("licences", css_class="col-md-4"),
                ),
                Row(
                    Column("finance_raised", css_class="col-md-4"),
                    Column("finance_currency", css_class="col-md-4"),
                    Column("satisfaction", css_class="col-md-4"),
                ),
                "comments",
            ),
            csrf=False,
        )

    def progress(self):
        return {
            str(item.pk): {
                "status": self.cleaned_data[f"status_{item.pk}"],
                "note": self.cleaned_data[f"note_{item.pk}"],
            }
            for item in self.items
        }

    def outcomes(self):
        outcomes = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if self.level_fields:
            outcomes["levels"] = levels_of(self)
        return outcomes


class ReturnPlanForm(forms.Form):
    """The lead's comments when returning a plan to the expert."""

    comment = forms.CharField(
        label=_("What should the expert change?"),
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "data-counter": ""}),
    )
