"""Forms of programme events (crispy; the templates write the <form> and CSRF token)."""

from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clinic import roles
from clinic.forms import IdMultipleChoiceField, form_helper
from clinic.limits import LimitsMixin
from clinic.models import User
from clinic.versioning import StaleCheckMixin
from cohorts.models import Cohort, Programme
from cohorts.models.cohorts import TIME_ZONES
from mentoring.forms import MeetingFormMixin
from mentoring.models.sessions import Mode

from .models import AgendaItem, Event, Registration, Speaker
from .services.events import MEETING_FIELDS

EVENT_MODES = [(Mode.ON_SITE, Mode.ON_SITE.label), (Mode.ONLINE, Mode.ONLINE.label)]


class EventForm(StaleCheckMixin, LimitsMixin, MeetingFormMixin, forms.ModelForm):
    """An event's settings; the date and time are in the event's time zone (the cohort's unless
    chosen)."""

    stamp_fields = [*MEETING_FIELDS, "time_zone"]
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=[("", _("The cohort's")), *TIME_ZONES],
        required=False,
        help_text=_("Empty: the cohort's time zone (Asia/Shanghai for a programme event)."),
    )

    class Meta:
        model = Event
        fields = [
            "programme",
            "cohort",
            "kind",
            "title",
            "title_zh",
            "description",
            "description_zh",
            "series",
            "series_zh",
            "series_number",
            "capacity",
            "company_limit",
            "mandatory",
            "materials_shown",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "description_zh": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        zone = instance.time_zone if instance is not None and instance.pk else "Asia/Shanghai"
        super().__init__(*args, time_zone=zone, **kwargs)
        self.fields["programme"].queryset = Programme.objects.order_by("name")
        self.fields["cohort"].queryset = Cohort.objects.select_related("programme").order_by(
            "-start_date"
        )
        self.fields["mode"].choices = EVENT_MODES
        self.fields["address"].label = _("Place (on site)")
        if instance is not None and instance.pk:
            self.initial.update(MeetingFormMixin.initial_for(instance))
            self.initial["time_zone"] = instance.time_zone
        self.fields["time"].help_text = _("In the event's time zone.")
        self.helper = form_helper(
            Layout(
                Row(
                    Column("programme", css_class="col-md-4"),
                    Column("cohort", css_class="col-md-4"),
                    Column("kind", css_class="col-md-4"),
                ),
                Row(
                    Column("title", css_class="col-md-6"), Column("title_zh", css_class="col-md-6")
                ),
                Row(
                    Column("description", css_class="col-md-6"),
                    Column("description_zh", css_class="col-md-6"),
                ),
                Row(
                    Column("series", css_class="col-md-5"),
                    Column("series_zh", css_class="col-md-5"),
                    Column("series_number", css_class="col-md-2"),
                ),
                *self.meeting_layout()[:1],
                Row(
                    Column("time_zone", css_class="col-md-4"),
                    Column("mode", css_class="col-md-2"),
                    Column("address", css_class="col-md-3"),
                    Column("meeting_url", css_class="col-md-3"),
                ),
                Row(
                    Column("capacity", css_class="col-md-3"),
                    Column("company_limit", css_class="col-md-3"),
                    Column("materials_shown", css_class="col-md-3"),
                    Column("mandatory", css_class="col-md-3"),
                ),
            ),
            csrf=False,
        )

    def clean(self):
        cohort = self.cleaned_data.get("cohort")
        zone = self.cleaned_data.get("time_zone") or (cohort.time_zone if cohort else "")
        self.time_zone = zone or "Asia/Shanghai"
        return super().clean()

    def save(self, commit=False):
        event = super().save(commit=False)
        for name, value in self.meeting().items():
            setattr(event, name, value)
        if event.mode != Mode.ON_SITE:
            event.address = ""
        if event.mode != Mode.ONLINE:
            event.meeting_url = ""
        event.phone = ""
        event.time_zone = self.time_zone
        return event

    @property
    def changed_names(self):
        names = set(self.changed_data) - {"date", "time"}
        if {"date", "time"} & set(self.changed_data):
            names.add("starts_at")
        return sorted(names)


class SpeakerForm(LimitsMixin, forms.ModelForm):
    class Meta:
        model = Speaker
        fields = ["user", "name", "organisation", "bio", "bio_zh"]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 2}),
            "bio_zh": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(groups__name=roles.EXPERT).order_by(
            "last_name", "username"
        )
        self.fields["user"].required = False
        self.fields["user"].help_text = _("Optional: the expert's account.")
        self.helper = form_helper(
            Layout(
                Row(
                    Column("user", css_class="col-md-4"),
                    Column("name", css_class="col-md-4"),
                    Column("organisation", css_class="col-md-4"),
                ),
                Row(Column("bio", css_class="col-md-6"), Column("bio_zh", css_class="col-md-6")),
            ),
            csrf=False,
        )


class AgendaItemForm(LimitsMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["starts_at", "title", "title_zh", "speaker"]
        widgets = {"starts_at": forms.TimeInput(attrs={"type": "time"})}

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = event.speakers.all() if event else Speaker.objects.none()
        self.helper = form_helper(
            Layout(
                Row(
                    Column("starts_at", css_class="col-md-2"),
                    Column("title", css_class="col-md-4"),
                    Column("title_zh", css_class="col-md-3"),
                    Column("speaker", css_class="col-md-3"),
                )
            ),
            csrf=False,
        )


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, images or office documents, up to 10 MB.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Layout(
                Row(Column("title", css_class="col-md-5"), Column("file", css_class="col-md-7"))
            ),
            csrf=False,
        )


class InviteCompaniesForm(forms.Form):
    everyone = forms.BooleanField(label=_("All companies of the cohort"), required=False)
    companies = IdMultipleChoiceField(
        label=_("Or choose companies"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["companies"].queryset = companies
        self.helper = form_helper(csrf=False)

    def chosen(self):
        if self.cleaned_data.get("everyone"):
            return list(self.fields["companies"].queryset)
        return list(self.cleaned_data.get("companies") or [])

    def clean(self):
        data = super().clean()
        if not data.get("everyone") and not data.get("companies"):
            raise forms.ValidationError(_("Choose companies, or all of them."))
        return data


class GuestInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language of the mail"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Layout(
                Row(
                    Column("email", css_class="col-md-3"),
                    Column("name", css_class="col-md-3"),
                    Column("organisation", css_class="col-md-3"),
                    Column("language", css_class="col-md-3"),
                )
            ),
            csrf=False,
        )


class PersonForm(forms.Form):
    """One named person to register (their own account's details by default)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language of the mail"), choices=settings.LANGUAGES)

    def __init__(self, *args, invitations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if invitations is not None:
            self.fields["invitation"] = forms.ModelChoiceField(
                label=_("For"), queryset=invitations, empty_label=None
            )
            self.order_fields(["invitation"])
            del self.fields["organisation"]
        self.helper = form_helper(csrf=False)  # one field a line: it sits in a side card


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(csrf=False)


class AttendanceImportForm(forms.Form):
    MAX_BYTES = 1024 * 1024

    file = forms.FileField(
        label=_("CSV file"), help_text=_("Columns: email, attended (yes or no).")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(csrf=False)

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        return uploaded


class FilterForm(forms.Form):
    """A list's filters: selects look like the other lists' (``form-select``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.widget.attrs["class"] = "form-select"


class EventFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Event.Kind.choices], required=False
    )
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All states")), *Event.State.choices], required=False
    )
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("", _("Any time")), ("upcoming", _("Upcoming")), ("past", _("Past"))],
        required=False,
    )


class RegistrationFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("All states")), *Registration.State.choices],
        required=False,
    )
