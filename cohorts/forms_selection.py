"""Forms of selection and confirmation: quota rules, approval, confirming or declining a place."""

from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from clinic.forms import form_helper
from clinic.versioning import StaleCheckMixin, UniqueFormMixin

from .forms import row
from .models import QuotaRule


class QuotaRuleForm(StaleCheckMixin, UniqueFormMixin, forms.ModelForm):
    """A quota rule: the value is chosen from the dimension's list (a region is typed)."""

    stamp_fields = ["value"]
    stamp_owner = "cohort"

    area = forms.ChoiceField(label=_("Technology area"), required=False)
    size = forms.ChoiceField(label=_("Size class"), required=False)
    region = forms.CharField(label=_("Region"), required=False, max_length=100)

    class Meta:
        model = QuotaRule
        fields = ["dimension", "minimum", "maximum"]

    def __init__(self, *args, **kwargs):
        from clinic.models import GreenArea, SizeClass

        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "---------"), *GreenArea.choices]
        self.fields["size"].choices = [("", "---------"), *SizeClass.choices]
        self.helper = form_helper()
        self.helper.layout = Layout(
            row("dimension", "area", "size", "region", width=6), row("minimum", "maximum")
        )

    VALUE_FIELDS = {"green_area": "area", "size_class": "size", "region": "region"}

    def clean(self):
        data = super().clean()
        field = self.VALUE_FIELDS.get(data.get("dimension"))
        if field:
            value = (data.get(field) or "").strip()
            if not value:
                self.add_error(field, _("Choose the value this rule counts."))
            self.instance.value = value
        return data

    def _update_errors(self, errors):
        """The model's errors on ``value`` go to the field that holds it (Django refuses an
        error on a field the form does not have: a 500 instead of the form again)."""
        value_errors = getattr(errors, "error_dict", {}).pop("value", None)
        if value_errors:
            field = self.VALUE_FIELDS.get(self.cleaned_data.get("dimension"))
            if field not in self.errors:
                self.add_error(field, value_errors)
        if getattr(errors, "error_dict", True):
            super()._update_errors(errors)


class ApprovalForm(forms.Form):
    APPROVE, RETURN = "approve", "return"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve and publish")), (RETURN, _("Return to the officers"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning the proposal."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what the officers should change."))
        return data


class ConfirmPlaceForm(forms.Form):
    terms_version = forms.CharField(widget=forms.HiddenInput)
    accept = forms.BooleanField(
        label=_("I have read and accept the programme terms on behalf of the company"),
        required=True,
    )


class DeclinePlaceForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
