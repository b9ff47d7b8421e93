from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import permissions, ratelimit, roles
from .models import Company, GreenArea, SizeClass, User
from .services.outbox import queue_message
from .versioning import StaleCheckMixin


def form_helper(layout=None, *, tag=False, csrf=True):
    """A crispy helper: ``tag`` lets crispy write the <form> element (else the template does);
    ``csrf=False`` leaves the CSRF token to the template's own form; ``layout`` when given."""
    helper = FormHelper()
    helper.form_tag = tag
    if not csrf:
        helper.disable_csrf = True
    if layout is not None:
        helper.layout = layout
    return helper


MAX_ID = 2**31 - 1


def whole_number(value, *, minimum=1, maximum=MAX_ID):
    """The whole number in a single request parameter (an id, a position, a version) when it is
    one between ``minimum`` and ``maximum``, else None: validated by the form field, so "²",
    "1.5", "" or a 30-digit number never reach the database."""
    field = forms.IntegerField(min_value=minimum, max_value=maximum, required=False)
    try:
        return field.clean(value)
    except forms.ValidationError:
        return None


def search_text(value, *, max_length=200):
    """The search text in a request parameter, validated by a form field (stripped; a null
    character, which PostgreSQL refuses, or an overlong text gives "")."""
    field = forms.CharField(max_length=max_length, required=False)
    try:
        return field.clean(value)
    except forms.ValidationError:
        return ""


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows whose submitted ids are checked to be ids first: Django looks
    them up with ``pk__in``, which fails on a number too large for the database."""

    def _check_values(self, value):
        for pk in value or ():
            if whole_number(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class DateInput(forms.DateInput):
    """The browser's date picker, with the value in the ISO format it expects."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AnyAddressMixin:
    """A sign-up form's address: a known one is no error (telling so would reveal who has an
    account); the service mails its owner instead (signup.register_sme, partners.register)."""

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def validate_unique(self):
        exclude = {*self._get_validation_exclusions(), "email"}
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


class SignUpUserForm(AnyAddressMixin, UserCreationForm):
    privacy_consent = forms.BooleanField(
        label=_("I have read and accept the privacy notice."),
        error_messages={"required": _("You must accept the privacy notice to register.")},
    )

    class Meta:
        model = User
        # No username: it is made from the address (signup.assign_username), so the form
        # never tells whether one is taken; people log in with their address.
        fields = ["email", "first_name", "last_name", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("email", "first_name", "last_name"):
            self.fields[name].required = True
        self.fields["email"].help_text = _("You log in with this address.")
        # Focus starts on the first field shown; typed passwords survive another field's error.
        self.fields["first_name"].widget.attrs["autofocus"] = True
        for name in ("password1", "password2"):
            self.fields[name].widget.render_value = True
        self.helper = form_helper()
        self.helper.layout = Layout(
            Fieldset(
                _("You"),
                Div(
                    Div("first_name", css_class="col-md-6"),
                    Div("last_name", css_class="col-md-6"),
                    css_class="row",
                ),
                "email",
                "preferred_language",
                Div(
                    Div("password1", css_class="col-md-6"),
                    Div("password2", css_class="col-md-6"),
                    css_class="row",
                ),
                "privacy_consent",
            )
        )


class CompanyForm(StaleCheckMixin, forms.ModelForm):
    class Meta:
        model = Company
        fields = [
            *Company.IDENTITY_FIELDS,
            "annual_turnover",
            "turnover_currency",
            "website",
            "description",
            "correspondence_language",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    IDENTITY = ("registration_number", "country")  # permissions.can_change_company_identity

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.identity_locked = actor is not None and not (
            permissions.can_change_company_identity(actor)
        )
        for name in self.IDENTITY if self.identity_locked else ():
            self.fields[name].disabled = True
            self.fields[name].help_text = _("The programme team changes this: write to them.")
        self.fields["country"].initial = "CN"
        self.helper = form_helper()
        self.helper.layout = Layout(
            Fieldset(
                _("Company"),
                Div(
                    Div("legal_name", css_class="col-md-6"),
                    Div("local_name", css_class="col-md-6"),
                    css_class="row",
                ),
                Div(
                    Div("registration_number", css_class="col-md-6"),
                    Div("country", css_class="col-md-6"),
                    css_class="row",
                ),
                Div(
                    Div("region", css_class="col-md-6"),
                    Div("city", css_class="col-md-6"),
                    css_class="row",
                ),
                Div(
                    Div("green_area", css_class="col-md-6"),
                    Div("founding_year", css_class="col-md-6"),
                    css_class="row",
                ),
                Div(
                    Div("employees", css_class="col-md-4"),
                    Div("annual_turnover", css_class="col-md-4"),
                    Div("turnover_currency", css_class="col-md-4"),
                    css_class="row",
                ),
                "website",
                Field("description"),
                "correspondence_language",
            )
        )

    def clean_registration_number(self):
        return self.cleaned_data["registration_number"].strip().upper()

    def clean(self):
        # A locked identity field keeps its value; a hand-made request that sends another one
        # is refused whatever the value (so it tells nothing about other companies).
        for name in self.IDENTITY if self.identity_locked else ():
            sent = self.data.get(self.add_prefix(name))
            if sent is not None and str(sent).strip().upper() != str(self[name].initial).upper():
                self.add_error(
                    None, _("The programme team changes the registration number and country.")
                )
                break
        return super().clean()


class SignUpCompanyForm(CompanyForm):
    """The company part of the sign-up: a registration number that is already registered is no
    error here (telling so would reveal which companies are registered); signup.register_sme
    tells that company's representatives instead."""

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), "registration_number"}


class RepresentativeInviteForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's email"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class AcceptInvitationForm(UserCreationForm):
    """Joining through an invitation: the address is the invitation's and the username is made
    from it (signup.assign_username), as at sign-up."""

    privacy_consent = SignUpUserForm.base_fields["privacy_consent"]

    class Meta:
        model = User
        fields = ["first_name", "last_name", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(tag=True)


def role_choices(actor, *, staff_only=False):
    """The roles ``actor`` may hand out (never the lead role to an officer)."""
    offered = permissions.offered_roles(actor)
    return [
        (r, roles.ROLE_LABELS[r])
        for r in offered
        if not (staff_only and r in roles.ORGANISATION_ROLES)
    ]


class InviteUserForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    roles = forms.MultipleChoiceField(label=_("Roles"), widget=forms.CheckboxSelectMultiple)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices(actor, staff_only=True)
        self.helper = form_helper()

    @property
    def title(self):
        """The page's heading: the roles this form offers."""
        if roles.LEAD in dict(self.fields["roles"].choices):
            return _("Invite a reviewer, expert, officer or lead")
        return _("Invite a reviewer, expert or officer")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email address already exists."))
        return email


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices(actor)
        self.helper = form_helper()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class CompanyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    green_area = forms.ChoiceField(
        label=_("Area"),
        choices=[("", _("All areas")), *GreenArea.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    size_class = forms.ChoiceField(
        label=_("Size"),
        choices=[("", _("All sizes")), *SizeClass.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    region = forms.CharField(label=_("Region"), required=False)


def login_name(typed):
    """The username to authenticate for what was typed at log-in: the account's username when an
    address of an account was typed (so django-axes counts an account's failures under one
    name whichever was typed), else what was typed."""
    if not typed or "@" not in typed or User.objects.filter(username=typed).exists():
        return typed
    owner = User.objects.filter(email__iexact=typed.strip()).only("username").first()
    return owner.username if owner is not None else typed


class LoginForm(AuthenticationForm):
    """The log-in form; ``rate_limited`` is set when the client IP's failed log-ins are used up
    (clinic.ratelimit.LoginRateLimitBackend refused it)."""

    rate_limited = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email address or username")

    def clean(self):
        self.cleaned_data["username"] = login_name(self.cleaned_data.get("username"))
        try:
            return super().clean()
        except ratelimit.RateLimited as refusal:
            self.rate_limited = refusal
            raise forms.ValidationError(
                _("Your password was not checked."), code="rate_limited"
            ) from refusal


class OutboxPasswordResetForm(PasswordResetForm):
    """Password reset mail goes through the outbox, marked sensitive (officers never see it).

    Every request counts against ``reset_mail`` for the typed address, whether it has an account
    or not (RateLimited from ``save``), so the answer tells nobody which addresses exist.
    """

    def save(self, *args, **kwargs):
        ratelimit.check("reset_mail", self.cleaned_data["email"])
        return super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        link = reverse(
            "password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        queue_message(user, "password_reset", {"link": link}, sensitive=True)
