"""Queries and median server time of the ranking page and a reviewer's list.

Seeds a throw-away SQLite database with one cohort of 2,000 eligible applications x 3 submitted
reviews (6 criteria each), then requests through Django's test client:
the ranking at 250 rows a page, the ranking with all rows on one page, the CSV export, and a
reviewer's list (about 1,000 reviews).
Target: at most 25 queries whatever the number of rows; under 0.5 ms per rendered row.
The ranking is cached under a fingerprint of its inputs: "cold" lines clear the cache before
every request, so they show the cost right after a review is submitted.

Run: .venv/bin/python bench/ranking.py [applications]
(PIECES=1 times the ranking computation alone; PROFILE=1 profiles one ranking request.)
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
os.environ["CLINIC_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-ranking-")
# SQLite in a throw-away folder unless BENCH_DATABASE_URL names an empty database to use.
os.environ.pop("DATABASE_URL", None)
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
os.environ["DJANGO_DEBUG"] = "1"

import django  # noqa: E402

django.setup()

from datetime import timedelta  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from clinic import roles  # noqa: E402
from clinic.models import Company, GreenArea, User  # noqa: E402
from cohorts.models import Application, Cohort, Programme, Review, Score  # noqa: E402
from cohorts.services.rubric import ensure_rubric  # noqa: E402

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
REVIEWERS, PER_APPLICATION, RUNS = 6, 3, 7


def seed():
    from django.contrib.auth.models import Group

    call_command("migrate", verbosity=0)
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
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does soon after a bulk load
    return cohort, officer, reviewers[0]


def measure(client, url, rows, cold=False):
    from django.core.cache import cache

    client.get(url)  # warm up (template loading, translations)
    connection.queries_log.clear()  # each request resets the log (request_started)
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(RUNS):
        if cold:
            cache.clear()
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    median = statistics.median(times) * 1000
    label = url + (" (cold: ranking recomputed)" if cold else "")
    print(
        f"{label:<60} rows={rows:>5}  queries={len(queries):>3}  median={median:8.1f} ms"
        f"  per row={median / max(rows, 1):.3f} ms"
    )


def profile(client, url):
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


def main():
    started = time.perf_counter()
    cohort, officer, reviewer = seed()
    print(
        f"Seeded {COUNT} applications x {PER_APPLICATION} reviews x 6 criteria "
        f"in {time.perf_counter() - started:.1f} s ({connection.vendor})\n"
    )
    client = Client()
    client.force_login(officer)
    base = f"/cohorts/{cohort.pk}/ranking/"
    if os.environ.get("PIECES"):
        from cohorts.services.ranking import compute_ranking, rank_applications

        criteria = ensure_rubric(cohort)
        for label, func in [
            ("compute_ranking (uncached)", lambda: compute_ranking(cohort, criteria)),
            ("rank_applications (cached)", lambda: rank_applications(cohort)),
            (
                "score query only",
                lambda: list(
                    Score.objects.filter(
                        review__application__cohort=cohort, review__state="submitted"
                    ).values_list("review__application_id", "review_id", "criterion_id", "value")
                ),
            ),
        ]:
            times = []
            for _ in range(RUNS):
                start = time.perf_counter()
                func()
                times.append(time.perf_counter() - start)
            print(
                f"{label}: {statistics.median(times) * 1000:.1f} ms",
                [round(t * 1000) for t in times],
            )
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        rank_applications(cohort)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(12)
        return
    if os.environ.get("PROFILE"):
        client.get(base)
        profile(client, base)
        return
    measure(client, base, min(250, COUNT))
    measure(client, base, min(250, COUNT), cold=True)
    measure(client, base + "?all=1", COUNT)
    measure(client, base + "?all=1", COUNT, cold=True)
    water = Application.objects.filter(cohort=cohort, tech_area="water").count()
    measure(client, base + "?order=-score&area=water", water)
    measure(client, f"/cohorts/{cohort.pk}/ranking.csv", COUNT)
    client.force_login(reviewer)
    measure(client, "/cohorts/reviews/", Review.objects.filter(reviewer=reviewer).count())


if __name__ == "__main__":
    main()
