from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clinic.versioning import Edited, StaleCheckMixin, UniqueFormMixin

from .models import Cohort, Programme, QuotaRule


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
        self.helper = FormHelper()
        self.helper.form_tag = False


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
            "programme",
            "name",
            "name_zh",
            "description",
            "country",
            "regions",
            "capacity",
            "applications_open_at",
            "applications_close_at",
            "start_date",
            "end_date",
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
            "terms_version",
            "terms_text",
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
        }

    def __init__(self, *args, **kwargs):
        from clinic.models import QuestionnaireVersion

        super().__init__(*args, **kwargs)
        self.fields["questionnaire_version"].queryset = QuestionnaireVersion.objects.filter(
            status=QuestionnaireVersion.Status.PUBLISHED
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
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
                _("Programme"),
                row("target_sessions", "terms_version", "questionnaire_version"),
                "terms_text",
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
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") in (self.INELIGIBLE, self.NEEDS_INFO)
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("This decision needs a reason or message."))
        return data


class ApplicationForm(StaleCheckMixin, forms.ModelForm):
    """The SME's application; everything optional while a draft (submit checks completeness)."""

    sdg_goals = forms.TypedMultipleChoiceField(
        label=_("SDG goals"),
        choices=[(n, f"SDG {n}") for n in range(1, 18)],
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
        self.helper = FormHelper()
        self.helper.form_tag = False
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


class AssignReviewerForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=None)

    def __init__(self, *args, reviewers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you have a conflict of interest"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewForm(forms.Form):
    """One 1-5 choice per rubric criterion (anchors shown as labels), a comment, abstain."""

    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    abstained = forms.BooleanField(
        label=_("I abstain from scoring this application"), required=False
    )

    def __init__(self, *args, criteria=(), language="en", **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.language = language
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.localized_name(language)} ({criterion.weight})",
                choices=[("", "–")]
                + [
                    (level, f"{level} – {text}")
                    for level, text in criterion.localized_anchors(language)
                ],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )

    def criterion_fields(self):
        """(criterion, bound field, anchors in the form's language) per criterion."""
        return [
            (c, self[f"criterion_{c.pk}"], c.localized_anchors(self.language))
            for c in self.criteria
        ]

    def values(self):
        return {c.pk: self.cleaned_data.get(f"criterion_{c.pk}") for c in self.criteria}


class CriterionForm(forms.ModelForm):
    class Meta:
        from .models import RubricCriterion

        model = RubricCriterion
        fields = [
            "key",
            "name",
            "name_zh",
            "weight",
            "anchor_1",
            "anchor_1_zh",
            "anchor_2",
            "anchor_2_zh",
            "anchor_3",
            "anchor_3_zh",
            "anchor_4",
            "anchor_4_zh",
            "anchor_5",
            "anchor_5_zh",
        ]


class BaseCriterionFormSet(StaleCheckMixin, forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        total = sum(
            form.cleaned_data.get("weight") or 0
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        )
        if total != 100:
            raise forms.ValidationError(
                _("The weights must add up to 100 (they add up to %(total)s).") % {"total": total}
            )


def criterion_formset(cohort, data=None):
    """The cohort's criteria as a formset; its stamp covers every criterion (and adding one)."""
    from .models import RubricCriterion

    factory = forms.modelformset_factory(
        RubricCriterion, form=CriterionForm, formset=BaseCriterionFormSet, extra=1, can_delete=True
    )
    criteria = cohort.criteria.all()
    edited = Edited((criteria, CriterionForm.Meta.fields), owner=cohort)
    return factory(data, queryset=criteria, edited=edited)


# --- Selection, confirmation (issue 4) -----------------------------------------------------------


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
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            row("dimension", "area", "size", "region", width=6), row("minimum", "maximum")
        )

    def clean(self):
        data = super().clean()
        field = {"green_area": "area", "size_class": "size", "region": "region"}.get(
            data.get("dimension")
        )
        if field:
            value = (data.get(field) or "").strip()
            if not value:
                self.add_error(field, _("Choose the value this rule counts."))
            self.instance.value = value
        return data


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
        self.helper = FormHelper()
        self.helper.form_tag = False

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
