"""Builders for the matchmaking tests: participating SMEs, partners, listings, introductions."""

import pytest
from django.utils import translation

from clinic import roles
from clinic.models import IPAsset
from mentoring.matchmaking.models import Need, PartnerOrganisation, Technology
from mentoring.matchmaking.services import introductions, listings
from tests.factories import CohortFactory, make_user
from tests.mentoring.helpers import bare_participant


def officer(**kwargs):
    return make_user(roles.OFFICER, **kwargs)


def sme(cohort=None, **company_kwargs):
    """A participating company and its representative."""
    participation, representative = bare_participant(cohort or CohortFactory(), **company_kwargs)
    return participation.company, representative


def partner(kind=PartnerOrganisation.Kind.CITY, state=PartnerOrganisation.State.APPROVED, **kw):
    """An organisation and its representative (partner role)."""
    user = make_user(roles.PARTNER, **kw)
    organisation = PartnerOrganisation.objects.create(
        kind=kind,
        name=f"Partner of {user.username}",
        name_zh="合作伙伴",
        region="Beijing",
        state=state,
        offers="Pilot sites and co-funding",
    )
    organisation.representatives.add(user)
    return organisation, user


def asset(company, **fields):
    values = {
        "asset_type": IPAsset.Type.PATENT,
        "title": "Secret membrane recipe",
        "number": "CN2024123456",
        "jurisdiction": "CN",
        "status": IPAsset.Status.FILED,
    }
    return IPAsset.objects.create(company=company, **{**values, **fields})


def technology(company, representative, *, state="draft", staff=None, **fields):
    values = {
        "title": "Catalytic filter for boiler flue gas",
        "title_zh": "锅炉烟气催化过滤器",
        "summary": "Removes NOx and particulate dust from coal boiler flue gas in one step.",
        "summary_zh": "一步去除燃煤锅炉烟气中的氮氧化物和颗粒物。",
        "green_area": "air_pollution",
        "trl": 7,
        "offers": ["licensing"],
        "regions": "China, Beijing",
    }
    values.update(fields)
    item = listings.save_technology(
        representative, Technology(company=company, **values), list(values)
    )
    if state in ("submitted", "approved"):
        listings.move_listing(representative, item, "submit")
    if state == "approved":
        listings.move_listing(staff or officer(), item, "approve")
    item.refresh_from_db()
    return item


def need(organisation, user, *, state="open", staff=None, **fields):
    values = {
        "title": "Air pollution control",
        "title_zh": "大气污染治理",
        "summary": "Reduce NOx and dust from small boilers.",
        "summary_zh": "降低小型燃煤锅炉的氮氧化物和颗粒物排放。",
        "sector": "air_pollution",
        "timeframe": "short",
        "offers": ["licensing"],
        "location": "Beijing",
    }
    values.update(fields)
    item = listings.save_need(user, Need(partner=organisation, **values), list(values))
    if state in ("submitted", "open"):
        listings.move_listing(user, item, "submit")
    if state == "open":
        listings.move_listing(staff or officer(), item, "approve")
    item.refresh_from_db()
    return item


def introduced(staff=None):
    """An introduction of an approved technology to an open need, and everybody involved."""
    staff = staff or officer()
    company, provider = sme()
    organisation, owner = partner()
    tech = technology(company, provider, state="approved", staff=staff)
    challenge = need(organisation, owner, staff=staff)
    introduction, _created = introductions.propose(staff, tech, organisation, challenge, "Fit")
    return introduction, provider, owner, staff


def assert_chinese(text, msgid, chinese):
    """``chinese`` is in ``text`` once the catalogue has ``msgid`` compiled (skips before: the
    coordinator compiles locale/incoming/match.po)."""
    with translation.override("zh-hans"):
        if translation.gettext(msgid) == msgid:
            pytest.skip(f"{msgid!r} is not compiled into the zh-hans catalogue yet")
    assert chinese in text
