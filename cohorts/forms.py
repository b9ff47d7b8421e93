from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic import sdgs
from clinic.forms import form_helper
from clinic.limits import LimitsMixin
from clinic.versioning import StaleCheckMixin

from .models import Cohort, Programme


def row(*fields, width=None):
    width = width or 12 // len(fields)
    return Div(*[Div(field, css_class=f"col-md-{width}") for field in fields], css_class="row")


class ProgrammeForm(StaleCheckMixin, forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["name", "name_zh", "organiser", "partners", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class CohortFilterForm(forms.Form):
    """The programme filter of the cohort list (an unknown or malformed id filters nothing)."""

    programme = forms.ModelChoiceField(queryset=Programme.objects.all(), required=False)


class CohortForm(StaleCheckMixin, forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=settings.LANGUAGES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Cohort
        fields = [
            *Cohort.CALL_FIELDS,
            "time_zone",
            "currency",
            "rate_to_eur",
            "reviewers_per_application",
            "min_reviews",
            "review_deadline",
            "hide_scores",
            "share_feedback",
            "info_days",
            "confirm_days",
            "reminder_lead_days",
            "waitlist_length",
            "target_sessions",
            "approval_days",
            "audit_days",
            "notes_days",
            "assessment_days",
            "sign_off_days",
            "follow_up_days",
            "terms_version",
            "terms_text",
            "terms_text_zh",
            "questionnaire_version",
            "languages",
        ]
        widgets = {
            "applications_open_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "applications_close_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "review_deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "terms_text": forms.Textarea(attrs={"rows": 4}),
            "terms_text_zh": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        from clinic.models import QuestionnaireVersion

        super().__init__(*args, **kwargs)
        self.fields["questionnaire_version"].queryset = QuestionnaireVersion.objects.filter(
            status=QuestionnaireVersion.Status.PUBLISHED
        )
        self.helper = form_helper()
        self.helper.layout = Layout(
            Fieldset(_("Cohort"), row("programme", "name", "name_zh"), "description"),
            Fieldset(_("Eligibility"), row("country", "regions"), row("currency", "rate_to_eur")),
            Fieldset(
                _("Dates"),
                row("applications_open_at", "applications_close_at"),
                row("start_date", "end_date", "time_zone"),
            ),
            Fieldset(
                _("Selection and review"),
                row("capacity", "waitlist_length", "reviewers_per_application", "min_reviews"),
                row("review_deadline", "hide_scores", "share_feedback"),
                row("info_days", "confirm_days", "reminder_lead_days"),
            ),
            Fieldset(
                _("Deadlines (a reminder before, the overseer told after)"),
                row("approval_days", "audit_days", "notes_days"),
                row("assessment_days", "sign_off_days", "follow_up_days"),
            ),
            Fieldset(
                _("Programme"),
                row("target_sessions", "terms_version", "questionnaire_version"),
                row("terms_text", "terms_text_zh"),
                "languages",
            ),
        )


class ScreeningForm(forms.Form):
    ELIGIBLE, INELIGIBLE, NEEDS_INFO = "eligible", "ineligible", "needs_info"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ELIGIBLE, _("Confirm eligible")),
            (INELIGIBLE, _("Not eligible")),
            (NEEDS_INFO, _("Ask for information")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason or message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required to override a failed rule, to mark not eligible (the applicant sees it) "
            "and to ask for information (sent to the applicant)."
        ),
    )
    due_date = forms.DateField(
        label=_("Answer due by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For an information request; default: the cohort's number of days."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") in (self.INELIGIBLE, self.NEEDS_INFO)
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("This decision needs a reason or message."))
        due = data.get("due_date")
        if data.get("decision") == self.NEEDS_INFO and due and due <= timezone.localdate():
            self.add_error("due_date", _("The deadline must be in the future."))
        return data


class ApplicationForm(LimitsMixin, StaleCheckMixin, forms.ModelForm):
    """The SME's application; everything optional while a draft (submit checks completeness)."""

    sdg_goals = forms.TypedMultipleChoiceField(
        label=_("SDG goals"),
        choices=sdgs.choices(),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "sdg-choices"}),
    )

    class Meta:
        from .models import Application

        model = Application
        fields = [
            "tech_title",
            "tech_area",
            "development_stage",
            "tech_description",
            "green_impact",
            "sdg_goals",
            "patents_granted",
            "patents_pending",
            "utility_models",
            "trademarks",
            "designs",
            "software_copyrights",
            "trade_secrets",
            "ip_challenges",
            "motivation",
            "pitch_deck",
            "commitment",
        ]
        widgets = {
            "tech_description": forms.Textarea(attrs={"rows": 4}),
            "green_impact": forms.Textarea(attrs={"rows": 3}),
            "ip_challenges": forms.Textarea(attrs={"rows": 3}),
            "motivation": forms.Textarea(attrs={"rows": 3}),
            # A plain input: the stored file is private and offered through our download link.
            "pitch_deck": forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
        self.helper.layout = Layout(
            Fieldset(
                _("Technology"),
                row("tech_title", "tech_area", "development_stage", width=None),
                "tech_description",
            ),
            Fieldset(_("Green impact"), "green_impact", InlineCheckboxes("sdg_goals")),
            Fieldset(
                _("IP snapshot"),
                row("patents_granted", "patents_pending", "utility_models"),
                row("trademarks", "designs", "software_copyrights"),
                "trade_secrets",
                "ip_challenges",
            ),
            Fieldset(_("Motivation and commitment"), "motivation", "pitch_deck", "commitment"),
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApplyForm(forms.Form):
    company = forms.ModelChoiceField(label=_("Company"), queryset=None)

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
