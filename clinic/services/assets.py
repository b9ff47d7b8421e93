"""IP asset register: add, change, remove, CSV import (all-or-nothing) and export.

Validation rules live on the model (``IPAsset.clean``) and are applied through ``AssetRowForm``
(the page's ``AssetForm`` extends it) so the page, the CSV import and any later API check the same
things.
"""

import io
from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions, versioning
from ..models import IPAsset
from ..spreadsheets import UNREADABLE_CSV, CsvRows, UnreadableCsv, csv_bytes, plain_cell
from ..transitions import Refused
from . import audit


class AssetRowForm(versioning.UniqueFormMixin, forms.ModelForm):
    """One row of a company's register, checked as the model and its constraints say."""

    class Meta:
        model = IPAsset
        fields = list(IPAsset.REGISTER_FIELDS)

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        if company is not None:
            self.instance.company = company


FORM_FIELDS = {"type": "asset_type"}  # CSV column -> field, where they differ
CSV_COLUMNS = [
    next((column for column, f in FORM_FIELDS.items() if f == field), field)
    for field in IPAsset.REGISTER_FIELDS
]
REQUIRED_COLUMNS = ("type", "title", "status")
DATE_COLUMNS = ("filing_date", "grant_date", "renewal_date")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d")
MAX_ROWS = 1000


class AssetImportError(ValueError):
    """The CSV file cannot be imported. ``problems`` lists (row number or None, message)."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(message for _row, message in problems))


def _check(actor, company):
    if not permissions.can_edit_assets(actor, company):
        raise Refused("not_permitted")


@transaction.atomic
def save_asset(actor, asset, changed_fields=None):
    """Add a new asset or save changes to one (``asset`` already validated by AssetForm).

    Checks (company locked): the model's rules; the register does not list the right already.
    Side-effects: the IPAsset row; audit record (added or changed, with the changed fields'
    before and after).
    """
    _check(actor, asset.company)
    versioning.lock(asset.company)
    created = asset.pk is None
    asset.full_clean()
    changes = audit.changes(asset, changed_fields or [])
    asset.save()
    if created:
        audit.record(asset, "asset_added", actor=actor, to_state=asset.status)
    else:
        audit.record(
            asset,
            "asset_changed",
            actor=actor,
            to_state=asset.status,
            changes=changes,
        )
    return asset


@transaction.atomic
def remove_asset(actor, asset):
    """Remove an asset from the register. Side-effects: row deleted; audit record keeps its text."""
    _check(actor, asset.company)
    audit.record(asset, "asset_removed", actor=actor, from_state=asset.status)
    asset.delete()


def decode_csv(content):
    """Text of an uploaded CSV: UTF-8 (with or without BOM), else GB18030 (Excel in Chinese)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssetImportError([(None, _("The file is neither UTF-8 nor GB18030 text."))])


def _parse_date(value):
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(value, date_format).date().isoformat()
        except ValueError:
            continue
    return value  # left for the form to report


def _choice_code(value, choices):
    """Accept a choice's code or its English or translated label, in any case."""
    lowered = value.strip().lower()
    for code, label in choices:
        if lowered in (code, str(label).lower()):
            return code
    return value.strip()


def parse_csv(content):
    """The rows of an asset CSV as (line number, form data); header problems and a file the csv
    module cannot read raise."""
    try:
        return _parse_rows(CsvRows(io.StringIO(decode_csv(content), newline="")))
    except UnreadableCsv as error:
        raise AssetImportError([(None, str(UNREADABLE_CSV))]) from error


def _parse_rows(reader):
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    problems = []
    unknown = [name for name in header if name not in CSV_COLUMNS]
    if unknown:
        message = _("Unknown columns: %(columns)s. The columns are: %(expected)s.")
        problems.append(
            (None, message % {"columns": ", ".join(unknown), "expected": ", ".join(CSV_COLUMNS)})
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        message = _("Missing columns: %(columns)s.")
        problems.append((None, message % {"columns": ", ".join(missing)}))
    if problems:
        raise AssetImportError(problems)
    reader.fieldnames = header
    rows = []
    for row in reader:
        if len(rows) >= MAX_ROWS:
            message = _("The file has more than %(limit)d rows.")
            raise AssetImportError([(None, message % {"limit": MAX_ROWS})])
        values = {
            key: plain_cell(value or "").strip() for key, value in row.items() if key in CSV_COLUMNS
        }
        if None in row:
            problems.append((reader.line_num, _("The row has more cells than the header.")))
            continue
        if not any(values.values()):
            continue
        data = {FORM_FIELDS.get(key, key): value for key, value in values.items()}
        data["asset_type"] = _choice_code(data.get("asset_type", ""), IPAsset.Type.choices)
        data["status"] = _choice_code(data.get("status", ""), IPAsset.Status.choices)
        relevance = data.get("business_relevance", "") or IPAsset.Relevance.MEDIUM
        data["business_relevance"] = _choice_code(relevance, IPAsset.Relevance.choices)
        for column in DATE_COLUMNS:
            if data.get(column):
                data[column] = _parse_date(data[column])
        rows.append((reader.line_num, data))
    if problems:
        raise AssetImportError(problems)
    if not rows:
        raise AssetImportError([(None, _("The file has no asset rows."))])
    return rows


@transaction.atomic
def import_csv(actor, company, content):
    """Import assets from a CSV file: every row valid, or nothing is imported.

    Raises AssetImportError with one entry per problem (line number, field: message), also
    for a right the register (or the file, further up) lists already.
    Side-effects (all rows valid): one IPAsset per row; one audit record on the company.
    """
    _check(actor, company)
    versioning.lock(company)
    rows = parse_csv(content)
    problems, assets = [], []
    for line, data in rows:
        form = AssetRowForm(data, company=company)
        if form.is_valid():
            assets.append((line, form.save(commit=False)))
            continue
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            column = next((c for c, f in FORM_FIELDS.items() if f == field), field)
            where = f"{column} ({label})" if label and field != "__all__" else ""
            for error in errors:
                problems.append((line, f"{where}: {error}" if where else str(error)))
    for line, asset in assets:
        try:
            versioning.check_unique(asset)
        except ValidationError as error:
            problems.extend((line, message) for message in error.messages)
        else:
            asset.save()
    if problems:
        raise AssetImportError(problems)
    audit.record(
        company,
        "assets_imported",
        actor=actor,
        reason=_("%(count)d assets imported") % {"count": len(assets)},
    )
    return [asset for _line, asset in assets]


def csv_template():
    """The header row of the import template (UTF-8 with BOM so Excel reads Chinese text)."""
    return csv_bytes(CSV_COLUMNS, [])


def export_csv(assets):
    """The assets as CSV in the import format, codes for choices, ISO dates (formula-like text
    guarded by ``clinic.spreadsheets``; the import removes the guard again)."""

    def cell(value):
        return value.isoformat() if value else ""

    return csv_bytes(
        CSV_COLUMNS,
        [
            [
                asset.asset_type,
                asset.title,
                asset.jurisdiction,
                asset.number,
                asset.status,
                asset.owner,
                cell(asset.filing_date),
                cell(asset.grant_date),
                cell(asset.renewal_date),
                asset.business_relevance,
                asset.notes,
            ]
            for asset in assets
        ],
    )


def renewal_warnings(assets, today=None):
    """Assets whose renewal or expiry date is past or within the next 6 months, soonest first."""
    today = today or timezone.localdate()
    due = [a for a in assets if a.renewal_due_soon(today) or a.renewal_overdue(today)]
    return sorted(due, key=lambda asset: asset.renewal_date)
