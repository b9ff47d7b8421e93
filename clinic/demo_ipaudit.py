"""Demo IP audits and asset registers for the running cohort's SMEs (sme1 … sme20).

Idempotent: a company that already has an audit on the demo version is left as it is. Audits go
through the services as in real use (mail queued, audit log, the audit_submitted signal); only
their dates are set back afterwards.
"""

from datetime import timedelta

from django.utils import timezone

from .dimensions import MAX_MATURITY
from .models import AuditRound, IPAsset, IPAudit
from .services import ipaudit, ipaudit_answers

RUNNING_COMPANIES = 20
RETURNED = (18, 19)  # returned for correction, waiting for the SME
DRAFT = (20,)  # still being filled in
CORRECTED = (3, 7)  # returned once, corrected and submitted again

TEXTS = {
    "unregistered_assets": (
        "Control software for the pilot line, process know-how for coating, customer list.",
        "中试线控制软件、涂层工艺诀窍、客户名单。",
    ),
    "known_third_party_risks": (
        "A competitor holds patents on similar membrane modules in Germany.",
        "一家竞争对手在德国拥有类似膜组件的专利。",
    ),
    "export_markets": ("Southeast Asia, Germany, Chile", "东南亚、德国、智利"),
    "past_infringements": (
        "Copies of our product seen on an online marketplace in 2024; not pursued.",
        "2024年在电商平台发现仿冒产品，未采取行动。",
    ),
    "green_impact_evidence": (
        "Third-party test report on energy savings (32 %) from a certified laboratory.",
        "经认证实验室出具的第三方节能测试报告（节能32%）。",
    ),
}
RETURN_COMMENTS = {
    "3": (
        "Please check the contractor agreements again: the software was written by a contractor.",
        "请再次核对外包合同：软件是由外包方开发的。",
    ),
    "5": (
        "Say which patents the filing strategy covers and attach the patent list.",
        "请说明申请策略涵盖哪些专利，并附上专利清单。",
    ),
}


def seed(demo):
    version = ipaudit.ensure_default_version()
    companies = demo["companies"][:RUNNING_COMPANIES]
    officer = demo["users"].get("officer")
    created = 0
    for index, company in enumerate(companies, start=1):
        if IPAudit.objects.filter(company=company, version=version).exists():
            continue
        seed_company(index, company, version, officer)
        created += 1
    demo["ip_audit_version"] = version
    demo["log"](
        f"IP audits: {created} new for the running cohort's SMEs (questionnaire {version.version})"
    )


def level_for(index, dimension):
    """A company profile (stronger on some dimensions) that stays the same on every run."""
    base = 1 + index % 3  # 1, 2 or 3
    wobble = {0: -1, 1: -1, 2: 0, 3: 1, 4: 1}[(index * 7 + dimension * 3) % 5]
    return max(0, min(MAX_MATURITY, base + wobble))


def answers_for(index, version, language):
    values, notes = {}, {}
    for question in version.questions():
        key, dimension = question["key"], question["dimension"]
        level = level_for(index, dimension)
        spread = (index + len(key)) % 7
        if question["type"] == "maturity":
            values[key] = str(max(0, min(MAX_MATURITY, level + (1 if spread == 0 else 0))))
        elif question["type"] == "yes_no":
            if spread == 6 and dimension in (7, 9, 10):
                values[key] = ipaudit_answers.NOT_SURE
            elif level >= 3 or (level == 2 and spread < 3):
                values[key] = "yes"
            elif level >= 1 and spread < 5:
                values[key] = "partly"
            else:
                values[key] = "no"
        elif question["type"] == "number":
            values[key] = str(
                {
                    "ip_spending_last_year": 20000 * (1 + index % 6),
                    "patent_filings_last_three_years": index % 5,
                    "ip_income_last_year": 0 if index % 4 else 150000,
                }.get(key, index % 4)
            )
        elif key in TEXTS and (index + dimension) % 3:
            values[key] = TEXTS[key][1 if language.startswith("zh") else 0]
        if question["type"] == "maturity" and index % 4 == 0 and dimension in (3, 4):
            notes[key] = (
                "劳动合同中有保密条款，但没有发明归属条款。"
                if language.startswith("zh")
                else "Employment contracts have a confidentiality clause but no invention clause."
            )
    return values, notes


def seed_company(index, company, version, officer):
    """One company's audit through the services (so its mail is queued as in real use), then
    dated back: started some weeks ago, each round submitted and returned days apart."""
    representative = company.representatives.first()
    started = timezone.now() - timedelta(days=5 if index in DRAFT else 40 - index % 10)
    audit_obj = ipaudit.start_audit(company, version)
    values, notes = answers_for(index, version, company.correspondence_language)
    if index in DRAFT:
        keys = {q["key"] for q in version.questions() if q["dimension"] <= 4}
        values = {key: value for key, value in values.items() if key in keys}
    for key, value in values.items():
        ipaudit.save_answer(representative, audit_obj, key, value, notes.get(key))
    seed_assets(index, company)
    submitted = None
    if index not in DRAFT:
        submitted = started + timedelta(days=9 + index % 4)
        rounds = 2 if index in CORRECTED else 1
        for number in range(1, rounds + 1):
            ipaudit.submit_audit(representative, audit_obj)
            returned = number < rounds or index in RETURNED
            if returned:
                give_back(audit_obj, officer, company.correspondence_language)
            AuditRound.objects.filter(audit=audit_obj, number=number).update(
                submitted_at=submitted,
                returned_at=submitted + timedelta(days=2) if returned else None,
            )
            if number < rounds:
                submitted += timedelta(days=4)
    IPAudit.objects.filter(pk=audit_obj.pk).update(
        started_at=started, due_at=started + timedelta(days=14), submitted_at=submitted
    )


def give_back(audit_obj, officer, language):
    zh = 1 if language.startswith("zh") else 0
    ipaudit.return_audit(
        officer,
        audit_obj,
        {int(key): texts[zh] for key, texts in RETURN_COMMENTS.items()},
        "请补充以下两部分后重新提交。" if zh else "Please complete two sections and submit again.",
    )


def years_ago(today, years):
    return today - timedelta(days=round(365.25 * years))


def seed_assets(index, company):
    if company.ip_assets.exists():
        return
    today = timezone.localdate()
    brand = company.legal_name.split()[1]
    year = today.year
    T, S = IPAsset.Type, IPAsset.Status
    catalogue = [
        dict(
            asset_type=T.PATENT,
            title=f"{company.description.rstrip('.')} – core method",
            jurisdiction="CN",
            number=f"ZL{year - 4}1{index:04d}5678.{index % 9}",
            status=S.GRANTED,
            filing_date=years_ago(today, 5) - timedelta(days=index * 3),
            grant_date=years_ago(today, 3),
            renewal_date=today + timedelta(days=40 + index * 9),
            business_relevance=IPAsset.Relevance.HIGH,
        ),
        dict(
            asset_type=T.UTILITY_MODEL,
            title="Mounting bracket for field installation",
            jurisdiction="CN",
            number=f"ZL{year - 2}2{index:04d}1234.{index % 7}",
            status=S.GRANTED,
            filing_date=years_ago(today, 2) - timedelta(days=60),
            grant_date=years_ago(today, 1),
            renewal_date=today + timedelta(days=250 + index * 5),
            business_relevance=IPAsset.Relevance.MEDIUM,
        ),
        dict(
            asset_type=T.TRADEMARK,
            title=f"{brand} (word and logo)",
            jurisdiction="CN",
            number=f"{40000000 + index * 1111}",
            status=S.GRANTED,
            filing_date=years_ago(today, 8) + timedelta(days=index),
            grant_date=years_ago(today, 7),
            renewal_date=today + timedelta(days=100 + index * 20),
            business_relevance=IPAsset.Relevance.HIGH,
        ),
        dict(
            asset_type=T.PATENT,
            title="Improved process control (PCT application)",
            jurisdiction="PCT",
            number=f"PCT/CN{year - 1}/{index:06d}",
            status=S.FILED,
            filing_date=today - timedelta(days=200 + index * 4),
            business_relevance=IPAsset.Relevance.HIGH,
        ),
        dict(
            asset_type=T.COPYRIGHT,
            title="Monitoring platform software V2.0",
            jurisdiction="CN",
            number=f"{year - 2}SR{index:07d}",
            status=S.GRANTED,
            filing_date=years_ago(today, 2),
            grant_date=years_ago(today, 2) + timedelta(days=45),
            business_relevance=IPAsset.Relevance.MEDIUM,
        ),
        dict(
            asset_type=T.TRADE_SECRET,
            title="Formulation and process parameters",
            owner=company.legal_name,
            status=S.IDEA,
            business_relevance=IPAsset.Relevance.HIGH,
            notes="Kept by two engineers; access list maintained.",
        ),
        dict(
            asset_type=T.DOMAIN_NAME,
            title=company.website.removeprefix("https://www."),
            jurisdiction=".cn",
            status=S.GRANTED,
            filing_date=years_ago(today, 6),
            grant_date=years_ago(today, 6),
            renewal_date=today + timedelta(days=15 + index * 11),
            business_relevance=IPAsset.Relevance.LOW,
        ),
    ]
    count = 3 + index % 5
    assets = [
        IPAsset(company=company, **{"owner": company.legal_name, **fields})
        for fields in catalogue[:count]
    ]
    for asset in assets:
        asset.full_clean()
    IPAsset.objects.bulk_create(assets)
