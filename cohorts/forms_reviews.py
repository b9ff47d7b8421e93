"""Forms of the review stage: assigning reviewers, conflicts, scoring, the rubric."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clinic.versioning import Edited, StaleCheckMixin


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
