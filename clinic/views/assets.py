"""IP asset register pages: list with renewal warnings, add/edit/remove, CSV import and export."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import permissions
from ..forms_ipaudit import AssetForm, AssetImportForm
from ..models import IPAsset
from ..services import assets as service
from ..spreadsheets import csv_response
from ..transitions import Refused
from ..versioning import save_current


def visible_company(request, pk):
    return get_object_or_404(permissions.visible_companies(request.user), pk=pk)


def editable_company(request, pk):
    company = visible_company(request, pk)
    if not permissions.can_edit_assets(request.user, company):
        raise Http404
    return company


@require_safe
def asset_list(request, pk):
    company = visible_company(request, pk)
    assets = list(company.ip_assets.all())
    today = timezone.localdate()
    for asset in assets:
        asset.due_soon = asset.renewal_due_soon(today)
        asset.overdue = asset.renewal_overdue(today)
    audit_obj = permissions.visible_audits(request.user).filter(company=company).first()
    return render(
        request,
        "clinic/ipaudit/asset_list.html",
        {
            "company": company,
            "assets": assets,
            "warnings": service.renewal_warnings(assets, today),
            "can_edit": permissions.can_edit_assets(request.user, company),
            "import_form": AssetImportForm(),
            "audit": audit_obj,
        },
    )


def asset_form(request, pk, asset_pk=None):
    company = editable_company(request, pk)
    asset = get_object_or_404(IPAsset, pk=asset_pk, company=company) if asset_pk else None
    form = AssetForm(request.POST or None, instance=asset, company=company)
    saved = form.save(commit=False) if request.method == "POST" and form.is_valid() else None
    try:
        if saved and save_current(
            form, lambda: service.save_asset(request.user, saved, form.changed_data)
        ):
            messages.success(request, _("Asset saved."))
            return redirect("ipaudit:assets", pk=company.pk)
    except Refused as error:
        raise Http404 from error
    return render(
        request,
        "clinic/ipaudit/asset_form.html",
        {"company": company, "form": form, "asset": asset},
        status=form.status,
    )


@require_POST
def asset_delete(request, pk, asset_pk):
    company = editable_company(request, pk)
    asset = get_object_or_404(IPAsset, pk=asset_pk, company=company)
    service.remove_asset(request.user, asset)
    messages.success(request, _("Asset %(title)s removed.") % {"title": asset.title})
    return redirect("ipaudit:assets", pk=company.pk)


def asset_import(request, pk):
    """Upload a CSV: every row is checked; nothing is imported unless all rows are valid."""
    company = editable_company(request, pk)
    form = AssetImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            imported = service.import_csv(request.user, company, form.cleaned_data["file"].read())
        except service.AssetImportError as error:
            problems = error.problems
        else:
            messages.success(
                request,
                _("%(count)d assets imported.") % {"count": len(imported)},
            )
            return redirect("ipaudit:assets", pk=company.pk)
    return render(
        request,
        "clinic/ipaudit/asset_import.html",
        {
            "company": company,
            "form": form,
            "problems": problems,
            "columns": service.CSV_COLUMNS,
            "types": IPAsset.Type.choices,
            "statuses": IPAsset.Status.choices,
            "relevances": IPAsset.Relevance.choices,
        },
    )


@require_safe
def asset_export(request, pk):
    company = visible_company(request, pk)
    date = timezone.localdate().isoformat()
    return csv_response(
        service.export_csv(company.ip_assets.all()), f"ip-assets-{company.pk}-{date}.csv"
    )


@require_safe
def asset_template(request, pk):
    visible_company(request, pk)
    return csv_response(service.csv_template(), "ip-assets-template.csv")
