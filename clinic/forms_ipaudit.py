"""Forms of the IP audit, the questionnaire versions and the IP asset register."""

from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from .dimensions import Dimension
from .forms import DateInput, form_helper
from .services.assets import AssetRowForm
from .versioning import StaleCheckMixin

QUESTIONNAIRE_MAX_BYTES = 1024 * 1024
CSV_MAX_BYTES = 1024 * 1024


class AssetForm(StaleCheckMixin, AssetRowForm):
    stamp_owner = "company"

    class Meta(AssetRowForm.Meta):
        widgets = {
            "filing_date": DateInput(),
            "grant_date": DateInput(),
            "renewal_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, company=company, **kwargs)
        self.helper = form_helper(
            Layout(
                Row(
                    Column("asset_type", css_class="col-md-4"),
                    Column("title", css_class="col-md-8"),
                ),
                Row(
                    Column("jurisdiction", css_class="col-md-3"),
                    Column("number", css_class="col-md-4"),
                    Column("status", css_class="col-md-5"),
                ),
                Row(
                    Column("filing_date", css_class="col-md-4"),
                    Column("grant_date", css_class="col-md-4"),
                    Column("renewal_date", css_class="col-md-4"),
                ),
                Row(
                    Column("owner", css_class="col-md-8"),
                    Column("business_relevance", css_class="col-md-4"),
                ),
                "notes",
            ),
            csrf=False,
        )


class AssetImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"), help_text=_("UTF-8 (or GB18030) CSV, at most 1 MB.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(csrf=False)

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > CSV_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        return uploaded


class QuestionnaireImportForm(forms.Form):
    file = forms.FileField(
        label=_("Questionnaire file"),
        help_text=_("YAML (.yaml, .yml) or JSON (.json), at most 1 MB."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(csrf=False)

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > QUESTIONNAIRE_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        return uploaded


class CopyVersionForm(forms.Form):
    version = forms.CharField(
        label=_("New version number"), max_length=20, help_text=_("For example 2027.1")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(csrf=False)


class DraftEditForm(StaleCheckMixin, forms.Form):
    content = forms.CharField(
        label=_("Questionnaire (YAML)"),
        widget=forms.Textarea(
            attrs={"rows": 30, "class": "font-monospace small", "spellcheck": "false"}
        ),
        max_length=QUESTIONNAIRE_MAX_BYTES,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(csrf=False)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Layout(
                Row(
                    Column("file", css_class="col-md-6"),
                    Column("description", css_class="col-md-6"),
                )
            ),
            csrf=False,
        )


class ReturnAuditForm(forms.Form):
    """A comment box per section of the questionnaire, plus a general comment."""

    note = forms.CharField(
        label=_("General comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )

    def __init__(self, *args, dimensions=(), **kwargs):
        super().__init__(*args, **kwargs)
        for dimension in dimensions:
            self.fields[f"section_{dimension}"] = forms.CharField(
                label=f"{dimension}. {Dimension(dimension).label}",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=4000,
            )
        self.helper = form_helper(csrf=False)

    def comments(self):
        return {
            int(name.removeprefix("section_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("section_")
        }
