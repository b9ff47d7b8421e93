"""Forms of a held event and its demo day: feedback with speaker scores, demo slots and the
introductions partners ask for."""

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from clinic.forms import form_helper

SCORES = [(n, str(n)) for n in range(5, 0, -1)]


class FeedbackForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How useful was the event?"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, speakers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.speakers = list(speakers)
        names = []
        for speaker in self.speakers:
            name = f"speaker_{speaker.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=str(speaker),
                choices=[("", "–"), *SCORES],
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
            )
            names.append(InlineRadios(name))
        self.helper = form_helper(Layout(InlineRadios("score"), "comment", *names), csrf=False)

    def speaker_scores(self):
        return {s.pk: self.cleaned_data.get(f"speaker_{s.pk}") for s in self.speakers}


class DemoSlotForm(forms.Form):
    company = forms.ModelChoiceField(label=_("Company"), queryset=None, empty_label=None)
    listing = forms.ModelChoiceField(
        label=_("Technology listing"),
        queryset=None,
        required=False,
        empty_label=_("None: name it below"),
    )
    technology = forms.CharField(
        label=_("Or the technology you present"), max_length=200, required=False
    )
    technology_zh = forms.CharField(label=_("Chinese title"), max_length=200, required=False)
    starts_at = forms.TimeField(
        label=_("Time slot"), widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args, companies=None, listings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
        self.fields["listing"].queryset = listings
        self.helper = form_helper(
            Layout(
                Row(
                    Column("company", css_class="col-md-4"),
                    Column("listing", css_class="col-md-5"),
                    Column("starts_at", css_class="col-md-3"),
                ),
                Row(
                    Column("technology", css_class="col-md-6"),
                    Column("technology_zh", css_class="col-md-6"),
                ),
            ),
            csrf=False,
        )

    def clean(self):
        data = super().clean()
        if not data.get("listing") and not (data.get("technology") or "").strip():
            self.add_error("technology", _("Choose a listing or name the technology."))
        return data


class IntroductionForm(forms.Form):
    message = forms.CharField(
        label=_("What are you looking for?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
