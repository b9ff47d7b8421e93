"""Demo mentoring for the running cohort: expert profiles, assignments, held and planned sessions
with shared and private notes, follow-ups and ratings, and times experts offer.

Runs after the cohorts demo (INSTALLED_APPS order), which confirms the running cohort's places
(the participation flow then opens each SME's audit). Everything goes through the services, so the
audit history and the outbox look as they would in real use. Idempotent: expert profiles are only
filled in when new, assignments only made for participants without a lead, sessions only for
participants that have none.
"""

import zoneinfo
from datetime import datetime, time, timedelta

from django.utils import timezone

from clinic.models.companies import GreenArea
from cohorts.models import Application

from .models import Assignment, ExpertProfile, Participation, Session
from .services import match_scores, matching, past_sessions, session_notes, slots
from .services import sessions as sessions_service
from .services.participation import start_participation

EXPERTS = {
    # username: (expertise {dimension: level}, areas, languages, jurisdictions, capacity, bio)
    "expert1": (
        {1: 2, 2: 3, 3: 3, 4: 3, 5: 2},
        [GreenArea.WATER, GreenArea.WASTE_CIRCULAR, GreenArea.AIR_POLLUTION],
        ["zh-hans", "en"],
        "CN",
        5,
        "IP manager at a water-technology group for twelve years; sets up IP inventories, "
        "employee invention rules and trade-secret programmes in Chinese SMEs.",
    ),
    "expert2": (
        {5: 3, 7: 3, 9: 3, 10: 2},
        [GreenArea.RENEWABLE_ENERGY, GreenArea.STORAGE_HYDROGEN, GreenArea.MATERIALS],
        ["en"],
        "EP, US, PCT",
        5,
        "European patent attorney; drafting and prosecution for solar and battery technologies, "
        "freedom-to-operate opinions and PCT strategies for export markets.",
    ),
    "expert3": (
        {6: 3, 8: 2, 10: 3, 11: 3},
        [GreenArea.AGRICULTURE_FOOD, GreenArea.GREEN_BUILDINGS, GreenArea.WASTE_CIRCULAR],
        ["zh-hans"],
        "CN, HK",
        4,
        "Trademark and design lawyer; brand protection, green claims and enforcement on "
        "e-commerce platforms.",
    ),
    "expert4": (
        {1: 3, 8: 3, 9: 2, 11: 2},
        [GreenArea.ENERGY_EFFICIENCY, GreenArea.TRANSPORT_FUELS, GreenArea.CARBON_CAPTURE],
        ["en", "zh-hans"],
        "CN, US",
        5,
        "Technology-transfer adviser; licensing, partnerships, WIPO GREEN listings and IP-backed "
        "finance for clean-tech start-ups.",
    ),
    "expert5": (
        {2: 2, 3: 3, 4: 3, 5: 3, 7: 2},
        [GreenArea.ENERGY_EFFICIENCY, GreenArea.MATERIALS, GreenArea.CARBON_CAPTURE],
        ["zh-hans"],
        "CN",
        4,
        "Chinese patent agent with an engineering background; utility models, patent mining and "
        "contracts with research institutes.",
    ),
    "expert6": (
        {1: 2, 6: 2, 7: 3, 9: 3, 11: 2},
        [GreenArea.AIR_POLLUTION, GreenArea.WATER, GreenArea.RENEWABLE_ENERGY],
        ["en"],
        "EP, IN, ASEAN",
        5,
        "International IP consultant; export-market protection in South and Southeast Asia and "
        "monitoring of competitors' patents.",
    ),
}

TEXTS = {
    "summary": (
        "We went through the audit results and the asset register. The company relies on know-how "
        "that is not documented and has no invention disclosure routine yet.",
        "我们讨论了审计结果和资产清单。公司依赖未记录的技术诀窍，尚未建立发明披露流程。",
    ),
    "summary2": (
        "Reviewed the draft filing plan and the contracts with the two contract developers.",
        "审阅了申请计划草案以及与两家外包开发方的合同。",
    ),
    "recommendations": (
        "Introduce an invention disclosure form; add IP assignment clauses to contractor "
        "agreements; mark confidential documents.",
        "建立发明披露表；在外包合同中加入知识产权转让条款；对保密文件进行标识。",
    ),
    "agenda": (
        "Audit results, weakest dimensions, priorities for the next month.",
        "审计结果、最薄弱的维度、下个月的工作重点。",
    ),
    "private": (
        "Management seems divided on licensing; CTO is the real decision maker. Check again "
        "whether the university co-owns the core patent.",
        "管理层对许可存在分歧；技术总监是实际决策者。需再次核实大学是否共有核心专利。",
    ),
    "follow_up1": ("Collect invention disclosures from the R&D team", "收集研发团队的发明披露"),
    "follow_up2": ("Send the contractor agreements to the expert", "将外包合同发送给专家"),
    "comment": ("Very practical advice.", "建议非常实用。"),
    "call": (
        "Unplanned phone call: a distributor asked for an exclusive licence. We went through "
        "what to check before answering.",
        "临时电话沟通：一家经销商要求独家许可。我们讨论了答复前需要核实的事项。",
    ),
    "call_follow_up": (
        "Send the distributor's draft terms to the expert",
        "将经销商的条款草案发给专家",
    ),
}


def text(key, language):
    english, chinese = TEXTS[key]
    return chinese if language.startswith("zh") else english


def seed(demo):
    cohort = demo.get("cohort_running")
    if cohort is None:
        return
    officer = demo["users"]["officer"]
    profiles = seed_profiles(demo)
    participations = ensure_participations(demo, cohort)
    made, unmatched = matching.assign_all_best_matches(officer, cohort)
    seed_support(officer, cohort)
    sessions = 0
    for index, participation in enumerate(participations):
        if participation.state != Participation.State.MENTORING:
            continue
        if participation.sessions.exists():
            continue
        sessions += seed_sessions(index, participation)
    seed_slots(demo)
    from .demo_plans import seed as seed_plans

    seed_plans(demo)
    from .insight.demo import seed as seed_insight

    seed_insight(demo)
    demo["log"](
        f"Mentoring: {profiles} expert profiles, {len(made)} new assignments "
        f"({len(unmatched)} without a free expert), {sessions} sessions in {cohort}"
    )


def seed_profiles(demo):
    companies = demo["companies"]
    count = 0
    for username, (expertise, areas, languages, jurisdictions, capacity, bio) in EXPERTS.items():
        user = demo["users"][username]
        profile, created = ExpertProfile.objects.get_or_create(
            user=user,
            defaults={
                "bio": bio,
                "expertise": {str(d): level for d, level in expertise.items()},
                "tech_areas": [str(area) for area in areas],
                "languages": languages,
                "jurisdictions": jurisdictions,
                "capacity": capacity,
            },
        )
        if created and username == "expert6":
            profile.conflicts.set([companies[0]])
            profile.conflict_note = "Former adviser to this company (until 2024)."
            profile.save(update_fields=["conflict_note"])
        count += 1
    return count


def ensure_participations(demo, cohort):
    """The running cohort's participants; made here only if the selection demo did not."""
    existing = list(Participation.objects.filter(cohort=cohort).select_related("company"))
    if existing:
        return sorted(existing, key=lambda p: p.pk)
    for company in demo["companies"][:21]:
        if company.size_class == "large":
            continue
        application, _created = Application.objects.get_or_create(
            cohort=cohort,
            company=company,
            defaults={"state": Application.State.CONFIRMED, "commitment": True},
        )
        if application.state == Application.State.CONFIRMED:
            start_participation(application)
    return list(Participation.objects.filter(cohort=cohort).order_by("pk"))


def seed_support(officer, cohort):
    """A support expert for the first three participants with a lead (where one fits)."""
    with_lead = Participation.objects.filter(
        cohort=cohort, assignments__role=Assignment.Role.LEAD, assignments__ended_at=None
    ).order_by("pk")[:3]
    for participation in with_lead:
        if participation.assignments.filter(role=Assignment.Role.SUPPORT, ended_at=None).exists():
            continue
        choice = next(
            (
                s
                for s in match_scores.rank_experts(participation)
                if s.available and not s.current_role
            ),
            None,
        )
        if choice is not None:
            matching.assign_expert(
                officer, participation, choice.expert, Assignment.Role.SUPPORT, score=choice.total
            )


def at(day_offset, hour, zone):
    day = timezone.localdate() + timedelta(days=day_offset)
    return datetime.combine(day, time(hour, 0), tzinfo=zoneinfo.ZoneInfo(zone))


def seed_sessions(index, participation):
    """Held sessions every three weeks from the cohort's start, then one planned session.

    A few participants have their last session more than 30 days ago and none planned (flagged
    on the progress table); one session is a no-show, one was cancelled.
    """
    lead = participation.assignments.filter(role=Assignment.Role.LEAD, ended_at=None).first()
    if lead is None:
        return 0
    expert = lead.expert
    company = participation.company
    language = company.correspondence_language
    representative = company.representatives.first()
    zone = participation.cohort.time_zone
    weakest = [int(d) for d, _score in match_scores.weakest_dimensions(participation.audit)]
    stale = index % 6 == 5
    held = 1 if stale else [1, 2, 3, 2][index % 4]
    last_day = -(4 + index % 9) - (34 if stale else 0)
    count = 0
    for number in range(held):
        start = at(last_day - (held - 1 - number) * 21, 9 + index % 4, zone)
        session = sessions_service.schedule_session(
            expert,
            participation,
            starts_at=start,
            duration_minutes=90,
            mode="on_site" if number == 0 else "online",
            address="Greentech Innovation Centre, Room 301" if number == 0 else "",
            meeting_url="" if number == 0 else f"https://meet.example.org/clinic-{company.pk}",
            agenda=text("agenda", language),
        )
        no_show = index % 7 == 3 and number == held - 1
        after = session.ends_at + timedelta(hours=3)
        follow_ups = [
            {
                "title": text("follow_up1", language),
                "owner": representative.get_full_name() if representative else "",
                "due_date": (start + timedelta(days=14)).date(),
            },
            {
                "title": text("follow_up2", language),
                "owner": "",
                "due_date": (start + timedelta(days=7)).date(),
            },
        ]
        session_notes.save_notes(
            expert,
            session,
            outcome="no_show" if no_show else "held",
            summary="" if no_show else text("summary" if number == 0 else "summary2", language),
            dimensions=[] if no_show else weakest[: 2 + number % 2],
            recommendations="" if no_show else text("recommendations", language),
            private_notes=text("private", language),
            follow_ups=[] if no_show else follow_ups[: 1 + number % 2],
            share=True,
            now=after,
        )
        count += 1
        if no_show:
            continue
        if number < held - 1 and representative is not None:
            for follow_up in session.follow_ups.all():
                session_notes.set_follow_up_done(representative, follow_up)
        if representative is not None and (index + number) % 3:
            session_notes.rate_session(
                representative,
                session,
                5 - (index + number) % 3,
                text("comment", representative.preferred_language) if number == 0 else "",
            )
    if index % 6 == 0:
        count += seed_logged_call(expert, participation, representative, language)
    if stale:
        return count
    if index % 5 == 1:  # took place yesterday; the expert still has to log the notes
        sessions_service.schedule_session(
            expert,
            participation,
            starts_at=at(-1, 10, zone),
            meeting_url=f"https://meet.example.org/clinic-{company.pk}",
            agenda=text("agenda", language),
        )
        count += 1
    if index % 8 == 2:
        cancelled = sessions_service.schedule_session(
            expert,
            participation,
            starts_at=free_time(expert, 2, 15, zone),
            meeting_url=f"https://meet.example.org/clinic-{company.pk}",
            agenda=text("agenda", language),
        )
        sessions_service.cancel_session(expert, cancelled, "Travel to a trade fair.")
    sessions_service.schedule_session(
        expert,
        participation,
        starts_at=free_time(expert, 3 + index % 10, 14, zone),
        duration_minutes=60 if index % 2 else 90,
        mode="phone" if index % 5 == 4 else "online",
        phone="+86 755 8888 0000" if index % 5 == 4 else "",
        meeting_url="" if index % 5 == 4 else f"https://meet.example.org/clinic-{company.pk}",
        agenda=text("agenda", language),
    )
    return count + 1


def seed_logged_call(expert, participation, representative, language):
    """An unplanned call two days ago, logged after the fact with its notes and a follow-up."""
    session = past_sessions.log_past_session(
        expert,
        participation,
        starts_at=at(-2, 17, participation.cohort.time_zone),
        duration_minutes=30,
        mode="phone",
        agenda=text("call", language),
    )
    session_notes.save_notes(
        expert,
        session,
        outcome="held",
        summary=text("call", language),
        recommendations=text("recommendations", language),
        private_notes=text("private", language),
        follow_ups=[
            {
                "title": text("call_follow_up", language),
                "owner": representative.get_full_name() if representative else "",
                "due_date": timezone.localdate() + timedelta(days=5),
            }
        ],
        share=True,
    )
    return 1


def free_time(expert, day_offset, hour, zone):
    """The first time from ``day_offset`` at ``hour`` (then each next day) when the expert has
    no planned session within two hours."""
    for extra in range(30):
        start = at(day_offset + extra, hour, zone)
        clash = Session.objects.filter(
            expert=expert,
            status=Session.Status.PLANNED,
            starts_at__gt=start - timedelta(hours=2),
            starts_at__lt=start + timedelta(hours=2),
        )
        if not clash.exists():
            return start
    return start


def seed_slots(demo):
    expert = demo["users"]["expert1"]
    if expert.offered_slots.exists():
        return
    for offset in (5, 8, 12):
        slots.offer_slot(
            expert,
            starts_at=at(offset, 16, "Asia/Shanghai"),
            meeting_url="https://meet.example.org/expert1",
        )
