"""Demo history for the dashboard and the impact pages: a finished 2025 cohort whose companies
went through every stage up to the confirmed 12-month re-rating, and one overdue item (a
session in the running cohort whose notes were never logged). Idempotent."""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from clinic import files
from clinic.dimensions import Dimension
from clinic.models import AuditLog, IPAudit, QuestionnaireVersion
from cohorts.demo import demo_cohort, fill
from cohorts.escalation import escalate_deadlines
from cohorts.models import Application, QuotaRule, Review, Score
from cohorts.services.rubric import ensure_rubric
from cohorts.services.stage_times import backfill

from ..models import (
    ActionItem,
    Assessment,
    Assignment,
    DimensionScore,
    FollowUpReport,
    Horizon,
    Participation,
    PlanVersion,
    Policy,
    Rating,
    Session,
)
from ..services.plan_rendering import render_version, signed_pdf
from ..services.plan_versions import default_language

FINISHED = ("Guangzhou 2025", "广州 2025")
OVERDUE_AGENDA = "Licensing options for the membrane patent (notes not logged yet)"
ACTIONS = [
    (
        ("Adopt an IP policy with invention disclosure forms", "制定知识产权政策并采用发明披露表"),
        1,
        Policy.ACQUIRE,
    ),
    (("File a PCT application for the core process", "为核心工艺提交 PCT 申请"), 3, Policy.ACQUIRE),
    (("Register the brand in the export markets", "在出口市场注册品牌"), 6, Policy.ACQUIRE),
    (("List the technology on WIPO GREEN", "在 WIPO GREEN 上发布该技术"), 6, Policy.EXPLOIT),
    (
        ("Set up a patent watch on the two main competitors", "对两家主要竞争对手建立专利监控"),
        12,
        Policy.MONITOR,
    ),
]


def seed(demo):
    finished = seed_finished_cohort(demo)
    overdue = seed_overdue_session(demo)
    backdate_reviews()
    # the demos wrote and back-dated history directly: the funnel's stage times from it
    backfill(Application, Review, AuditLog)
    escalated = escalate_deadlines()
    demo["log"](
        f"Insight: {finished} companies in the finished cohort {FINISHED[0]}, "
        f"{overdue} session with overdue notes, deadlines {escalated}"
    )


def when(day, hour=10):
    """A moment ``day`` days from today at ``hour`` o'clock (negative: in the past)."""
    moment = datetime.combine(timezone.localdate() + timedelta(days=day), time(hour))
    return timezone.make_aware(moment)


def seed_finished_cohort(demo):
    start = timezone.localdate() - timedelta(days=520)
    cohort = demo_cohort(
        demo["programme"],
        *FINISHED,
        opens=when(-640),
        closes=when(-600),
        start=start,
    )
    if Participation.objects.filter(cohort=cohort).exists():
        return 0
    QuotaRule.objects.get_or_create(
        cohort=cohort, dimension="size_class", value="micro", defaults={"minimum": 3}
    )
    rng = random.Random(2025)
    reviewers = [demo["users"][f"reviewer{i}"] for i in range(1, 7)]
    experts = [demo["users"][f"expert{i}"] for i in range(1, 7)]
    officer = demo["users"]["officer"]
    version = QuestionnaireVersion.objects.filter(published_at__isnull=False).first()
    companies = [c for c in demo["companies"][36:60] if c.size_class != "large"][:12]
    for index, company in enumerate(companies):
        application = applied(cohort, company, index, rng)
        reviewed(application, index, rng, reviewers)
        if index >= 8:
            continue  # applied but not taken: the funnel narrows
        participation = take_part(application, version, rng, officer)
        expert = experts[index % len(experts)]
        Assignment.objects.create(
            participation=participation, expert=expert, role="lead", assigned_by=officer
        )
        hold_sessions(participation, expert, index, rng)
        assessment = assess(participation, expert, rng, index)
        sign_plan(participation, expert, demo["users"]["lead"], index)
        report_back(participation, assessment, expert, rng, index, waiting=index == 7)
    return 8


def applied(cohort, company, index, rng):
    application = Application(cohort=cohort, company=company)
    fill(application, index, rng)
    taken = index < 8
    application.state = Application.State.CONFIRMED if taken else Application.State.REJECTED
    application.submitted_at = when(-615 + index)
    application.screened_at = when(-596 + index)
    application.decided_at = when(-570)
    application.answered_at = when(-565 + index % 4) if taken else None
    application.size_class = company.size_class
    application.save()
    return application


def reviewed(application, index, rng, reviewers):
    """Two submitted reviews, written in the three weeks after screening."""
    criteria = ensure_rubric(application.cohort)
    for number in range(2):
        reviewer = reviewers[(index + number) % len(reviewers)]
        review = Review.objects.create(
            application=application,
            reviewer=reviewer,
            state=Review.State.SUBMITTED,
            submitted_at=when(-590 + index + number * 3),
        )
        Score.objects.bulk_create(
            Score(review=review, criterion=criterion, value=rng.randint(2, 5))
            for criterion in criteria
        )


def take_part(application, version, rng, officer):
    company = application.company
    levels = {d: rng.choice([0, 1, 1, 2, 2]) for d in Dimension.values}
    audit = IPAudit.objects.create(
        company=company,
        version=version,
        state=IPAudit.State.SUBMITTED,
        started_at=when(-560),
        due_at=when(-539),
        submitted_at=when(-545 + rng.randint(0, 10)),
        scores={
            str(d): {"score": float(level), "scored": 2, "not_sure": 0, "scorable": 2}
            for d, level in levels.items()
        },
    )
    participation = Participation.objects.create(
        application=application,
        cohort=application.cohort,
        company=company,
        audit=audit,
        state=Participation.State.CLOSED,
    )
    participation.demo_levels = levels
    return participation


def hold_sessions(participation, expert, index, rng):
    for number in range(1, 5):
        session = Session.objects.create(
            participation=participation,
            expert=expert,
            number=number,
            starts_at=when(-530 + number * 21 + index, 9 + index % 6),
            status=Session.Status.HELD,
            agenda="IP strategy session",
            meeting_url="https://meet.example.org/clinic",
        )
        Rating.objects.create(session=session, score=rng.choice([4, 4, 5, 5, 3]))


def assess(participation, expert, rng, index):
    assessment = Assessment.objects.create(
        participation=participation,
        state=Assessment.State.SUBMITTED,
        assessed_on=timezone.localdate() - timedelta(days=420),
        executive_summary="Solid technology, IP managed informally; a plan to file and list.",
        started_by=expert,
        submitted_at=when(-420 + index),
        submitted_by=expert,
    )
    DimensionScore.objects.bulk_create(
        DimensionScore(
            assessment=assessment,
            dimension=d,
            maturity=min(4, level + rng.choice([0, 0, 1])),
            target=min(4, level + 2),
        )
        for d, level in participation.demo_levels.items()
    )
    for number, (title, horizon, policy) in enumerate(ACTIONS):
        done = rng.random() < (0.85 if horizon <= 3 else 0.55)
        ActionItem.objects.create(
            assessment=assessment,
            dimension=Dimension.values[number * 2 % len(Dimension.values)],
            policy=policy,
            title=title[0],
            title_zh=title[1],
            horizon=Horizon(horizon),
            owner="CEO",
            due_date=assessment.assessed_on + timedelta(days=30 * horizon),
            cost=Decimal(5000 * (number + 1)),
            status=ActionItem.Status.DONE if done else ActionItem.Status.IN_PROGRESS,
        )
    return assessment


def sign_plan(participation, expert, lead, index):
    """The plan, rendered, then signed off by the lead a week after the assessment (back-dated
    like the rest of this history: the signed PDF carries that date)."""
    version = PlanVersion.objects.create(
        participation=participation,
        number=1,
        language=default_language(participation),
        requested_by=expert,
        requested_at=when(-415 + index),
    )
    version = render_version(version.pk)
    version.signed_by, version.signed_at = lead, when(-413 + index)
    content = signed_pdf(version, lead, version.signed_at)
    version.signed_file.save(version.filename(signed=True), ContentFile(content), save=False)
    version.signed_checksum = files.sha256(content)
    version.save()


def report_back(participation, assessment, expert, rng, index, *, waiting=False):
    """The 6- and 12-month reports; ``waiting``: the 12-month re-rating still waits for the
    lead expert (the participation stays in follow-up)."""
    expert_levels = {s.dimension: s.maturity for s in assessment.scores.all()}
    own = {str(d): min(4, level + rng.choice([0, 1, 1, 2])) for d, level in expert_levels.items()}
    confirmed = {d: max(0, level - (1 if rng.random() < 0.2 else 0)) for d, level in own.items()}
    for round_, day in ((6, -160), (12, -10)):
        FollowUpReport.objects.create(
            participation=participation,
            round=round_,
            due_on=timezone.localdate() + timedelta(days=day + 20),
            state=FollowUpReport.State.CONFIRMED
            if round_ == 12 and not waiting
            else FollowUpReport.State.SUBMITTED,
            filings=rng.randint(0, 3),
            registrations=rng.randint(0, 2),
            licences=rng.randint(0, 1),
            finance_raised=Decimal(rng.choice([0, 0, 500000, 2000000])),
            finance_currency="CNY",
            satisfaction=rng.choice([4, 5, 5]),
            submitted_at=when(day + index % 5),
            self_levels=own if round_ == 12 else {},
            confirmed_levels=confirmed if round_ == 12 and not waiting else {},
            confirmed_at=when(day + 3) if round_ == 12 and not waiting else None,
            confirmed_by=expert if round_ == 12 and not waiting else None,
        )
    if waiting:
        Participation.objects.filter(pk=participation.pk).update(
            state=Participation.State.FOLLOW_UP
        )


def seed_overdue_session(demo):
    """A session of the running cohort that took place 10 days ago: its notes are overdue."""
    cohort = demo.get("cohort_running")
    if cohort is None or Session.objects.filter(agenda=OVERDUE_AGENDA).exists():
        return 0
    assignment = (
        Assignment.objects.filter(
            participation__cohort=cohort,
            participation__state=Participation.State.MENTORING,
            role="lead",
            ended_at__isnull=True,
        )
        .select_related("participation")
        .order_by("pk")
        .first()
    )
    if assignment is None:
        return 0
    participation = assignment.participation
    number = (
        participation.sessions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    Session.objects.create(
        participation=participation,
        expert=assignment.expert,
        number=number,
        starts_at=when(-10, 15),
        agenda=OVERDUE_AGENDA,
        meeting_url="https://meet.example.org/clinic",
    )
    return 1


def backdate_reviews():
    """Reviews of decided applications were written before the decision (the selection demo
    makes them today and dates the decision back)."""
    for review in Review.objects.filter(
        state=Review.State.SUBMITTED, application__decided_at__isnull=False
    ).select_related("application"):
        decided = review.application.decided_at
        if review.submitted_at and review.submitted_at > decided:
            Review.objects.filter(pk=review.pk).update(
                submitted_at=decided - timedelta(days=8 + review.pk % 6)
            )
