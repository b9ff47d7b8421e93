"""Who may see and do what in matchmaking: one function per rule (docs/rules.md lists them).

Scopes are querysets; a row outside the user's scope answers 404. Partners are representatives
of an *approved* partner organisation: they see approved technologies, open needs, approved
partners, their own organisation's needs and their own introductions, and of a technology's IP
assets only type, jurisdiction and status. Nothing else of an SME (applications, audit, asset
register, sessions, plans) is reachable for them: those pages keep their own scopes.
"""

from django.db.models import Q

from clinic import permissions as core

from .models import Introduction, Need, PartnerOrganisation, Technology
from .transitions import NEED, TECHNOLOGY

is_officer = core.is_officer


def partner_organisations(user):
    """The approved partner organisations ``user`` represents."""
    if not core.is_partner(user):
        return PartnerOrganisation.objects.none()
    return PartnerOrganisation.objects.filter(
        representatives=user, state=PartnerOrganisation.State.APPROVED
    )


def is_active_partner(user):
    return partner_organisations(user).exists()


def _represented_company_ids(user):
    if not user.is_authenticated:
        return []
    return list(user.companies.values_list("pk", flat=True)) if core.is_sme(user) else []


def may_browse(user):
    """Programme people (any role) and active partners see the approved listings."""
    if not user.is_authenticated or not user.is_active:
        return False
    if core.is_partner(user) and not core.has_role(
        user, "sme", "reviewer", "expert", "officer", "lead"
    ):
        return is_active_partner(user)
    return core.has_role(user, "sme", "reviewer", "expert", "officer", "lead")


def can_list_partners(user):
    """The partners page: whoever browses the listings, and officers."""
    return may_browse(user) or is_officer(user)


def can_list_needs(user):
    """The needs page: whoever browses the listings, and the representatives of an approved
    partner."""
    return may_browse(user) or is_active_partner(user)


def visible_technologies(user):
    """Officers: all; representatives: their companies' in any state; everyone who may browse:
    approved ones."""
    if is_officer(user):
        return Technology.objects.all()
    scope = Q(company__in=_represented_company_ids(user))
    if may_browse(user):
        scope |= Q(state=Technology.State.APPROVED)
    return Technology.objects.filter(scope)


def editable_technologies(user):
    """An SME edits only its own technologies, while they are drafts or returned."""
    return Technology.objects.filter(
        company__in=_represented_company_ids(user),
        state__in=TECHNOLOGY.sources("submit"),  # drafts and returned ones
    )


def publishing_companies(user):
    """Companies ``user`` represents that take part in a cohort (not dropped out)."""
    from clinic.models import Company

    return (
        Company.objects.filter(
            pk__in=_represented_company_ids(user),
            participations__isnull=False,
        )
        .exclude(participations__state="dropped_out")
        .distinct()
    )


def can_publish_technology(user, company):
    return publishing_companies(user).filter(pk=company.pk).exists()


def owns_technology(user, technology):
    return technology.company_id in _represented_company_ids(user)


def sees_full_assets(user, technology):
    """The owner, officers and those who may open the company see the whole asset entries;
    others (partners, other SMEs) only type, jurisdiction and status."""
    return core.visible_companies(user).filter(pk=technology.company_id).exists()


def visible_needs(user):
    """Officers: all; partner representatives: their organisation's in any state; everyone who
    may browse: open and matched needs."""
    if is_officer(user):
        return Need.objects.all()
    scope = Q(partner__in=partner_organisations(user))
    if may_browse(user):
        scope |= Q(state__in=Need.VISIBLE_STATES)
    return Need.objects.filter(scope)


def owns_need(user, need):
    return partner_organisations(user).filter(pk=need.partner_id).exists()


def need_partners(user):
    """Organisations ``user`` may post needs for: officers any approved one, partners theirs."""
    if is_officer(user):
        return PartnerOrganisation.objects.filter(state=PartnerOrganisation.State.APPROVED)
    return partner_organisations(user)


def editable_needs(user):
    return Need.objects.filter(partner__in=need_partners(user), state__in=NEED.sources("submit"))


def can_review_listings(user):
    """Officers approve or return technologies and needs, and run the WIPO GREEN bridge."""
    return is_officer(user)


def owns_listing(user, listing):
    """The company's representatives for a technology; for a need its partner's
    representatives (and officers, who may post needs for a partner)."""
    if isinstance(listing, Technology):
        return owns_technology(user, listing)
    return need_partners(user).filter(pk=listing.partner_id).exists()


def may_review(user, listing):
    """Officers approve or return a submitted technology or need."""
    return can_review_listings(user)


def owner_or_officer(user, listing):
    """A listing is withdrawn or closed by its owners or an officer."""
    return is_officer(user) or owns_listing(user, listing)


def can_see_matches(user, listing):
    """Officers, experts and the listing's owners see its ranked matches."""
    if is_officer(user) or core.is_expert(user):
        return True
    if isinstance(listing, Technology):
        return owns_technology(user, listing)
    return owns_need(user, listing)


def visible_partners(user):
    """Officers: all; others who may browse: approved organisations (and their own)."""
    if is_officer(user):
        return PartnerOrganisation.objects.all()
    if not user.is_authenticated:
        return PartnerOrganisation.objects.none()
    scope = Q(representatives=user)
    if may_browse(user):
        scope |= Q(state=PartnerOrganisation.State.APPROVED)
    return PartnerOrganisation.objects.filter(scope).distinct()


def can_manage_partners(user):
    """Officers add partner organisations, approve self-registered ones and invite people."""
    return is_officer(user)


def can_edit_partner(user, organisation):
    return is_officer(user) or partner_organisations(user).filter(pk=organisation.pk).exists()


def sees_representatives(user, organisation):
    return can_edit_partner(user, organisation)


def visible_introductions(user):
    """Officers: all; the technology's company and the partner organisation: theirs."""
    if is_officer(user):
        return Introduction.objects.all()
    return Introduction.objects.filter(
        Q(technology__company__in=_represented_company_ids(user))
        | Q(partner__in=partner_organisations(user))
    )


def introduction_sides(user, introduction):
    """The sides ``user`` speaks for: {"provider", "partner"} (either, both or none)."""
    sides = set()
    if introduction.technology.company_id in _represented_company_ids(user):
        sides.add("provider")
    if partner_organisations(user).filter(pk=introduction.partner_id).exists():
        sides.add("partner")
    return sides


SIDES = ("provider", "partner")


def _accepts_for(user, side):
    """The rule of accepting for ``side``, as a condition on introductions: ``user`` speaks for
    that side, does not speak for the other one, did not propose the introduction and did not
    accept the other side. One person never accepts both sides (self-dealing): an account on
    both sides needs a colleague who represents only one of them."""
    provider = Q(technology__company__in=_represented_company_ids(user))
    partner = Q(partner__in=partner_organisations(user))
    own, other = (provider, partner) if side == "provider" else (partner, provider)
    other_side = "partner" if side == "provider" else "provider"
    return own & ~other & ~Q(proposed_by=user) & ~Q(**{f"{other_side}_accepted_by": user})


def acceptable_sides(user, introduction):
    """The sides ``user`` may accept ``introduction`` for (``_accepts_for``), accepted or not."""
    if not user.is_authenticated:
        return set()
    rows = Introduction.objects.filter(pk=introduction.pk)
    return {side for side in SIDES if rows.filter(_accepts_for(user, side)).exists()}


def introductions_to_accept(user):
    """Proposed introductions with a side ``user`` may still accept (My tasks)."""
    if not user.is_authenticated:
        return Introduction.objects.none()
    return Introduction.objects.filter(state=Introduction.State.PROPOSED).filter(
        (_accepts_for(user, "provider") & Q(provider_accepted_at=None))
        | (_accepts_for(user, "partner") & Q(partner_accepted_at=None))
    )


def can_propose_introduction(user):
    return is_officer(user)


def can_see_contacts(user, introduction):
    """Contact data shows to the two sides only once both accepted (officers always)."""
    if is_officer(user):
        return True
    return bool(introduction_sides(user, introduction)) and introduction.accepted_by_both


def may_close_introduction(user, introduction):
    """Officers and either side close an introduction (declining counts)."""
    return is_officer(user) or bool(introduction_sides(user, introduction))


def can_record_outcome(user, introduction):
    """Officers and, once both accepted, either side record meetings, MOUs and deployments."""
    return can_see_contacts(user, introduction)
