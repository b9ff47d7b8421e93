"""The matchmaking overview and the WIPO GREEN bridge (export and import)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from clinic.spreadsheets import csv_response

from .. import permissions
from ..forms import ImportForm
from ..models import ExternalListing, Need, PartnerOrganisation, Technology
from ..services import introductions, wipo
from . import PAGE_SIZE


@require_safe
def home(request):
    user = request.user
    if not (
        permissions.may_browse(user)
        or permissions.partner_organisations(user).exists()
        or user.partner_organisations.exists()
    ):
        raise Http404
    context = {
        "my_technologies": permissions.visible_technologies(user)
        .filter(company__representatives=user)
        .select_related("company"),
        "companies": permissions.publishing_companies(user),
        "my_needs": permissions.visible_needs(user).filter(
            partner__in=permissions.partner_organisations(user)
        ),
        "my_partners": user.partner_organisations.all(),
        "funnel": introductions.funnel(permissions.visible_introductions(user)),
        "can_review": permissions.can_review_listings(user),
    }
    if context["can_review"]:
        context["pending_technologies"] = Technology.objects.filter(
            state=Technology.State.SUBMITTED
        ).select_related("company")
        context["pending_needs"] = Need.objects.filter(state=Need.State.SUBMITTED).select_related(
            "partner"
        )
        context["pending_partners"] = PartnerOrganisation.objects.filter(
            state=PartnerOrganisation.State.PENDING
        )
    return render(request, "matchmaking/home.html", context)


@require_safe
def export(request, fmt):
    if not permissions.can_review_listings(request.user):
        raise Http404
    rows = wipo.exportable(request.user)
    if fmt == "json":
        response = HttpResponse(wipo.to_json(rows), content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="wipo-green-listings.json"'
        return response
    return csv_response(wipo.to_csv(rows), "wipo-green-listings.csv")


def wipo_bridge(request):
    if not permissions.can_review_listings(request.user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        rows = wipo.parse(upload.name, upload.read(wipo.MAX_IMPORT_BYTES + 1))
        created, updated, skipped = wipo.import_rows(request.user, rows)
        messages.success(
            request,
            _("Imported: %(created)s new, %(updated)s updated, %(skipped)s skipped.")
            % {"created": created, "updated": updated, "skipped": skipped},
        )
        return redirect("matchmaking:wipo")
    listings = ExternalListing.objects.all()
    kind = request.GET.get("kind", "")
    if kind in ExternalListing.Kind.values:
        listings = listings.filter(kind=kind)
    page = Paginator(listings.order_by("title", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "matchmaking/wipo.html", {"form": form, "page": page, "kind": kind})
