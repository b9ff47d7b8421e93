"""The SME's confirmation of its place, and the cohort roster (confirmed companies, composition
against the quota rules, CSV)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from clinic.models import GreenArea, SizeClass
from clinic.spreadsheets import csv_bytes, csv_response
from clinic.text_search import natural
from clinic.transitions import Refused

from .. import permissions
from ..forms_selection import ConfirmPlaceForm, DeclinePlaceForm
from ..models import Application, QuotaDimension, region_key
from ..services import confirmation
from . import selection_cohort
from .quota_bars import composition, distribution

# --- Confirmation by the SME ------------------------------------------------------------------


def place(request, pk):
    """The SME confirms (accepting the programme terms) or declines its place."""
    application = get_object_or_404(
        permissions.own_applications(request.user).select_related("cohort", "company"), pk=pk
    )
    cohort = application.cohort
    confirm_form = ConfirmPlaceForm(
        request.POST if request.POST.get("action") == "confirm" else None,
        initial={"terms_version": cohort.terms_version},
    )
    decline_form = DeclinePlaceForm(
        request.POST if request.POST.get("action") == "decline" else None
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm" and confirm_form.is_valid():
                confirmation.confirm_place(
                    request.user, application, confirm_form.cleaned_data["terms_version"]
                )
                messages.success(request, _("Your place is confirmed. Welcome to the clinic!"))
                return redirect("cohorts:application", pk=application.pk)
            if request.POST.get("action") == "decline" and decline_form.is_valid():
                confirmation.decline_place(
                    request.user, application, decline_form.cleaned_data["reason"]
                )
                messages.success(request, _("You declined the place. Thank you for telling us."))
                return redirect("cohorts:application", pk=application.pk)
        except Refused as error:
            messages.error(request, error.shown(hidden=True))
            return redirect("cohorts:place", pk=application.pk)
        except ValidationError as error:
            messages.error(request, str(error))
            return redirect("cohorts:place", pk=application.pk)
    return render(
        request,
        "cohorts/place.html",
        {
            "application": application,
            "cohort": cohort,
            "confirm_form": confirm_form,
            "decline_form": decline_form,
            "acceptances": application.terms_acceptances.select_related("accepted_by"),
        },
    )


# --- The roster -------------------------------------------------------------------------------


def roster_applications(cohort):
    return (
        confirmation.holding_places(cohort)
        .filter(state=Application.State.CONFIRMED)
        .prefetch_related("company__representatives")
        .order_by(natural("company__legal_name"), "pk")
    )


@require_safe
def roster(request, pk):
    """The confirmed companies with contacts and the cohort's composition against its rules."""
    cohort = selection_cohort(request, pk)
    applications = list(roster_applications(cohort))
    attributes = [a.quota_attributes for a in applications]
    areas, sizes = dict(GreenArea.choices), dict(SizeClass.choices)
    regions = {region_key(a.company.region): a.company.region for a in applications}
    counts = dict(
        Application.objects.filter(cohort=cohort)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return render(
        request,
        "cohorts/roster.html",
        {
            "cohort": cohort,
            "rows": [
                {
                    "application": a,
                    "company": a.company,
                    "contacts": list(a.company.representatives.all()),
                    "area": areas.get(a.tech_area, a.tech_area),
                    "size": sizes.get(a.size_class, a.size_class),
                }
                for a in applications
            ],
            "composition": composition(list(cohort.quota_rules.all()), attributes),
            "by_area": distribution(attributes, QuotaDimension.GREEN_AREA, areas),
            "by_size": distribution(attributes, QuotaDimension.SIZE_CLASS, sizes),
            "by_region": distribution(attributes, QuotaDimension.REGION, regions),
            "waiting": counts.get(Application.State.SELECTED, 0),
            "waitlisted": counts.get(Application.State.WAITLISTED, 0),
        },
    )


@require_safe
def roster_csv(request, pk):
    """The roster as CSV (``clinic.spreadsheets``: formula-like text is guarded)."""
    cohort = selection_cohort(request, pk)
    areas, sizes = dict(GreenArea.choices), dict(SizeClass.choices)
    header = [
        _("Company"),
        _("Local name"),
        _("Technology area"),
        _("Size class"),
        _("Region"),
        _("City"),
        _("Contact"),
        _("Email"),
        _("Confirmed"),
        _("Terms version"),
    ]
    rows = []
    for application in roster_applications(cohort).prefetch_related("terms_acceptances"):
        company = application.company
        contacts = list(company.representatives.all())
        acceptances = list(application.terms_acceptances.all())
        rows.append(
            [
                company.legal_name,
                company.local_name,
                areas.get(application.tech_area, application.tech_area),
                sizes.get(application.size_class, application.size_class),
                company.region,
                company.city,
                "; ".join(c.get_full_name() or c.username for c in contacts),
                "; ".join(c.email for c in contacts),
                application.answered_at.isoformat() if application.answered_at else "",
                acceptances[0].terms_version if acceptances else "",
            ]
        )
    return csv_response(csv_bytes(header, rows), f"roster-cohort-{cohort.pk}.csv")
