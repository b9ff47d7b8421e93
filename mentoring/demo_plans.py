"""Demo assessments and action plans for the running cohort (called by mentoring/demo.py).

The first participants with held sessions get a submitted assessment and action items; their plans
are generated in the company's language and in the other one (rendered synchronously here, not by
a worker) and most are signed off by the lead. One assessment is still a draft, one was returned
by an officer, and one plan waits for the lead's sign-off, so every page has live data.
Idempotent: participants that already have an assessment are left alone.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from clinic.dimensions import MAX_MATURITY, Dimension

from .models import Assessment, Assignment, Participation, Session
from .services import action_plan, plan_versions
from .services import assessment as assessment_service

PLANNED = 7  # participants with an assessment

SUMMARY = (
    "{company} has a solid technical base and first registered rights, but IP management is "
    "informal: decisions are taken ad hoc and know-how is not documented.\n\n"
    "The plan secures ownership and confidentiality first, then builds a filing strategy for the "
    "export markets and uses the portfolio for green finance and partnerships.",
    "{company}技术基础扎实，已有部分注册权利，但知识产权管理仍不规范：决策随意，技术诀窍未形成文档。"
    "\n\n本计划首先确保权属清晰和商业秘密保护，随后制定面向出口市场的申请策略，"
    "并利用知识产权组合支持绿色融资与合作。",
)
SWOT = {
    "strengths": (
        "Experienced R&D team; first granted utility models.",
        "研发团队经验丰富；已获实用新型授权。",
    ),
    "weaknesses": (
        "No IP policy; no assignment clauses with contractors.",
        "缺少知识产权制度；外包合同无权属条款。",
    ),
    "opportunities": (
        "Green-loan programmes accepting IP as collateral; WIPO GREEN.",
        "接受知识产权质押的绿色信贷；WIPO GREEN平台。",
    ),
    "threats": (
        "Competitors filing around the core process; leaks in customer pilots.",
        "竞争对手围绕核心工艺布局专利；客户试点中的泄密风险。",
    ),
}
RATIONALE = (
    "Seen in the audit and discussed in the sessions: practice exists in parts, not written down.",
    "审计与辅导中发现：部分做法已存在，但尚未形成书面制度。",
)
ACTIONS = [
    # dimension, policy, horizon, title, description, owner, cost, kpi
    (
        3,
        "acquire",
        1,
        (
            "Add IP assignment clauses to all R&D and contractor agreements",
            "在所有研发及外包合同中加入知识产权归属条款",
        ),
        (
            "Use the clinic's model clause; sign addenda with the two contract developers.",
            "采用诊所提供的示范条款，与两家外包开发方签订补充协议。",
        ),
        "CEO",
        Decimal("3000"),
        ("All agreements signed", "全部合同完成签署"),
    ),
    (
        2,
        "acquire",
        3,
        ("Build an IP asset register and name an owner", "建立知识产权台账并指定负责人"),
        (
            "List patents, marks, software and know-how with renewal dates.",
            "列出专利、商标、软件和技术诀窍及其续展日期。",
        ),
        "CTO",
        Decimal("0"),
        ("Register reviewed quarterly", "台账每季度复核"),
    ),
    (
        5,
        "acquire",
        6,
        ("File a PCT application for the core process", "就核心工艺提交PCT国际申请"),
        (
            "Invention disclosure, prior-art search, drafting with a patent attorney.",
            "发明披露、现有技术检索，并与专利代理人撰写申请。",
        ),
        "CTO",
        Decimal("45000"),
        ("PCT application filed", "PCT申请已提交"),
    ),
    (
        7,
        "monitor",
        3,
        ("Set up a monthly patent watch on three competitors", "对三家竞争对手建立每月专利监控"),
        (
            "CNIPA and EPO alerts on the relevant CPC Y02 classes.",
            "在国家知识产权局和欧洲专利局设置相关CPC Y02分类提醒。",
        ),
        "R&D manager",
        Decimal("6000"),
        ("Watch report every month", "每月出具监控报告"),
    ),
    (
        8,
        "exploit",
        12,
        (
            "List the technology on WIPO GREEN and prepare a licensing offer",
            "在WIPO GREEN发布技术并准备许可方案",
        ),
        (
            "Non-confidential summary, licensing terms, two target partners.",
            "撰写非保密摘要和许可条款，确定两家目标合作方。",
        ),
        "CEO",
        Decimal("10000"),
        ("Two partner talks held", "完成两次合作洽谈"),
    ),
]


def pick(pair, language):
    return pair[1] if language.startswith("zh") else pair[0]


def seed(demo):
    cohort = demo.get("cohort_running")
    if cohort is None:
        return
    lead = demo["users"]["lead"]
    officer = demo["users"]["officer"]
    candidates = [
        p
        for p in Participation.objects.filter(cohort=cohort, state=Participation.State.MENTORING)
        .select_related("company", "audit", "cohort")
        .order_by("pk")
        if not Assessment.objects.filter(participation=p).exists()
        and p.sessions.filter(status=Session.Status.HELD).exists()
    ]
    already = Assessment.objects.filter(participation__cohort=cohort).count()
    made = signed = 0
    for index, participation in enumerate(candidates[: max(0, PLANNED - already)]):
        role = index % PLANNED
        expert = _lead_expert(participation)
        if expert is None:
            continue
        current = _assess(expert, participation, submit=role != 5)
        made += 1
        if role == 5:  # a draft still being written
            continue
        if role == 6:  # returned by the officer
            assessment_service.return_assessment(
                officer,
                current,
                "Please explain the enforcement score and add a cost to every action.",
            )
            continue
        language = plan_versions.default_language(participation)
        other = "en" if language.startswith("zh") else "zh-hans"
        versions = [
            plan_versions.request_version(expert, participation, lang, render_now=True)
            for lang in (other, language)
        ]
        if role != 4:  # one plan waits for the lead's sign-off
            plan_versions.sign_off(lead, versions[-1])
            signed += 1
    demo["log"](
        f"Plans: {made} new assessments, {signed} signed-off plans (en and zh-hans) in {cohort}"
    )


def _lead_expert(participation):
    assignment = participation.assignments.filter(
        role=Assignment.Role.LEAD, ended_at__isnull=True
    ).first()
    return assignment.expert if assignment else None


def _assess(expert, participation, *, submit):
    language = participation.company.correspondence_language
    current = assessment_service.start_assessment(expert, participation)
    current.assessed_on = timezone.localdate() - timedelta(days=3)
    current.save(update_fields=["assessed_on"])
    audit_values = assessment_service.audit_scores(participation)
    scores = {}
    for dimension in Dimension:
        audit_value = audit_values[dimension.value]
        level = 1 if audit_value is None else max(0, min(MAX_MATURITY, round(audit_value) - 1))
        scores[dimension.value] = {
            "maturity": level,
            "target": min(MAX_MATURITY, level + 1 + dimension.value % 2),
            "rationale": pick(RATIONALE, language),
        }
    assessment_service.save_assessment(
        expert,
        current,
        scores=scores,
        executive_summary=pick(SUMMARY, language).format(
            company=participation.company.local_name
            if language.startswith("zh") and participation.company.local_name
            else participation.company.legal_name
        ),
        **{key: pick(pair, language) for key, pair in SWOT.items()},
    )
    for dimension, policy, horizon, title, description, owner, cost, kpi in ACTIONS:
        action_plan.add_item(
            expert,
            current,
            dimension=dimension,
            policy=policy,
            horizon=horizon,
            title=title[0],
            title_zh=title[1],
            description=description[0],
            description_zh=description[1],
            owner=owner,
            due_date=action_plan.horizon_end(current.assessed_on, horizon) - timedelta(days=2),
            cost=cost,
            currency=participation.cohort.currency,
            kpi=kpi[0],
            kpi_zh=kpi[1],
            status="in_progress" if horizon == 1 else "open",
        )
    if submit:
        assessment_service.submit_assessment(expert, current)
    return current
