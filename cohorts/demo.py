"""Demo programme and cohorts; all dates are relative to the day the demo is seeded."""

from datetime import timedelta

from django.utils import timezone

from .demo_messages import seed_messages
from .demo_selection import seed_running_selection, seed_selection_proposal
from .models import Cohort, Programme

TERMS = (
    "Participants attend the kick-off and at least four mentoring sessions, complete the IP audit, "
    "and report on their action plan at 6 and 12 months. Information shared is confidential."
)
TERMS_ZH = (
    "参与企业须参加启动会及至少四次辅导会议，完成知识产权审计，并在第 6 个月和第 12 个月报告行动"
    "计划的进展。所分享的信息均予保密。"
)


def seed(demo):
    programme, _created = Programme.objects.get_or_create(
        name="China Greentech IP Management Clinic",
        defaults={
            "name_zh": "中国绿色技术知识产权管理诊所",
            "organiser": "National IP office with WIPO",
            "partners": "Local implementing partner: Greentech Innovation Centre",
            "description": (
                "Selected green-technology SMEs audit their IP, receive one-on-one mentoring from "
                "IP experts and leave with an IP strategy assessment and an IP action plan."
            ),
        },
    )
    now = timezone.now()
    today = timezone.localdate()
    demo["programme"] = programme
    demo["cohort_open"] = demo_cohort(
        programme,
        "Beijing 2027",
        "北京 2027",
        opens=now - timedelta(days=10),
        closes=now + timedelta(days=20),
        start=today + timedelta(days=45),
    )
    demo["cohort_selection"] = demo_cohort(
        programme,
        "Shanghai 2026",
        "上海 2026",
        opens=now - timedelta(days=50),
        closes=now - timedelta(days=12),
        start=today + timedelta(days=20),
    )
    demo["cohort_running"] = demo_cohort(
        programme,
        "Shenzhen 2026",
        "深圳 2026",
        opens=now - timedelta(days=150),
        closes=now - timedelta(days=110),
        start=today - timedelta(days=75),
    )
    demo["log"]("Programme and cohorts: open, in selection, running")
    seed_applications(demo)


def demo_cohort(programme, name, name_zh, *, opens, closes, start):
    cohort, _created = Cohort.objects.get_or_create(
        programme=programme,
        name=name,
        defaults={
            "name_zh": name_zh,
            "description": "Twenty green-technology SMEs, four months of IP mentoring.",
            "country": "CN",
            "applications_open_at": opens,
            "applications_close_at": closes,
            "review_deadline": closes + timedelta(days=10),
            "start_date": start,
            "end_date": start + timedelta(days=120),
            "terms_text": TERMS,
            "terms_text_zh": TERMS_ZH,
        },
    )
    return cohort


TITLES = {
    "renewable_energy": ("Perovskite-silicon tandem modules", "钙钛矿-晶硅叠层组件"),
    "storage_hydrogen": ("Compact PEM electrolyser stack", "紧凑型PEM电解槽"),
    "energy_efficiency": ("AI-controlled industrial heat pumps", "AI控制工业热泵"),
    "transport_fuels": ("Battery swapping for delivery scooters", "外卖电动车换电站"),
    "carbon_capture": ("CO2 mineralisation into aggregates", "二氧化碳矿化骨料"),
    "air_pollution": ("Low-temperature VOC catalysts", "低温VOC催化剂"),
    "water": ("Decentralised membrane bioreactors", "分散式膜生物反应器"),
    "waste_circular": ("Chemical recycling of mixed plastics", "混合塑料化学回收"),
    "green_buildings": ("Phase-change insulation panels", "相变保温板"),
    "agriculture_food": ("Precision irrigation sensors", "精准灌溉传感器"),
    "materials": ("Bamboo-fibre packaging composites", "竹纤维包装复合材料"),
}


STAGES = ["idea", "proof_of_concept", "prototype", "pilot", "market"]


SDGS = {
    "renewable_energy": [7, 13],
    "storage_hydrogen": [7, 9, 13],
    "energy_efficiency": [7, 12],
    "transport_fuels": [11, 13],
    "carbon_capture": [9, 13],
    "air_pollution": [3, 11],
    "water": [6, 14],
    "waste_circular": [12, 14],
    "green_buildings": [11, 7],
    "agriculture_food": [2, 15],
    "materials": [12, 15],
}


def demo_pdf(title):
    """A one-page PDF pitch deck made with reportlab."""
    from io import BytesIO

    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=landscape(A4))
    page.setFont("Helvetica-Bold", 28)
    page.drawString(60, 420, title[:60])
    page.setFont("Helvetica", 16)
    page.drawString(60, 380, "Pitch deck - IP Management Clinic application (demo)")
    page.showPage()
    page.save()
    return buffer.getvalue()


def fill(application, index, rng, *, complete=True):
    from django.core.files.base import ContentFile

    area = application.company.green_area
    title, title_zh = TITLES[area]
    application.tech_area = area
    application.tech_title = f"{title} ({title_zh})"
    application.tech_description = application.company.description or title
    if not complete:
        return application
    application.development_stage = STAGES[index % len(STAGES)]
    application.green_impact = (
        f"Cuts emissions of our customers by {10 + index % 40} % compared with the usual solution."
    )
    application.sdg_goals = SDGS[area]
    application.patents_granted = rng.randint(0, 4)
    application.patents_pending = rng.randint(0, 3)
    application.utility_models = rng.randint(0, 6)
    application.trademarks = rng.randint(0, 3)
    application.designs = rng.randint(0, 2)
    application.software_copyrights = rng.randint(0, 3)
    application.trade_secrets = bool(index % 2)
    application.ip_challenges = (
        "Competitors copy our designs; we do not know which inventions to patent before export. "
        "我们不清楚出口前应申请哪些专利。"
    )
    application.motivation = "We want an IP strategy that supports financing and export."
    application.commitment = True
    application.pitch_deck.save(f"deck-{index}.pdf", ContentFile(demo_pdf(title)), save=False)
    return application


def seed_applications(demo):
    import random

    from clinic.services import audit
    from cohorts.services import applications as app_services
    from cohorts.services import reviews as review_services
    from cohorts.services import screening

    from .models import Application
    from .permissions import is_conflicted
    from .services.rubric import ensure_rubric

    users = demo["users"]
    officer, officer2 = users["officer"], users["officer2"]
    reviewers = [users[f"reviewer{i}"] for i in range(1, 7)]
    companies = demo["companies"]
    rng = random.Random(2026)
    state = Application.State
    created = {"count": 0}

    def representative(company):
        return company.representatives.order_by("pk").first()

    def make(cohort, company, index, *, complete=True):
        existing = Application.objects.filter(cohort=cohort, company=company).first()
        if existing is not None:
            return existing, False
        application = Application(
            cohort=cohort, company=company, created_by=representative(company)
        )
        fill(application, index, rng, complete=complete)
        application.save()
        audit.record(application, "created", actor=representative(company), to_state=state.DRAFT)
        created["count"] += 1
        return application, True

    def submit(application, at):
        return app_services.submit(representative(application.company), application, at=at)

    def score(review, base):
        criteria = ensure_rubric(review.application.cohort)
        return {c.pk: max(1, min(5, base + rng.choice([-1, 0, 0, 1]))) for c in criteria}

    # Open cohort: every early state; sme1 has a complete draft to submit.
    cohort = demo["cohort_open"]
    ensure_rubric(cohort)
    now = timezone.now()
    plan_open = [
        (0, "draft"),
        (1, "partial"),
        (2, "partial"),
        (3, "submitted"),
        (4, "submitted"),
        (5, "submitted"),
        (6, "submitted"),
        (7, "submitted"),
        (19, "submitted"),  # a large company: the size rule fails
        (8, "needs_info"),
        (9, "ineligible"),
        (10, "under_review"),
        (11, "under_review"),
        (12, "under_review"),
        (13, "eligible"),
        (14, "withdrawn"),
    ]
    for index, target in plan_open:
        application, new = make(cohort, companies[index], index, complete=target != "partial")
        if not new or target in ("draft", "partial"):
            continue
        submit(application, now - timedelta(days=9 - index % 8, hours=index))
        if target == "needs_info":
            screening.request_information(
                officer,
                application,
                "Please upload your business licence and state your 2025 turnover. "
                "请补充营业执照并说明2025年营业额。",
            )
        elif target == "ineligible":
            screening.mark_ineligible(
                officer2, application, "The company is registered outside the eligible region."
            )
        elif target in ("eligible", "under_review"):
            screening.confirm_eligible(officer, application)
            if target == "under_review":
                for reviewer in (reviewers[0], reviewers[index % 5 + 1]):
                    review_services.assign_reviewer(officer, application, reviewer)
        elif target == "withdrawn":
            app_services.withdraw(
                representative(application.company), application, "We joined another programme."
            )

    # Selection cohort: reviews done for every eligible application.
    cohort = demo["cohort_selection"]
    ensure_rubric(cohort)
    closes = cohort.applications_close_at
    eligible = []
    for index in range(20, 58):
        application, new = make(cohort, companies[index], index)
        if not new:
            continue
        submit(application, closes - timedelta(days=1 + index % 25, hours=index % 7))
        if companies[index].size_class == "large" or index == 27:
            reason = (
                "Turnover above the medium-sized threshold."
                if index != 27
                else "The technology is not within a green technology area."
            )
            screening.mark_ineligible(officer, application, reason)
        elif index == 33:
            app_services.withdraw(representative(companies[index]), application)
        else:
            screening.confirm_eligible(officer2 if index % 2 else officer, application)
            eligible.append(application)
    if eligible:
        review_services.auto_assign(officer, cohort)
        for application in eligible:
            base = 2 + (application.company_id * 7) % 4
            disputed = application.pk % 7 == 0  # reviewers far apart: the ranking flags it
            for position, review in enumerate(
                application.reviews.filter(state="assigned").order_by("pk")
            ):
                reviewer = review.reviewer
                if disputed:
                    base = 5 if position == 0 else 2
                if application.pk % 17 == 0 and reviewer == reviewers[2]:
                    review_services.declare_conflict(
                        reviewer, review, "I advised this company last year."
                    )
                    continue
                abstain = application.pk % 13 == 0 and reviewer == reviewers[3]
                review_services.save_review(
                    reviewer,
                    review,
                    {} if abstain else score(review, base),
                    comment="Strong IP awareness; market plan needs work." if base > 3 else "",
                    abstained=abstain,
                    submit=True,
                )

    # Running cohort: 20 confirmed places (the first 20 eligible), the others not selected.
    cohort = demo["cohort_running"]
    ensure_rubric(cohort)
    closes = cohort.applications_close_at
    plan = {}
    for index in range(0, 30):
        if companies[index].size_class == "large":
            continue
        application, new = make(cohort, companies[index], index)
        plan[application.pk] = "selected" if len(plan) < cohort.capacity else "rejected"
        if not new:
            continue
        submit(application, closes - timedelta(days=2 + index % 20))
        screening.confirm_eligible(officer, application)
        free = [r for r in reviewers if not is_conflicted(r, application.company)]
        for reviewer in (free[index % len(free)], free[(index + 2) % len(free)]):
            review = review_services.assign_reviewer(officer, application, reviewer)
            review_services.save_review(reviewer, review, score(review, 2 + index % 4), submit=True)
    seed_running_selection(demo, cohort, plan)
    confirmed = list(
        Application.objects.filter(cohort=cohort, state=state.CONFIRMED).order_by("pk")
    )
    demo["confirmed_applications"] = confirmed
    demo["log"](
        f"Applications: {created['count']} new; reviews done in {demo['cohort_selection']}, "
        f"{len(confirmed)} confirmed places in {demo['cohort_running']}"
    )
    seed_selection_proposal(demo)
    seed_messages(demo)
