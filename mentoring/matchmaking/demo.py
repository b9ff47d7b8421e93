"""Demo matchmaking: the Beijing pilot's partners of each kind (``partner1``…), its green
challenges as needs, technologies of the running cohort's companies, introductions in every
state (two MOUs, one deployment) and a WIPO GREEN import. Everything goes through the services,
so the audit history and the outbox look as in real use. Idempotent: nothing is made twice."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from clinic.demo import demo_user
from clinic.models import Company
from mentoring.models import Participation

from .demo_data import NEEDS, PARTNERS, TECHNOLOGIES
from .models import Introduction, Need, PartnerOrganisation, Technology
from .services import introductions, listings, wipo
from .services import partners as partner_service

SAMPLE = Path(settings.BASE_DIR) / "docs" / "wipo-green-sample.csv"


def seed(demo):
    officer = demo["users"]["officer"]
    cohort = demo.get("cohort_running")
    if cohort is None:
        return
    partners = seed_partners(demo, officer)
    needs = seed_needs(officer, partners)
    technologies = seed_technologies(officer, cohort)
    made = seed_introductions(officer, needs, technologies, partners)
    imported = seed_wipo(officer)
    demo["log"](
        f"Matchmaking: {len(partners)} partners, {len(needs)} needs, {len(technologies)} "
        f"technologies, {made} new introductions, {imported} WIPO GREEN listings imported"
    )


def seed_partners(demo, officer):
    password = make_password(demo["password"])
    result = {}
    for username, kind, name, name_zh, region, offers, offers_zh in PARTNERS:
        organisation = PartnerOrganisation.objects.filter(name=name).first()
        if organisation is None:
            organisation = partner_service.save_partner(
                officer,
                PartnerOrganisation(
                    kind=kind,
                    name=name,
                    name_zh=name_zh,
                    region=region,
                    offers=offers,
                    offers_zh=offers_zh,
                ),
                ["kind", "name", "name_zh", "region", "offers", "offers_zh"],
            )
        language = "zh-hans" if username != "partner6" else "en"
        user = demo_user(username, "Partner", username[-1], ["partner"], language, password)
        organisation.representatives.add(user)
        demo["users"][username] = user
        result[username] = organisation
    return result


def seed_needs(officer, partners):
    needs = {}
    for (
        key,
        username,
        sector,
        title,
        title_zh,
        summary,
        summary_zh,
        location,
        budget,
        time,
        offers,
    ) in NEEDS:
        partner = partners[username]
        need = Need.objects.filter(partner=partner, title=title).first()
        if need is None:
            author = partner.representatives.first()
            need = listings.save_need(
                author,
                Need(
                    partner=partner,
                    sector=sector,
                    title=title,
                    title_zh=title_zh,
                    summary=summary,
                    summary_zh=summary_zh,
                    location=location,
                    budget_min=budget[0],
                    budget_max=budget[1],
                    timeframe=time,
                    offers=offers,
                ),
                ["title", "title_zh", "summary", "summary_zh", "sector"],
            )
            listings.move_listing(author, need, "submit")
            listings.move_listing(officer, need, "approve")
        needs[key] = need
    return needs


def _company_for(cohort, area, used):
    companies = (
        Company.objects.filter(participations__cohort=cohort)
        .exclude(participations__state=Participation.State.DROPPED_OUT)
        .exclude(pk__in=used)
    )
    return companies.filter(green_area=area).first() or companies.order_by("pk").first()


def seed_technologies(officer, cohort):
    technologies, used = {}, set()
    for index, (
        key,
        area,
        title,
        title_zh,
        summary,
        summary_zh,
        trl,
        offers,
        regions,
        keywords,
    ) in enumerate(TECHNOLOGIES):
        technology = Technology.objects.filter(title=title).first()
        if technology is None:
            company = _company_for(cohort, area, used)
            if company is None:
                break
            author = company.representatives.first()
            technology = listings.save_technology(
                author,
                Technology(
                    company=company,
                    green_area=area,
                    title=title,
                    title_zh=title_zh,
                    summary=summary,
                    summary_zh=summary_zh,
                    trl=trl,
                    offers=offers,
                    regions=regions,
                    keywords=keywords,
                    sdgs=[9, 11, 13],
                ),
                ["title", "title_zh", "summary", "summary_zh"],
                list(company.ip_assets.all()[:2]),
            )
            if index < len(TECHNOLOGIES) - 1:  # the last stays a draft
                listings.move_listing(author, technology, "submit")
            if index < len(TECHNOLOGIES) - 2:  # the one before waits for approval
                listings.move_listing(officer, technology, "approve")
        used.add(technology.company_id)
        technologies[key] = technology
    return technologies


def _accept_both(introduction):
    introductions.accept(introduction.technology.company.representatives.first(), introduction)
    introductions.accept(introduction.partner.representatives.first(), introduction)


def seed_introductions(officer, needs, technologies, partners):
    """Introductions in every state: proposed, accepted, meeting held, two MOUs (one of them
    deployed) and one closed."""
    if Introduction.objects.exists() or len(technologies) < 7:
        return 0
    today = timezone.localdate()
    plan = [
        ("amine", "co2", "mou"),
        ("sensor", "air", "deployed"),
        ("sorting", "waste", "meeting"),
        ("kitchen", "waste", "accepted"),
        ("catalyst", "cement", "proposed"),
        ("heatpump", "boiler", "closed"),
    ]
    for tech_key, need_key, stage in plan:
        need = needs[need_key]
        introduction, _created = introductions.propose(
            officer,
            technologies[tech_key],
            need.partner,
            need,
            "Good fit with the Beijing pilot's challenge.",
            80,
        )
        if stage == "proposed":
            continue
        if stage == "closed":
            introductions.close(officer, introduction, "The utility chose an in-house solution.")
            continue
        _accept_both(introduction)
        if stage == "accepted":
            continue
        introductions.schedule_meeting(
            officer, introduction, timezone.now() - timedelta(days=20), "Beijing pilot office"
        )
        introductions.record_meeting(officer, introduction)
        if stage == "meeting":
            continue
        introductions.sign_mou(
            officer,
            introduction,
            today - timedelta(days=10),
            "Pilot installation and data sharing for twelve months.",
        )
        if stage == "deployed":
            introductions.record_deployment(
                officer,
                introduction,
                today - timedelta(days=2),
                "Beijing, Dongcheng district",
                "40 sensors online; PM2.5 hot spots found at 6 construction sites.",
            )
    investor = partners["partner6"]
    introductions.propose(
        officer,
        technologies["sorting"],
        investor,
        None,
        "Investor interested in waste technologies.",
        70,
    )
    return len(plan) + 1


def seed_wipo(officer):
    if not SAMPLE.exists():
        return 0
    rows = wipo.parse(SAMPLE.name, SAMPLE.read_bytes())
    created, _updated, _skipped = wipo.import_rows(officer, rows)
    return created
