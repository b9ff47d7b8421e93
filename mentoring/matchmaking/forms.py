"""Matchmaking forms (crispy): technologies, needs, partners, introductions, list filters."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clinic import sdgs
from clinic.forms import (
    AcceptInvitationForm,
    AnyAddressMixin,
    DateInput,
    IdMultipleChoiceField,
    form_helper,
)
from clinic.limits import LimitsMixin
from clinic.models import GreenArea, IPAsset
from clinic.versioning import StaleCheckMixin

from .models import Need, Offer, PartnerOrganisation, Technology

BILINGUAL = ["title", "title_zh", "summary", "summary_zh"]


class OffersField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Offer.choices)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class AssetChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, asset):
        return f"{asset.get_asset_type_display()} · {asset.title} ({asset.get_status_display()})"


class TechnologyForm(StaleCheckMixin, LimitsMixin, forms.ModelForm):
    offers = OffersField(label=_("What it seeks"))
    sdgs = forms.TypedMultipleChoiceField(
        label=_("SDGs"),
        choices=sdgs.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    assets = AssetChoiceField(
        label=_("IP assets to show"),
        queryset=IPAsset.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Others see only each asset's type, jurisdiction and status."),
    )

    class Meta:
        model = Technology
        fields = [
            *BILINGUAL,
            "green_area",
            "trl",
            "offers",
            "sdgs",
            "regions",
            "keywords",
            "assets",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "summary_zh": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assets"].queryset = company.ip_assets.order_by("asset_type", "title")
        self.helper = form_helper()


class NeedForm(StaleCheckMixin, LimitsMixin, forms.ModelForm):
    offers = OffersField(label=_("What it seeks"))

    class Meta:
        model = Need
        fields = [
            "partner",
            *BILINGUAL,
            "sector",
            "location",
            "budget_min",
            "budget_max",
            "currency",
            "timeframe",
            "offers",
            "keywords",
        ]
        labels = {"summary": _("description"), "summary_zh": _("Chinese description")}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "summary_zh": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        if self.instance.pk is not None or partners.count() == 1:
            self.fields["partner"].initial = self.instance.partner_id or partners.first().pk
        self.helper = form_helper()

    def clean(self):
        data = super().clean()
        low, high = data.get("budget_min"), data.get("budget_max")
        if low is not None and high is not None and low > high:
            self.add_error("budget_max", _("The upper end must not be below the lower end."))
        return data


class PartnerForm(StaleCheckMixin, LimitsMixin, forms.ModelForm):
    class Meta:
        model = PartnerOrganisation
        fields = [
            "kind",
            "name",
            "name_zh",
            "country",
            "region",
            "offers",
            "offers_zh",
            "website",
            "contact_email",
        ]
        widgets = {
            "offers": forms.Textarea(attrs={"rows": 3}),
            "offers_zh": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class PartnerSignUpForm(AnyAddressMixin, AcceptInvitationForm):
    """The person part of a partner's self-registration (the organisation is a PartnerForm)."""

    class Meta(AcceptInvitationForm.Meta):
        fields = ["email", "first_name", "last_name", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _("You log in with this address.")
        self.helper = form_helper()


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason or comment"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProposeForm(forms.Form):
    note = forms.CharField(
        label=_("Why they should meet"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MeetingForm(forms.Form):
    when = forms.DateTimeField(
        label=_("Meeting time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place or link"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class MouForm(forms.Form):
    signed_on = forms.DateField(label=_("MOU signed on"), widget=DateInput)
    scope = forms.CharField(
        label=_("MOU scope"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    document = forms.FileField(label=_("MOU document (PDF)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class DeploymentForm(forms.Form):
    deployed_on = forms.DateField(label=_("Deployed on"), widget=DateInput)
    place = forms.CharField(label=_("Deployment place"), max_length=200)
    effect = forms.CharField(
        label=_("Measured effect"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class ImportForm(forms.Form):
    file = forms.FileField(label=_("WIPO GREEN file (CSV or JSON)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


ORDERINGS = {
    "-updated_at": _("Recently changed"),
    "title": _("Title"),
    "state": _("State"),
}


class ListFilterForm(forms.Form):
    """Search, filters and ordering of a listing page (invalid values are ignored)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    area = forms.ChoiceField(
        label=_("Green area"), required=False, choices=[("", _("All areas")), *GreenArea.choices]
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    order = forms.ChoiceField(label=_("Order"), required=False, choices=list(ORDERINGS.items()))

    def __init__(self, *args, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states")), *states]
        for name, field in self.fields.items():
            css = "form-control" if name == "q" else "form-select"
            field.widget.attrs.update({"class": css, "id": f"id_{name}"})

    def value(self, name):
        """The valid value of one filter ("" when missing or invalid)."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return self.cleaned_data.get(name) or ""
