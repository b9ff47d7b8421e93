"""The form of a message to a cohort's applicants or participants (cohorts/services/messages.py)."""

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from clinic.forms import form_helper
from clinic.limits import LimitsMixin

from .forms import row
from .models import Application, BulkMessage

BOTH_OR_ONE = _(
    "Write the message in English and in Chinese; a recipient whose language is missing gets "
    "the other version."
)

LANGUAGES = (("subject", "body"), ("subject_zh", "body_zh"))  # the pairs of one language


class BulkMessageForm(LimitsMixin, forms.ModelForm):
    states = forms.MultipleChoiceField(
        label=_("Application states"),
        choices=Application.State.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for a message to applicants: every application in these states."),
    )
    # The confirmation's token: a second click of the same confirmation sends nothing more.
    token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = BulkMessage
        fields = ["audience", "states", "subject", "body", "subject_zh", "body_zh"]
        widgets = {
            "audience": forms.RadioSelect,
            "body": forms.Textarea(attrs={"rows": 6}),
            "body_zh": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        audience = self.fields["audience"]
        audience.label = _("Send to")
        audience.choices, audience.initial = (
            BulkMessage.Audience.choices,
            BulkMessage.Audience.APPLICANTS,
        )
        self.helper = form_helper(
            Layout(
                "audience",
                InlineCheckboxes("states"),
                row("subject", "subject_zh"),
                row("body", "body_zh"),
            )
        )

    def clean(self):
        data = super().clean()
        audience = data.get("audience")
        if audience == BulkMessage.Audience.APPLICANTS and not data.get("states"):
            self.add_error("states", _("Choose the states of the applications to write to."))
        if audience == BulkMessage.Audience.PARTICIPANTS:
            data["states"] = []
        started = [pair for pair in LANGUAGES if any(data.get(name) for name in pair)]
        if not started:
            raise forms.ValidationError(
                _("Write a subject and a message in at least one language."), code="empty"
            )
        for pair in started:
            for name in pair:
                if not data.get(name):
                    self.add_error(
                        name, _("Fill in both the subject and the message of a language.")
                    )
        return data
