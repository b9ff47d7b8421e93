"""Forms of a session's notes: the notes (with private notes for the expert and officers), the
follow-ups and the SME's rating."""

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from clinic.dimensions import Dimension
from clinic.forms import DateInput, form_helper
from clinic.limits import LONG_TEXT_MAX
from clinic.versioning import Edited, StaleCheckMixin

from .models import FollowUp, Session


def notes_edited(session):
    """What the notes page edits: the outcome, the shared notes, the follow-ups and the private
    note (by its save time only: its text never goes into a page)."""
    from .models import PrivateNote, SessionNote

    return Edited(
        (Session.objects.filter(pk=session.pk), ["status"]),
        (SessionNote.objects.filter(session=session), ["summary", "dimensions", "recommendations"]),
        (PrivateNote.objects.filter(session=session), ["updated_at"]),
        (session.follow_ups.all(), ["title", "owner", "due_date"]),
        owner=session,
    )


class NotesForm(StaleCheckMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("The session was"),
        choices=[(Session.Status.HELD, _("Held")), (Session.Status.NO_SHOW, _("No-show"))],
        widget=forms.RadioSelect,
        initial=Session.Status.HELD,
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    dimensions = forms.TypedMultipleChoiceField(
        label=_("Dimensions discussed"),
        choices=Dimension.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    recommendations = forms.CharField(
        label=_("Recommendations"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    private_notes = forms.CharField(
        label=_("Private notes (never shown to the company)"),
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, private=True, **kwargs):
        """``private``: the user may see the private notes (``can_see_private_notes``); else
        the field is left out and the private notes stay as they are."""
        super().__init__(*args, **kwargs)
        if not private:
            del self.fields["private_notes"]
        self.helper = form_helper(csrf=False)


class FollowUpForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(
        label=_("Follow-up"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    owner = forms.CharField(
        label=_("Owner at the company"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=DateInput(attrs={"class": "form-control"})
    )
    delete = forms.BooleanField(
        label=_("Remove"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


FollowUpFormSet = forms.formset_factory(FollowUpForm, extra=2, max_num=FollowUp.PER_SESSION_MAX)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Layout(InlineRadios("score"), "comment"), csrf=False)
