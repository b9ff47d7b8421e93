"""The WIPO GREEN bridge: export approved technologies and open needs in the fields a WIPO GREEN
listing carries (CSV and JSON, both languages), and import such a file so local needs and
technologies can be matched against it. No network access: files in, files out.

The field mapping is ``COLUMNS`` and is documented in docs/wipo-green.md (correct both together
when an office has WIPO GREEN's official upload template); docs/wipo-green-sample.csv is a
sample made by us.
"""

import csv
import io
import json

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from clinic.limits import LONG_TEXT_MAX, TITLE_MAX
from clinic.models.companies import GreenArea
from clinic.services import audit
from clinic.spreadsheets import csv_bytes, plain_cell
from clinic.transitions import Refused

from .. import permissions
from ..models import ExternalListing, Need, Offer, Technology
from . import refuse_unless

COLUMNS = [
    "Listing ID",
    "Type",
    "Title",
    "Title (Chinese)",
    "Description",
    "Description (Chinese)",
    "Owner",
    "Country",
    "Technology field",
    "Sub-field",
    "Development stage",
    "TRL",
    "Offered or sought",
    "IP status",
    "Keywords",
    "Contact",
    "URL",
]
# Our green areas -> WIPO GREEN's technology fields.
FIELDS = {
    GreenArea.RENEWABLE_ENERGY: "Energy",
    GreenArea.STORAGE_HYDROGEN: "Energy",
    GreenArea.ENERGY_EFFICIENCY: "Energy",
    GreenArea.TRANSPORT_FUELS: "Transportation",
    GreenArea.CARBON_CAPTURE: "Pollution & Waste",
    GreenArea.AIR_POLLUTION: "Pollution & Waste",
    GreenArea.WATER: "Water",
    GreenArea.WASTE_CIRCULAR: "Pollution & Waste",
    GreenArea.GREEN_BUILDINGS: "Building & Construction",
    GreenArea.AGRICULTURE_FOOD: "Farming & Forestry",
    GreenArea.MATERIALS: "Chemicals & Advanced Materials",
}
# English sub-field names, stable whatever the page's language (the file is for WIPO GREEN).
SUB_FIELDS = {
    GreenArea.RENEWABLE_ENERGY: "Renewable energy",
    GreenArea.STORAGE_HYDROGEN: "Energy storage and hydrogen",
    GreenArea.ENERGY_EFFICIENCY: "Energy efficiency",
    GreenArea.TRANSPORT_FUELS: "Green transport and fuels",
    GreenArea.CARBON_CAPTURE: "Carbon capture and use",
    GreenArea.AIR_POLLUTION: "Air pollution control",
    GreenArea.WATER: "Water",
    GreenArea.WASTE_CIRCULAR: "Waste and circular economy",
    GreenArea.GREEN_BUILDINGS: "Green buildings",
    GreenArea.AGRICULTURE_FOOD: "Sustainable agriculture and food",
    GreenArea.MATERIALS: "Advanced and bio-based materials",
}
OFFERS = {
    Offer.LICENSING: "Licensing",
    Offer.COLLABORATION: "Collaboration",
    Offer.JOINT_VENTURE: "Joint venture",
    Offer.SALE: "Sale",
    Offer.INVESTMENT: "Investment",
}
STAGES = [(3, "Research"), (6, "Prototype / pilot"), (8, "Demonstrated"), (9, "Commercial")]
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 5000


def stage_name(trl):
    if not trl:
        return ""
    return next(name for top, name in STAGES if trl <= top)


def _public_ip_status(technology):
    """Type, jurisdiction and status of the assets the SME chose to show: nothing more."""
    return "; ".join(
        f"{asset.get_asset_type_display()} ({asset.jurisdiction or '-'}, {asset.status})"
        for asset in technology.assets.all()
    )


def _contact():
    return f"IP Clinic <{settings.DEFAULT_FROM_EMAIL}>"


def technology_row(technology):
    return {
        "Listing ID": f"IPC-T-{technology.pk}",
        "Type": "technology",
        "Title": technology.title,
        "Title (Chinese)": technology.title_zh,
        "Description": technology.summary,
        "Description (Chinese)": technology.summary_zh,
        "Owner": technology.company.legal_name,
        "Country": technology.company.country.code,
        "Technology field": FIELDS.get(technology.green_area, ""),
        "Sub-field": SUB_FIELDS.get(technology.green_area, ""),
        "Development stage": stage_name(technology.trl),
        "TRL": technology.trl,
        "Offered or sought": "; ".join(OFFERS[o] for o in technology.offers if o in OFFERS),
        "IP status": _public_ip_status(technology),
        "Keywords": technology.keywords,
        "Contact": _contact(),
        "URL": settings.SITE_URL + reverse("matchmaking:technology", args=[technology.pk]),
    }


def need_row(need):
    return {
        "Listing ID": f"IPC-N-{need.pk}",
        "Type": "need",
        "Title": need.title,
        "Title (Chinese)": need.title_zh,
        "Description": need.summary,
        "Description (Chinese)": need.summary_zh,
        "Owner": need.partner.name,
        "Country": need.partner.country.code,
        "Technology field": FIELDS.get(need.sector, ""),
        "Sub-field": SUB_FIELDS.get(need.sector, ""),
        "Development stage": "",
        "TRL": "",
        "Offered or sought": "; ".join(OFFERS[o] for o in need.offers if o in OFFERS),
        "IP status": "",
        "Keywords": need.keywords,
        "Contact": _contact(),
        "URL": settings.SITE_URL + reverse("matchmaking:need", args=[need.pk]),
    }


def exportable(user):
    """What ``user`` may export: officers every approved technology and open need."""
    refuse_unless(permissions.can_review_listings(user), _("Only officers export listings."))
    technologies = (
        Technology.objects.filter(state=Technology.State.APPROVED)
        .select_related("company")
        .prefetch_related("assets")
        .order_by("pk")
    )
    needs = Need.objects.filter(state__in=Need.VISIBLE_STATES).select_related("partner")
    return [technology_row(t) for t in technologies] + [need_row(n) for n in needs.order_by("pk")]


def to_csv(rows):
    return csv_bytes(COLUMNS, [[row[c] for c in COLUMNS] for row in rows])


def to_json(rows):
    payload = {"format": "wipo-green-listings", "version": 1, "listings": rows}
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


# --- import


def _offers(text):
    wanted = {name.lower(): code for code, name in OFFERS.items()}
    return [
        wanted[p.strip().lower()] for p in (text or "").split(";") if p.strip().lower() in wanted
    ]


def _area(sub_field, field):
    by_name = {name.lower(): code for code, name in SUB_FIELDS.items()}
    if (sub_field or "").strip().lower() in by_name:
        return by_name[sub_field.strip().lower()]
    return next((code for code, name in FIELDS.items() if name == (field or "").strip()), "")


def _trl(value, stage):
    try:
        trl = int(str(value).strip())
    except ValueError:
        trl = next((top for top, name in STAGES if name.lower() == (stage or "").lower()), None)
    return trl if trl is None or 1 <= trl <= 9 else None


def parse(name, content):
    """The listing rows of an uploaded CSV or JSON file (dicts keyed by ``COLUMNS``)."""
    if len(content) > MAX_IMPORT_BYTES:
        raise Refused(code="invalid", message=_("The file may be at most 2 MB."))
    text = content.decode("utf-8-sig", errors="replace")
    try:
        if name.lower().endswith(".json"):
            data = json.loads(text)
            rows = data.get("listings", []) if isinstance(data, dict) else data
            rows = [r for r in rows if isinstance(r, dict)]
        else:
            rows = list(csv.DictReader(io.StringIO(text)))
    except (ValueError, csv.Error) as error:
        raise Refused(code="invalid", message=_("This file cannot be read.")) from error
    rows = [_plain_row(row) for row in rows[:MAX_IMPORT_ROWS]]
    if not rows or "Title" not in rows[0]:
        raise Refused(code="invalid", message=_("No listings with a Title column."))
    return rows


def _plain_row(row):
    """A row with text values only: a JSON number becomes its text, a list, object or null (or
    the extra cells of a CSV row) nothing, and NUL characters (which PostgreSQL refuses) go."""
    plain = {}
    for key, value in row.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if isinstance(key, str) and isinstance(value, str):
            plain[key.replace("\x00", "")] = value.replace("\x00", "")
    return plain


def _cell(row, column, limit):
    return plain_cell(str(row.get(column) or "").strip())[:limit]


@transaction.atomic
def import_rows(actor, rows):
    """Create or update imported WIPO GREEN listings from parsed rows.

    Checks: ``can_review_listings``. Rows without an id or title are skipped; a listing that is
    ours (an ``IPC-`` id) is skipped too. Side-effects: ExternalListing rows created or updated
    (one per type and id); one audit record with the counts. Returns (created, updated, skipped).
    """
    refuse_unless(permissions.can_review_listings(actor), _("Only officers import listings."))
    created = updated = skipped = 0
    for row in rows:
        external_id = _cell(row, "Listing ID", 64)
        title = _cell(row, "Title", TITLE_MAX) or _cell(row, "Title (Chinese)", TITLE_MAX)
        kind = "need" if _cell(row, "Type", 20).lower() == "need" else "technology"
        if not external_id or not title or external_id.startswith("IPC-"):
            skipped += 1
            continue
        change = _store(kind, external_id, title, row)
        created, updated = created + (change == "created"), updated + (change == "updated")
    if created or updated:
        marker = ExternalListing.objects.order_by("-imported_at").first()
        audit.record(
            marker,
            "wipo_green_import",
            actor=actor,
            reason=f"created {created}, updated {updated}, skipped {skipped}",
        )
    return created, updated, skipped


def _store(kind, external_id, title, row):
    """Create or update one listing; "created", "updated" or "" when the row changes nothing
    (so importing the same file again records nothing)."""
    values = {
        "title": title,
        "title_zh": _cell(row, "Title (Chinese)", TITLE_MAX),
        "summary": _cell(row, "Description", LONG_TEXT_MAX),
        "summary_zh": _cell(row, "Description (Chinese)", LONG_TEXT_MAX),
        "owner": _cell(row, "Owner", TITLE_MAX),
        "country": _cell(row, "Country", 60),
        "green_area": _area(row.get("Sub-field"), row.get("Technology field")),
        "trl": _trl(row.get("TRL", ""), row.get("Development stage")),
        "offers": _offers(row.get("Offered or sought")),
        "ip_status": _cell(row, "IP status", 300),
        "keywords": _cell(row, "Keywords", 300),
        "contact": _cell(row, "Contact", 200),
        "url": _url(_cell(row, "URL", 200)),
    }
    listing = ExternalListing.objects.filter(kind=kind, external_id=external_id).first()
    if listing is None:
        ExternalListing.objects.create(kind=kind, external_id=external_id, **values)
        return "created"
    changed = {name for name, value in values.items() if getattr(listing, name) != value}
    if not changed:
        return ""
    for name in changed:
        setattr(listing, name, values[name])
    listing.save(update_fields=[*sorted(changed), "imported_at"])
    return "updated"


def _url(value):
    return value if value.startswith(("https://", "http://")) else ""
