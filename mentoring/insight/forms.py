"""The dashboard's filters (GET): anything invalid is ignored, never an error page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clinic.models.companies import GreenArea, SizeClass
from cohorts.models import Cohort, Programme

from .dashboard import Filters


class DashboardFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.all(), required=False
    )
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.select_related("programme"), required=False
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    green_area = forms.ChoiceField(
        label=_("Technology area"), choices=[("", "---------"), *GreenArea.choices], required=False
    )
    size_class = forms.ChoiceField(
        label=_("Size class"), choices=[("", "---------"), *SizeClass.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = sorted({d.year for d in Cohort.objects.dates("start_date", "year")}, reverse=True)
        self.fields["year"].choices = [("", "---------"), *((y, y) for y in years)]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm")
        self.fields["region"].widget.attrs["class"] = "form-control form-control-sm"

    def filters(self):
        """The valid filters; an invalid value counts as not set."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})  # a field in error is not in it
        return Filters(
            programme=data.get("programme"),
            cohort=data.get("cohort"),
            year=data.get("year"),
            region=(data.get("region") or "").replace("\x00", ""),
            green_area=data.get("green_area") or "",
            size_class=data.get("size_class") or "",
        )
