"""Forms of mentoring: expert profiles, assignments, sessions, notes, ratings, drop-out."""

import zoneinfo
from datetime import datetime

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.layout import HTML, Column, Layout, Row
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from clinic.dimensions import Dimension
from clinic.forms import DateInput, IdMultipleChoiceField, form_helper
from clinic.models import Company, GreenArea
from clinic.transitions import Refused
from clinic.versioning import StaleCheckMixin

from .models import Assignment, ExpertProfile
from .models.experts import ExpertiseLevel
from .models.sessions import Mode
from .services.past_sessions import check_past


class ExpertProfileForm(StaleCheckMixin, forms.ModelForm):
    stamp_fields = ["expertise"]

    tech_areas = forms.MultipleChoiceField(
        label=_("Technology areas"),
        choices=GreenArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ExpertProfile
        fields = [
            "bio",
            "tech_areas",
            "languages",
            "jurisdictions",
            "capacity",
            "conflicts",
            "conflict_note",
        ]
        field_classes = {"conflicts": IdMultipleChoiceField}
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4}),
            "conflict_note": forms.Textarea(attrs={"rows": 2}),
            "conflicts": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, can_set_capacity=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conflicts"].queryset = Company.objects.order_by("legal_name")
        self.fields["conflicts"].help_text = _(
            "Companies you must not mentor (shareholding, family, competing clients …); "
            "hold Ctrl or ⌘ to choose several."
        )
        for dimension in Dimension:
            self.fields[f"dim_{dimension.value}"] = forms.TypedChoiceField(
                label=f"{dimension.value}. {dimension.label}",
                choices=ExpertiseLevel.choices,
                coerce=int,
                required=False,
                empty_value=0,
                initial=self.instance.level(dimension),
            )
        if not can_set_capacity:
            self.fields["capacity"].disabled = True
            self.fields["capacity"].help_text = _("Programme officers set the capacity.")
        dimension_fields = [f"dim_{d.value}" for d in Dimension]
        self.helper = form_helper(
            Layout(
                "bio",
                InlineCheckboxes("tech_areas"),
                Row(
                    Column(InlineCheckboxes("languages"), css_class="col-md-4"),
                    Column("jurisdictions", css_class="col-md-5"),
                    Column("capacity", css_class="col-md-3"),
                ),
                HTML(
                    format_html(
                        '<h2 class="h6 mt-2">{}</h2><p class="small text-muted">{}</p>',
                        _("Expertise per dimension"),
                        _(
                            "Matching counts your level in the three weakest dimensions of each "
                            "company's audit."
                        ),
                    )
                ),
                Row(*[Column(name, css_class="col-md-6") for name in dimension_fields]),
                "conflicts",
                "conflict_note",
            ),
            csrf=False,
        )

    def save(self, commit=True):
        profile = super().save(commit=False)
        profile.expertise = {
            str(d.value): self.cleaned_data[f"dim_{d.value}"]
            for d in Dimension
            if self.cleaned_data.get(f"dim_{d.value}")
        }
        if commit:
            profile.save()
            self.save_m2m()
        return profile

    @property
    def changed_names(self):
        return [name for name in self.changed_data]


class AssignForm(forms.Form):
    """An officer assigns an expert (from ``experts``) as lead or support; ``score`` is the
    matching score shown when the officer chose (kept in the assignment's record)."""

    expert = forms.ModelChoiceField(label=_("Expert"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=Assignment.Role.choices)
    score = forms.IntegerField(required=False, min_value=0, max_value=1000)

    def __init__(self, *args, experts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts


class MeetingFormMixin(forms.Form):
    """Date and time entered in the cohort's time zone (shown next to the field)."""

    future_only = True  # a session to come (a past one: PastSessionForm)
    place_required = True  # the mode's address, link or number

    date = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=480, initial=90
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices, initial=Mode.ONLINE)
    address = forms.CharField(label=_("Address (on site)"), max_length=300, required=False)
    meeting_url = forms.URLField(
        label=_("Meeting link (online)"), max_length=500, required=False, assume_scheme="https"
    )
    phone = forms.CharField(label=_("Phone number (phone)"), max_length=50, required=False)

    def __init__(self, *args, time_zone="Asia/Shanghai", **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone
        self.fields["time"].help_text = _("Time zone: %(zone)s") % {"zone": time_zone}

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time"):
            data["starts_at"] = datetime.combine(
                data["date"], data["time"], tzinfo=zoneinfo.ZoneInfo(self.time_zone)
            )
            if self.future_only and data["starts_at"] <= timezone.now():
                self.add_error("date", _("Choose a time in the future."))
        mode = data.get("mode")
        needed = {Mode.ON_SITE: "address", Mode.ONLINE: "meeting_url", Mode.PHONE: "phone"}
        missing = mode in needed and not (data.get(needed[mode]) or "").strip()
        if self.place_required and missing:
            self.add_error(needed[mode], _("This mode needs it."))
        return data

    def meeting(self):
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "duration_minutes": data["duration_minutes"],
            "mode": data["mode"],
            "address": data.get("address", ""),
            "meeting_url": data.get("meeting_url", ""),
            "phone": data.get("phone", ""),
        }

    def meeting_layout(self):
        return [
            Row(
                Column("date", css_class="col-md-4"),
                Column("time", css_class="col-md-4"),
                Column("duration_minutes", css_class="col-md-4"),
            ),
            Row(
                Column("mode", css_class="col-md-4"),
                Column("address", css_class="col-md-8"),
                Column("meeting_url", css_class="col-md-8"),
                Column("phone", css_class="col-md-8"),
            ),
        ]

    @staticmethod
    def initial_for(meeting):
        start = meeting.local_start
        return {
            "date": start.date(),
            "time": start.time().replace(second=0, microsecond=0),
            "duration_minutes": meeting.duration_minutes,
            "mode": meeting.mode,
            "address": meeting.address,
            "meeting_url": meeting.meeting_url,
            "phone": meeting.phone,
        }


# What rescheduling a session edits (its stamp): the meeting, the agenda and the status.
SESSION_FIELDS = [
    "starts_at",
    "duration_minutes",
    "mode",
    "address",
    "meeting_url",
    "phone",
    "agenda",
    "status",
]


class SessionForm(StaleCheckMixin, MeetingFormMixin):
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Layout(*self.meeting_layout(), "agenda"), csrf=False)


class PastSessionForm(SessionForm):
    """A session that already took place: between the cohort's start date and now; where it was
    held is optional (the meeting is over)."""

    future_only = False
    place_required = False

    def __init__(self, *args, cohort=None, **kwargs):
        super().__init__(*args, time_zone=cohort.time_zone, **kwargs)
        self.cohort = cohort
        self.fields["duration_minutes"].initial = 60
        self.fields["agenda"].label = _("What was discussed (shown with the session)")

    def clean(self):
        data = super().clean()
        if data.get("starts_at"):
            try:
                check_past(self.cohort, data["starts_at"], timezone.now())
            except Refused as error:
                self.add_error("date", str(error))
        return data


class SlotForm(MeetingFormMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Layout(
                Row(Column("date", css_class="col-sm-6"), Column("time", css_class="col-sm-6")),
                Row(
                    Column("duration_minutes", css_class="col-sm-6"),
                    Column("mode", css_class="col-sm-6"),
                ),
                Row(
                    Column("address", css_class="col-12"),
                    Column("meeting_url", css_class="col-12"),
                    Column("phone", css_class="col-12"),
                ),
            ),
            csrf=False,
        )


class BookSlotForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("Time"), queryset=None, widget=forms.RadioSelect)
    agenda = forms.CharField(
        label=_("What would you like to discuss?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, slots=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots
        self.fields["slot"].label_from_instance = lambda slot: (
            f"{slot.local_start:%Y-%m-%d %H:%M}–{slot.local_end:%H:%M} ({slot.time_zone}) · "
            f"{slot.get_mode_display()} · {slot.expert}"
        )
        self.helper = form_helper(csrf=False)


class MoveSessionForm(BookSlotForm):
    """The new time of a session the company moves: one of its expert's free offered slots."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["agenda"]
        self.fields["slot"].label = _("New time")


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(csrf=False)


class DropOutForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(csrf=False)


class ProgressFilterForm(forms.Form):
    q = forms.CharField(label=_("Company"), required=False)
    expert = forms.ModelChoiceField(label=_("Lead expert"), queryset=None, required=False)
    state = forms.ChoiceField(label=_("Stage"), required=False)
    flag = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Everyone")), ("stale", _("No session in 30 days"))],
    )

    def __init__(self, *args, experts=None, states=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts
        self.fields["state"].choices = [("", _("Any stage")), *states]
