"""Matching over the database: needs ranked against approved technologies (and imported WIPO
GREEN technologies), technologies against open needs and investors, similar technologies and
search by what a technology does. Each function runs a fixed number of queries."""

from dataclasses import dataclass

from .. import engine
from ..models import ExternalListing, Need, PartnerOrganisation, Technology


def _text(listing):
    return "\n".join([listing.text_en(), listing.text_zh(), getattr(listing, "keywords", "")])


def technology_item(technology):
    regions = engine.region_tokens(technology.regions)
    return engine.Item(
        text=_text(technology),
        area=technology.green_area,
        trl=technology.trl,
        offers=set(technology.offers),
        regions=regions,
    )


def need_item(need):
    partner = need.partner
    regions = engine.region_tokens(f"{need.location} {partner.region} {partner.country.name}")
    return engine.Item(
        text=_text(need),
        area=need.sector,
        offers=set(need.offers),
        regions=regions,
        timeframe=need.timeframe,
    )


def external_item(listing):
    return engine.Item(
        text=_text(listing),
        area=listing.green_area,
        trl=listing.trl,
        offers=set(listing.offers),
        regions=engine.region_tokens(listing.country),
    )


def investor_item(partner):
    return engine.Item(
        text=f"{partner.offers}\n{partner.offers_zh}",
        offers={"investment"},
        regions=engine.region_tokens(f"{partner.region} {partner.country.name}"),
        timeframe="long",
    )


@dataclass
class Ranked:
    listing: object  # a Technology, Need, ExternalListing or PartnerOrganisation
    match: engine.Match
    introduced: bool = False  # an introduction of this pair exists (set by the page)

    @property
    def external(self):
        return isinstance(self.listing, ExternalListing)


def approved_technologies():
    return Technology.objects.filter(state=Technology.State.APPROVED).select_related("company")


def open_needs():
    return Need.objects.filter(state__in=Need.VISIBLE_STATES).select_related("partner")


def technologies_for(need, top=10, include_external=True):
    """The technologies best matching ``need``, best first, with their score breakdown."""
    candidates = list(approved_technologies())
    items = [technology_item(t) for t in candidates]
    if include_external:
        external = list(ExternalListing.objects.filter(kind=ExternalListing.Kind.TECHNOLOGY))
        candidates += external
        items += [external_item(e) for e in external]
    ranked = engine.rank_supply([need_item(need)], items, top=top)[0]
    return [Ranked(candidates[m.index], m) for m in ranked]


def needs_for(technology, top=10, include_external=True):
    """The open needs (and imported WIPO GREEN needs) best matching ``technology``."""
    candidates = list(open_needs())
    items = [need_item(n) for n in candidates]
    if include_external:
        external = list(ExternalListing.objects.filter(kind=ExternalListing.Kind.NEED))
        candidates += external
        items += [external_item(e) for e in external]
    ranked = engine.rank_demand(technology_item(technology), items, top=top)
    return [Ranked(candidates[m.index], m) for m in ranked]


def investors_for(technology, top=5):
    """Approved investors whose offer fits ``technology`` best."""
    candidates = list(
        PartnerOrganisation.objects.filter(
            kind=PartnerOrganisation.Kind.INVESTOR, state=PartnerOrganisation.State.APPROVED
        )
    )
    items = [investor_item(p) for p in candidates]
    ranked = engine.rank_demand(technology_item(technology), items, top=top)
    return [Ranked(candidates[m.index], m) for m in ranked]


def similar_technologies(technology, top=5):
    """Other approved technologies that do much the same (text similarity)."""
    others = list(approved_technologies().exclude(pk=technology.pk))
    hits = engine.similar(_text(technology), [_text(t) for t in others], top=top)
    return [(others[i], round(score * 100)) for i, score in hits]


def search(queryset, query, limit=500):
    """Primary keys of ``queryset``'s rows by how well they answer ``query`` (what they do, in
    either language), best first; rows that share nothing with the query are left out."""
    rows = list(
        queryset.values_list("pk", "title", "title_zh", "summary", "summary_zh", "keywords")
    )
    texts = ["\n".join(row[1:]) for row in rows]
    hits = engine.similar(query, texts, top=limit, minimum=0.01)
    return [rows[i][0] for i, _score in hits]
