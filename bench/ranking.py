"""The ranking page and a reviewer's list: median time, queries, size, cost per row.

Seeds one cohort of 2,000 eligible applications x 3 submitted reviews (6 criteria each) with bulk
inserts, then requests through Django's test client: the ranking at 250 rows a page warm and cold
(cold: the cache is cleared before every request, as right after a review is submitted), every
row on one page, a filtered and sorted page, the CSV export and a reviewer's list.
Target: 250 rows cold <= 55 ms on an idle machine; queries constant whatever the number of rows.

Run: .venv/bin/python bench/ranking.py [applications]
(BENCH_DATABASE_URL: a PostgreSQL database to drop and recreate; SQLite when unset.
PROFILE=1 profiles one cold ranking request.)
"""

import os
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lib.common import analyze, line, page_figures, setup_django  # noqa: E402

setup_django("ranking")

from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from clinic import roles  # noqa: E402
from clinic.models import Company, GreenArea, User  # noqa: E402
from cohorts.models import Application, Cohort, Programme, Review, Score  # noqa: E402
from cohorts.services.rubric import ensure_rubric  # noqa: E402
from cohorts.services.summaries import fill_missing  # noqa: E402

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
REVIEWERS, PER_APPLICATION = 6, 3


def seed():
    roles.ensure_roles()
    now = timezone.now()
    programme = Programme.objects.create(name="Bench programme", organiser="Bench")
    cohort = Cohort.objects.create(
        programme=programme,
        name="Bench cohort",
        applications_open_at=now - timedelta(days=60),
        applications_close_at=now - timedelta(days=10),
        start_date=timezone.localdate() + timedelta(days=30),
        end_date=timezone.localdate() + timedelta(days=150),
    )
    criteria = ensure_rubric(cohort)
    officer = User.objects.create_user("bench-officer", "officer@bench.test", "x")
    officer.groups.add(Group.objects.get(name=roles.OFFICER))
    reviewers = []
    for index in range(REVIEWERS):
        reviewer = User.objects.create_user(f"bench-reviewer{index}", f"r{index}@bench.test", "x")
        reviewer.groups.add(Group.objects.get(name=roles.REVIEWER))
        reviewers.append(reviewer)
    areas = list(GreenArea.values)
    regions = ["Beijing", "Shanghai", "Guangdong", "Jiangsu", "Zhejiang", "Sichuan"]
    Company.objects.bulk_create(
        Company(
            legal_name=f"Bench Company {i} 绿色科技有限公司",
            registration_number=f"BENCH{i:06d}",
            country="CN",
            region=regions[i % len(regions)],
            green_area=areas[i % len(areas)],
            founding_year=2015,
            employees=5 + i % 200,
            annual_turnover=Decimal(1_000_000 + i * 1000),
            size_class=["micro", "small", "medium"][i % 3],
        )
        for i in range(COUNT)
    )
    companies = list(Company.objects.order_by("pk"))
    Application.objects.bulk_create(
        Application(
            cohort=cohort,
            company=company,
            state=Application.State.UNDER_REVIEW,
            tech_title=f"Technology <{i}> & co",
            tech_area=company.green_area,
            size_class=company.size_class,
            submitted_at=now - timedelta(minutes=i),
            commitment=True,
        )
        for i, company in enumerate(companies)
    )
    applications = list(Application.objects.filter(cohort=cohort).order_by("pk"))
    Review.objects.bulk_create(
        Review(
            application=app,
            reviewer=reviewers[(i + k) % REVIEWERS],
            state=Review.State.SUBMITTED,
            submitted_at=now,
        )
        for i, app in enumerate(applications)
        for k in range(PER_APPLICATION)
    )
    Score.objects.bulk_create(
        Score(review=review, criterion=criterion, value=1 + (review.pk * 7 + criterion.pk) % 5)
        for review in Review.objects.all()
        for criterion in criteria
    )
    fill_missing(Application.objects.all())  # bulk inserts send no signals: the backfill
    analyze()
    return cohort, officer, reviewers[0]


def profile(client, url, runs=20):
    """Cold requests under pyinstrument (a sampling profiler: wall time, little overhead) when
    it is installed, else cProfile."""
    client.get(url)
    try:
        from pyinstrument import Profiler
    except ImportError:
        Profiler = None
    if Profiler is None:
        import cProfile
        import pstats

        cache.clear()
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return
    profiler = Profiler(interval=0.0005)
    for _ in range(runs):
        cache.clear()
        profiler.start()
        client.get(url)
        profiler.stop()
    print(profiler.output_text(unicode=True, show_all=False))


def figure(client, label, url, rows, cold=False):
    median, queries, size, cpu = page_figures(client, url, before=cache.clear if cold else None)
    print(
        f"ranking: {label} {COUNT} apps: {median:.1f} ms median, {queries} queries, "
        f"{size / 1024:.0f} KB, {median / max(rows, 1):.3f} ms per row, {cpu:.1f} ms cpu",
        flush=True,
    )


def main():
    cohort, officer, reviewer = seed()
    client = Client()
    client.force_login(officer)
    base = f"/cohorts/{cohort.pk}/ranking/"
    if os.environ.get("PROFILE"):
        return profile(client, base)
    page_rows = min(250, COUNT)
    figure(client, f"{page_rows} rows cold", base, page_rows, cold=True)
    figure(client, f"{page_rows} rows warm", base, page_rows)
    figure(client, "all rows cold", base + "?all=1", COUNT, cold=True)
    figure(client, "all rows warm", base + "?all=1", COUNT)
    water = Application.objects.filter(cohort=cohort, tech_area="water").count()
    figure(client, "water by score warm", base + "?order=-score&area=water", water)
    figure(client, "csv warm", f"/cohorts/{cohort.pk}/ranking.csv", COUNT)
    client.force_login(reviewer)
    median, queries, size, cpu = page_figures(client, "/cohorts/reviews/")
    line("ranking", f"reviewer list {COUNT} apps ({connection.vendor})", median, queries, size, cpu)


if __name__ == "__main__":
    main()
