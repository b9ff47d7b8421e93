"""Demo programme and cohorts; all dates are relative to the day the demo is seeded."""

from datetime import timedelta

from django.utils import timezone

from .models import Cohort, Programme

TERMS = (
    "Participants attend the kick-off and at least four mentoring sessions, complete the IP audit, "
    "and report on their action plan at 6 and 12 months. Information shared is confidential."
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
        },
    )
    return cohort
