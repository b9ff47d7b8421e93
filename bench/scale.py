"""Officer, reviewer and SME pages at 2,000 and at 50,000 applications: median time, queries, size.

One cohort holds every application (the worst case for each page). Of every 50,000: 5,000 are
submitted with their screening task waiting in the officers' pool, 8,334 are under review with
3 reviews each (25,000 reviews, two thirds with scores), the rest are drafts, ineligible or
withdrawn; one SME represents 550 companies. Those under review were screened (``screened_at``:
the funnel's stage times are known). Rows are bulk inserted; the screening tasks are copies of
one real task started by the flow. The database grows from the first size to the second, so
the proportions are the same at both.

BENCH_DATABASE_URL names a PostgreSQL database to drop and recreate; SQLite when unset.
Targets: every page <= 150 ms median at 50,000; equal query counts at both sizes; no page over
500 KB (the ranking's all-rows view only at 2,000, <= 1.5 MB).

Run: .venv/bin/python bench/scale.py [sizes...]      (default: 2000 50000)
(PROFILE="<page label>" profiles one request of that page at the last size instead;
PAGES="<text>" measures only the pages whose label contains that text, e.g. PAGES=dashboard.)
"""

import os
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lib.common import analyze, line, page_figures, setup_django  # noqa: E402

setup_django("scale")

from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from viewflow.workflow.models import Process, Task  # noqa: E402

from clinic import roles  # noqa: E402
from clinic.models import AuditLog, Company, GreenArea, User  # noqa: E402
from cohorts.models import Application, Cohort, Programme, QuotaRule, Review, Score  # noqa: E402
from cohorts.services.ranking import ranking_changed  # noqa: E402
from cohorts.services.rubric import ensure_rubric  # noqa: E402
from cohorts.services.stage_times import backfill  # noqa: E402
from cohorts.services.summaries import fill_missing, renew  # noqa: E402

SIZES = [int(size) for size in sys.argv[1:]] or [2_000, 50_000]
REVIEWERS, CHUNK = 10, 5_000
AREAS = list(GreenArea.values)
REGIONS = ["Beijing", "Shanghai", "Guangdong", "Jiangsu", "Zhejiang", "Sichuan"]
State = Application.State
NOW = timezone.now()


def state_of(i):
    if i % 10 == 0:
        return State.SUBMITTED
    if i % 6 == 1:
        return State.UNDER_REVIEW
    return [State.DRAFT, State.DRAFT, State.INELIGIBLE, State.WITHDRAWN, State.DRAFT][i % 5]


def screened_at(i):
    """Under review: screened halfway between its submission and now."""
    return NOW - timedelta(minutes=i / 2) if state_of(i) == State.UNDER_REVIEW else None


def user(name, role):
    account = User.objects.create_user(name, f"{name}@bench.test", "x", email_verified_at=NOW)
    account.groups.add(Group.objects.get(name=role))
    return account


class World:
    def __init__(self):
        roles.ensure_roles()
        programme = Programme.objects.create(name="Bench programme", organiser="Bench")
        self.cohort = Cohort.objects.create(
            programme=programme,
            name="Bench cohort",
            applications_open_at=NOW - timedelta(days=60),
            applications_close_at=NOW - timedelta(days=10),
            start_date=timezone.localdate() + timedelta(days=30),
            end_date=timezone.localdate() + timedelta(days=150),
        )
        self.criteria = ensure_rubric(self.cohort)
        for dimension, value, minimum, maximum in [
            ("green_area", "water", None, 6),
            ("green_area", AREAS[0], None, 6),
            ("size_class", "micro", 5, None),
            ("region", "beijing", None, 8),
            ("region", "sichuan", 2, None),
        ]:
            QuotaRule.objects.create(
                cohort=self.cohort,
                dimension=dimension,
                value=value,
                minimum=minimum,
                maximum=maximum,
            )
        self.officer = user("bench-officer", roles.OFFICER)
        self.reviewers = [user(f"bench-reviewer{n}", roles.REVIEWER) for n in range(REVIEWERS)]
        self.sme = user("bench-sme", roles.SME)
        self.size = 0
        self.task_template = None

    def grow(self, size):
        for start in range(self.size, size, CHUNK):
            self._add(range(start, min(start + CHUNK, size)))
        self.size = size
        # bulk inserts send no signals and make no moves: the summaries' backfill, the stage
        # times' (from the rows' stamps and the reviews) and a new ranking version
        fill_missing(Application.objects.filter(reviews__isnull=False).distinct())
        backfill(Application, Review, AuditLog)
        ranking_changed(pk=self.cohort.pk)
        analyze()

    def _add(self, indexes):
        Company.objects.bulk_create(
            Company(
                legal_name=f"Bench Company {i} 绿色科技有限公司",
                local_name=f"绿色科技{i}",
                registration_number=f"BENCH{i:06d}",
                country="CN",
                region=REGIONS[i % len(REGIONS)],
                green_area=AREAS[i % len(AREAS)],
                founding_year=2015,
                employees=5 + i % 200,
                annual_turnover=Decimal(1_000_000 + i * 1000),
                size_class=["micro", "small", "medium"][i % 3],
            )
            for i in indexes
        )
        companies = dict(
            Company.objects.filter(registration_number__gte=f"BENCH{indexes[0]:06d}")
            .filter(registration_number__lte=f"BENCH{indexes[-1]:06d}")
            .values_list("registration_number", "pk")
        )
        company_ids = [companies[f"BENCH{i:06d}"] for i in indexes]
        Company.representatives.through.objects.bulk_create(
            Company.representatives.through(company_id=company_ids[n], user_id=self.sme.pk)
            for n, i in enumerate(indexes)
            if i % 91 == 0
        )
        Application.objects.bulk_create(
            Application(
                cohort=self.cohort,
                company_id=company_ids[n],
                state=state_of(i),
                tech_title=f"Technology <{i}> & co",
                tech_area=AREAS[i % len(AREAS)],
                size_class=["micro", "small", "medium"][i % 3],
                submitted_at=None if state_of(i) == State.DRAFT else NOW - timedelta(minutes=i),
                screened_at=screened_at(i),
                commitment=True,
            )
            for n, i in enumerate(indexes)
        )
        applications = dict(
            Application.objects.filter(company_id__in=company_ids).values_list("company_id", "pk")
        )
        by_index = {i: applications[company_ids[n]] for n, i in enumerate(indexes)}
        self._screening_tasks([by_index[i] for i in indexes if state_of(i) == State.SUBMITTED])
        self._reviews([(i, by_index[i]) for i in indexes if state_of(i) == State.UNDER_REVIEW])

    def _screening_tasks(self, application_ids):
        if not application_ids:
            return
        if self.task_template is None:
            from cohorts.flows import ApplicationFlow, start_application_flow

            start_application_flow(Application.objects.get(pk=application_ids[0]))
            self.task_template = Task.objects.get(flow_task=ApplicationFlow.screen)
            application_ids = application_ids[1:]
        template = self.task_template
        content_type = ContentType.objects.get_for_model(Application)
        processes = Process.objects.bulk_create(
            Process(
                flow_class=template.process.flow_class,
                status=template.process.status,
                artifact_content_type=content_type,
                artifact_object_id=pk,
            )
            for pk in application_ids
        )
        if processes and processes[0].pk is None:  # backends that return no keys
            processes = list(
                Process.objects.filter(artifact_object_id__in=application_ids).order_by("pk")
            )
        Task.objects.bulk_create(
            Task(
                process_id=process.pk,
                flow_task=template.flow_task,
                flow_task_type=template.flow_task_type,
                status=template.status,
                owner_permission=template.owner_permission,
                created=NOW - timedelta(seconds=process.artifact_object_id),
            )
            for process in processes
        )

    def _reviews(self, applications):
        reviews = Review.objects.bulk_create(
            Review(
                application_id=pk,
                reviewer=self.reviewers[(i + k) % REVIEWERS],
                state=Review.State.SUBMITTED if k < 2 or i % 3 else Review.State.ASSIGNED,
                submitted_at=NOW if k < 2 or i % 3 else None,
            )
            for i, pk in applications
            for k in range(3)
        )
        submitted = Review.objects.filter(
            application_id__in=[pk for _i, pk in applications], state=Review.State.SUBMITTED
        ).values_list("pk", flat=True)
        del reviews
        Score.objects.bulk_create(
            Score(review_id=pk, criterion=criterion, value=1 + (pk * 7 + criterion.pk) % 5)
            for pk in submitted
            for criterion in self.criteria
        )


def pages(world):
    cohort = world.cohort.pk
    reviewed = Review.objects.filter(application__cohort=cohort).values("application").first()

    def changed():
        """What a saved review does: its application's summary renewed, a new version."""
        renew(Application.objects.get(pk=reviewed["application"]))
        ranking_changed(pk=cohort)

    return [
        ("my-tasks officer", world.officer, "/", None),
        ("screening officer", world.officer, f"/cohorts/{cohort}/screening/", None),
        ("ranking officer", world.officer, f"/cohorts/{cohort}/ranking/", None),
        ("ranking cold officer", world.officer, f"/cohorts/{cohort}/ranking/", cache.clear),
        ("ranking after a review officer", world.officer, f"/cohorts/{cohort}/ranking/", changed),
        ("ranking all rows officer", world.officer, f"/cohorts/{cohort}/ranking/?all=1", None),
        ("selection officer", world.officer, f"/cohorts/{cohort}/selection/", None),
        ("dashboard officer", world.officer, "/mentoring/dashboard/", None),  # target 300 ms
        ("dashboard cohort officer", world.officer, f"/mentoring/dashboard/?cohort={cohort}", None),
        ("my-tasks reviewer", world.reviewers[0], "/", None),
        ("reviews reviewer", world.reviewers[0], "/cohorts/reviews/", None),
        ("my-tasks sme", world.sme, "/", None),
        ("my-applications sme", world.sme, "/cohorts/applications/", None),
    ]


def profile(world, wanted):
    import cProfile
    import pstats

    for label, viewer, url, before in pages(world):
        if label == wanted:
            client = Client()
            client.force_login(viewer)
            client.get(url)
            if before:
                before()
            profiler = cProfile.Profile()
            profiler.enable()
            client.get(url)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumtime").print_stats(40)


def main():
    world = World()
    clients = {}
    if os.environ.get("PROFILE"):
        world.grow(SIZES[-1])
        return profile(world, os.environ["PROFILE"])
    for size in SIZES:
        world.grow(size)
        for label, viewer, url, before in pages(world):
            if os.environ.get("PAGES", "") not in label:
                continue
            if "all rows" in label and size > 2_000:
                continue  # exempt at 50,000: it is every row on one page
            client = clients.get(viewer.pk)
            if client is None:
                client = clients[viewer.pk] = Client()
                client.force_login(viewer)
            median, queries, size_bytes, cpu = page_figures(client, url, before=before)
            line("scale", f"{label} {size} apps", median, queries, size_bytes, cpu)


if __name__ == "__main__":
    main()
