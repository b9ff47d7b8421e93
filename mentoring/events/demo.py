"""Demo events of the running cohort (``manage.py seed_demo``, idempotent): its kick-off
(held, attended by most companies), two sessions of the training series "Innovating for a
Green Future" (held, with speakers, agenda, slides and feedback) and an upcoming demo day with
registrations, guests and presentation slots.

Everything goes through the services; past events are made upcoming, filled, then moved to
their demo date (the services only take registrations before an event starts).
"""

import io
import zoneinfo
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from .models import AgendaItem, Event, Registration, Speaker
from .services import attendance, demo_days, events, feedback, invitations, registrations

SERIES = ("Innovating for a Green Future", "创新促进绿色未来")
PLACE = "Greentech Innovation Centre, 1 Keyuan Road, Nanshan, Shenzhen"
GUEST_SPEAKER = (
    "Dr Anna Keller",
    "Keller & Partner IP (Munich)",
    "European patent attorney; 20 years of cleantech filings at the EPO and PCT strategy.",
    "欧洲专利代理人；在欧洲专利局和PCT战略方面拥有20年清洁技术申请经验。",
)
LAW_FIRM_SPEAKER = (
    "Li Wei",
    "Zhonglun Green IP Law Firm",
    "Partner; trade secrets, licensing and IP disputes of technology companies.",
    "合伙人；专注于科技企业的商业秘密、许可和知识产权纠纷。",
)
EVENTS = [
    # kind, title, title_zh, day offset, hour, number in the series, speakers, agenda
    (
        Event.Kind.KICK_OFF,
        "Kick-off and launch ceremony",
        "启动会暨开班仪式",
        1,
        9,
        None,
        [],
        [
            ("09:30", "Welcome by the national IP office", "国家知识产权局致辞"),
            (
                "10:00",
                "How the clinic works: audit, mentoring, action plan",
                "诊所流程：审计、辅导、行动计划",
            ),
            ("11:00", "Meet your experts", "与专家见面"),
        ],
    ),
    (
        Event.Kind.TRAINING,
        "International IP strategy for green technologies",
        "绿色技术国际知识产权战略",
        25,
        14,
        1,
        [GUEST_SPEAKER],
        [
            (
                "14:00",
                "Where to file: PCT, EPO and the Paris route",
                "在哪里申请：PCT、欧专局与巴黎公约途径",
            ),
            ("15:00", "Budgeting a portfolio for export markets", "面向出口市场的专利组合预算"),
        ],
    ),
    (
        Event.Kind.TRAINING,
        "Protecting trade secrets",
        "商业秘密保护",
        55,
        14,
        2,
        [LAW_FIRM_SPEAKER],
        [
            ("14:00", "What counts as a trade secret", "什么是商业秘密"),
            ("14:45", "Contracts, access control and evidence", "合同、访问控制与证据"),
        ],
    ),
]
COMMENTS = [
    (5, "Very practical, the PCT timeline was exactly what we needed."),
    (4, "Good examples; more time for questions next time."),
    (5, "讲解清楚，案例很实用。"),
]
DEMO_TECHNOLOGIES = [
    ("Low-cost solid-state hydrogen storage", "低成本固态储氢", "10:00"),
    ("AI-controlled aeration for waste-water plants", "污水处理厂智能曝气控制", "10:20"),
    ("Recycled carbon-fibre composites", "再生碳纤维复合材料", "10:40"),
]
GUESTS = [
    ("investor@greenfund.example", "Zhao Min", "Green Growth Fund", "zh-hans"),
    ("innovation@szwater.example", "Chen Jing", "Shenzhen Water Group", "zh-hans"),
    ("partner@cleantech-bridge.example", "Tom Becker", "Cleantech Bridge Europe", "en"),
]


def at(day, hour, zone):
    return datetime.combine(day, time(hour, 0), tzinfo=zoneinfo.ZoneInfo(zone))


def seed(demo):
    cohort = demo.get("cohort_running")
    if cohort is None or Event.objects.filter(cohort=cohort).exists():
        return
    officer = demo["users"]["officer"]
    companies = list(invitations.participating_companies(participations__cohort=cohort))
    if not companies:
        return
    made = [seed_past_event(demo, cohort, officer, companies, *spec) for spec in EVENTS]
    demo_day = seed_demo_day(demo, cohort, officer, companies)
    demo["log"](
        f"Events: {len(made)} held (kick-off, training #1 and #2) and a demo day on "
        f"{demo_day.local_start:%Y-%m-%d} in {cohort}"
    )


def new_event(cohort, officer, kind, title, title_zh, **fields):
    event = Event(
        programme=cohort.programme,
        cohort=cohort,
        kind=kind,
        title=title,
        title_zh=title_zh,
        time_zone=cohort.time_zone,
        starts_at=timezone.now() + timedelta(days=3),
        duration_minutes=fields.pop("duration_minutes", 180),
        mode="on_site",
        address=PLACE,
        **fields,
    )
    return events.save_event(officer, event)


def add_programme(officer, event, speakers, agenda):
    made = [
        events.add_speaker(
            officer,
            Speaker(event=event, name=name, organisation=org, bio=bio, bio_zh=bio_zh),
        )
        for name, org, bio, bio_zh in speakers
    ]
    for clock, title, title_zh in agenda:
        hour, minute = map(int, clock.split(":"))
        events.add_agenda_item(
            officer,
            AgendaItem(
                event=event,
                starts_at=time(hour, minute),
                title=title,
                title_zh=title_zh,
                speaker=made[0] if made else None,
            ),
        )
    return made


def seed_past_event(
    demo, cohort, officer, companies, kind, title, title_zh, day, hour, number, speakers, agenda
):
    kick_off = kind == Event.Kind.KICK_OFF
    event = new_event(
        cohort,
        officer,
        kind,
        title,
        title_zh,
        mandatory=kick_off,
        capacity=80 if kick_off else 40,
        series="" if kick_off else SERIES[0],
        series_zh="" if kick_off else SERIES[1],
        series_number=number,
        materials_shown=Event.Materials.AFTER,
        description=(
            "The opening of the Shenzhen 2026 clinic."
            if kick_off
            else "A lecture of the training series, with questions and answers."
        ),
        description_zh="深圳2026诊所开班。" if kick_off else "系列培训讲座，含问答环节。",
    )
    made_speakers = add_programme(officer, event, speakers, agenda)
    events.publish_event(officer, event)
    invitations.invite_companies(officer, event, companies)
    people = register_companies(event, companies if kick_off else companies[::2])
    start = at(cohort.start_date + timedelta(days=day), hour, cohort.time_zone)
    Event.objects.filter(pk=event.pk).update(starts_at=start)  # the demo's date, past
    event.refresh_from_db()
    for index, registration in enumerate(people):
        attendance.set_attendance(officer, registration, index % 7 != 3)
    if not kick_off:
        events.add_material(officer, event, slides(event), "Slides")
    events.mark_held(officer, event)
    if not kick_off:
        give_feedback(event, made_speakers)
    return event


def register_companies(event, companies):
    people = []
    for company in companies:
        representative = company.representatives.order_by("pk").first()
        if representative is None:
            continue
        invitation = event.invitations.get(company=company)
        people.append(
            registrations.register(
                representative,
                invitation,
                name=representative.get_full_name() or representative.username,
                email=representative.email,
                language=representative.preferred_language,
                user=representative,
            )
        )
    return people


def give_feedback(event, speakers):
    attended = event.registrations.filter(state=Registration.State.ATTENDED).select_related(
        "user", "event"
    )
    for index, registration in enumerate(attended[: len(COMMENTS) * 2]):
        score, comment = COMMENTS[index % len(COMMENTS)]
        feedback.give_feedback(
            registration.user,
            registration,
            score=score,
            comment=comment if index < len(COMMENTS) else "",
            speaker_scores={speaker.pk: score for speaker in speakers},
        )


def seed_demo_day(demo, cohort, officer, companies):
    event = new_event(
        cohort,
        officer,
        Event.Kind.DEMO_DAY,
        "Green technology demo day",
        "绿色技术路演日",
        capacity=30,
        description="SMEs present their technologies to need owners and investors.",
        description_zh="中小企业向需求方和投资方展示技术。",
    )
    add_programme(
        officer, event, [], [("09:30", "Opening", "开幕"), ("10:00", "Pitches", "技术路演")]
    )
    events.publish_event(officer, event)
    Event.objects.filter(pk=event.pk).update(
        starts_at=at(timezone.localdate() + timedelta(days=14), 9, cohort.time_zone)
    )
    event.refresh_from_db()
    invitations.invite_companies(officer, event, companies)
    register_companies(event, companies[:8])
    for email, name, organisation, language in GUESTS:
        invitation = invitations.invite_guest(
            officer, event, email=email, name=name, organisation=organisation, language=language
        )
        registrations.register(
            None, invitation, name=name, email=email, organisation=organisation, language=language
        )
    slots = seed_slots(event, companies)
    seed_partner_guests(demo, officer, event, slots)
    return event


def seed_slots(event, companies):
    """Three presentations: companies with an approved technology listing first."""
    from mentoring.matchmaking.models import Technology

    listed = {}
    for listing in Technology.objects.filter(
        company__in=companies, state=Technology.State.APPROVED
    ).order_by("pk"):
        listed.setdefault(listing.company_id, listing)
    presenters = sorted(companies, key=lambda company: company.pk not in listed)
    slots = []
    for company, (title, title_zh, clock) in zip(presenters, DEMO_TECHNOLOGIES, strict=False):
        representative = company.representatives.order_by("pk").first()
        hour, minute = map(int, clock.split(":"))
        slots.append(
            demo_days.sign_up(
                representative,
                event,
                company,
                technology=title,
                technology_zh=title_zh,
                listing=listed.get(company.pk),
                starts_at=time(hour, minute),
            )
        )
    return slots


def seed_partner_guests(demo, officer, event, slots):
    """Two partners' people registered through their invitation; the first asks to meet the
    first presenter."""
    for index, username in enumerate(("partner1", "partner2")):
        user = demo["users"].get(username)
        if user is None:
            continue
        invitation = invitations.invite_guest(
            officer, event, email=user.email, name=str(user), language=user.preferred_language
        )
        registration = registrations.register(
            None,
            invitation,
            name=str(user),
            email=user.email,
            language=user.preferred_language,
            user=user,
        )
        if index == 0 and slots and slots[0].listing_id:
            demo_days.ask_introduction(
                user, registration, slots[0], "We would like to pilot it at one of our sites."
            )


def slides(event):
    """A one-page PDF standing in for the lecture's slides."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=landscape(A4))
    page.setFont("Helvetica-Bold", 28)
    page.drawString(60, 420, event.title[:60])
    page.setFont("Helvetica", 16)
    page.drawString(60, 380, f"{SERIES[0]} #{event.series_number}")
    page.showPage()
    page.save()
    return SimpleUploadedFile("slides.pdf", buffer.getvalue(), content_type="application/pdf")
