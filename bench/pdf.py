"""Benchmark: render a realistic action plan PDF and, interleaved in the same run, the same
content with plain reportlab (bench/lib/plan_floor.py: the floor); print both medians and the ratio
(target <= 1.3x), on the clock and in process CPU time (steadier on a loaded machine). Then time
"Generate all plans" for the demo's running cohort (20 companies) with one and with two real
Celery worker processes (needs PostgreSQL and Redis: DATABASE_URL
and REDIS_URL; skipped when unset).

The cohort part works in a throw-away database ``clinic_bench`` on the same PostgreSQL server and
on Redis database 15, so it never touches your data or your workers' queue.

Run: .venv/bin/python bench/pdf.py [en|zh-hans] [output.pdf]
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from io import BytesIO, StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

import django  # noqa: E402

django.setup()

from lib.plan_floor import render_floor  # noqa: E402

from clinic.dimensions import Dimension  # noqa: E402
from mentoring.pdf import (  # noqa: E402
    ActionLine,
    DimensionFinding,
    PlanDocument,
    SessionLine,
    cjk_font_name,
    render_plan_pdf,
)

RUNS = 15
# BENCH_DATABASE_URL's database name (default clinic_bench) and BENCH_REDIS_DB (default 15).
BENCH_DATABASE = (
    urlsplit(os.environ.get("BENCH_DATABASE_URL", "")).path.lstrip("/") or "clinic_bench"
)
BENCH_REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "15"))
ROOT = Path(__file__).resolve().parent.parent
ASSESSED = date(2026, 6, 15)
HORIZONS = [("Now (within 1 month)", 1), ("3 months", 3), ("6 months", 6), ("12 months", 12)]
POLICIES = ["Acquire", "Exploit", "Monitor", "Enforce"]
ACTION_TITLES = [
    "Adopt an IP policy approved by the board",
    "建立知识产权台账并指定负责人",
    "Sign IP assignment clauses with all R&D staff and contractors",
    "Mark confidential documents and restrict access to the electrolyser recipes",
    "File a PCT application for the membrane coating process",
    "申请“绿氢芯”商标（第1、7、40类）",
    "Commission a freedom-to-operate search for the stack design in the EU",
    "Set up a monthly patent watch on competitors in CPC Y02E 60/36",
    "List the membrane technology on WIPO GREEN",
    "与两家高校签订联合开发协议，明确成果归属",
    "Prepare an IP valuation for the green-loan application",
    "Extend trademark protection to Germany and Vietnam via Madrid",
    "Draft a response playbook for infringement and customs recordal",
    "Review green claims on the website against the EU Green Claims rules",
    "Train sales staff on confidentiality in customer pilots",
]


def sample_plan(language="en"):
    dimensions = [
        DimensionFinding(
            number=dimension.value,
            name=str(dimension.label),
            audit_score=[2.5, 1.0, 1.7, 0.5, 3.0, 2.0, 0.0, 1.2, 1.0, 0.3, 2.8][i],
            expert_score=[2, 1, 1, 1, 3, 2, 0, 1, 1, None, 2][i],
            target=[3, 3, 3, 2, 4, 3, 2, 3, 2, 1, 3][i],
            rationale=(
                "The company knows its core technology is valuable but has no written policy; "
                "decisions on filing are taken ad hoc by the founder. 创始人对知识产权有基本认识。"
            ),
        )
        for i, dimension in enumerate(Dimension)
    ]
    actions = [
        ActionLine(
            dimension=str(Dimension(i % 11 + 1).label),
            policy=POLICIES[i % 4],
            title=title,
            description="Owner prepares a draft, the mentor reviews it, the board approves. "
            "预计需要两周时间。",
            horizon=HORIZONS[i * 4 // len(ACTION_TITLES)][0],
            horizon_order=HORIZONS[i * 4 // len(ACTION_TITLES)][1],
            owner=["Li Wei 李伟", "Zhang Min", "CTO"][i % 3],
            due_date=ASSESSED + timedelta(days=30 + 25 * i),
            cost=["CNY 0", "CNY 8,000", "EUR 4,500", "CNY 25,000"][i % 4],
            kpi="Filed and acknowledged by CNIPA; 已受理" if i % 2 else "Policy signed",
            status=["Open", "In progress", "Done"][i % 3],
        )
        for i, title in enumerate(ACTION_TITLES)
    ]
    sessions = [
        SessionLine(
            number=n,
            held_on=ASSESSED - timedelta(days=14 * (5 - n)),
            mode=["On site", "Online", "Online", "Phone"][n - 1],
            topics="Patents and utility models; Trade secrets and confidentiality",
            summary="Walked through the asset register and the audit answers. "
            "讨论了专利布局和商业秘密保护。" * 2,
            recommendations="Prepare the invention disclosure; list the know-how to keep secret.",
        )
        for n in range(1, 5)
    ]
    return PlanDocument(
        language=language,
        programme="China Greentech IP Management Clinic",
        cohort="Beijing 2026",
        company_name="Hydrocell Energy Technology Co., Ltd.",
        company_local_name="氢芯能源科技有限公司",
        profile=[
            ("Technology area", "Energy storage and hydrogen"),
            ("Size", "Small"),
            ("Region", "Beijing, China 北京"),
            ("Founded", "2019"),
            ("Employees", "38"),
            ("Website", "https://hydrocell.example.cn/"),
        ],
        version=2,
        generated_at=datetime(2026, 6, 20, 10, 30),
        assessment_date=ASSESSED,
        executive_summary=(
            "Hydrocell has a strong technical base in PEM electrolyser membranes and two granted "
            "utility models, but IP management is informal.\n\n"
            "The plan focuses on securing ownership, protecting the coating process abroad and "
            "using the portfolio to support green finance. 计划重点是确权、海外布局和融资。"
        ),
        swot={
            "strengths": "Two granted utility models; experienced R&D team.",
            "weaknesses": "No IP policy; no assignment clauses with contractors.\n无保密制度。",
            "opportunities": "Green-loan programmes accepting IP as collateral; WIPO GREEN.",
            "threats": "Competitors filing around the membrane; trade-secret leakage in pilots.",
        },
        readiness_percent=38.6,
        dimensions=dimensions,
        actions=actions,
        sessions=sessions,
        follow_up_dates=[ASSESSED + timedelta(days=182), ASSESSED + timedelta(days=365)],
        expert_names=["Dr. Anna Keller", "王芳"],
    )


def pages(pdf):
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def timed(render, *args):
    """(result, seconds on the clock, seconds of this process's CPU)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = render(*args)
    return result, time.perf_counter() - start, time.process_time() - cpu


def main():
    if sys.argv[1:2] == ["--cohort-child"]:
        return cohort_child()
    language = sys.argv[1] if len(sys.argv) > 1 else "en"
    plan = sample_plan(language)
    font = cjk_font_name()
    render_plan_pdf(plan), render_floor(plan, font)  # warm up: font registration, imports
    ours, floor, ours_cpu, floor_cpu = [], [], [], []
    for _ in range(RUNS):  # interleaved, so both see the same load
        pdf, seconds, cpu = timed(render_plan_pdf, plan)
        ours.append(seconds)
        ours_cpu.append(cpu)
        reference, seconds, cpu = timed(render_floor, plan, font)
        floor.append(seconds)
        floor_cpu.append(cpu)
    if len(sys.argv) > 2:
        Path(sys.argv[2]).write_bytes(pdf)
    mine, base = statistics.median(ours) * 1000, statistics.median(floor) * 1000
    print(
        f"pdf: per plan {mine:.1f} ms, floor {base:.1f} ms, ratio {mine / base:.2f}x "
        f"({language}, median of {RUNS}; {pages(pdf)} and {pages(reference)} pages, "
        f"{len(pdf) / 1024:.0f} and {len(reference) / 1024:.0f} KB)",
        flush=True,
    )
    mine, base = statistics.median(ours_cpu) * 1000, statistics.median(floor_cpu) * 1000
    print(
        f"pdf: cpu per plan {mine:.1f} ms, floor {base:.1f} ms, ratio {mine / base:.2f}x "
        f"({language}, process time: steadier than the clock on a loaded machine)",
        flush=True,
    )
    cohort_benchmark()


# --- a 20-company cohort through real workers -------------------------------------------------


def _with_path(url, path):
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))


def cohort_benchmark():
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url:
        print(
            "cohort: skipped (set DATABASE_URL to PostgreSQL and REDIS_URL "
            "to time real Celery workers)"
        )
        return
    import psycopg

    admin = _with_path(database_url, "/postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    try:
        with tempfile.TemporaryDirectory() as var_dir:
            env = {
                **os.environ,
                "DATABASE_URL": _with_path(database_url, f"/{BENCH_DATABASE}"),
                "REDIS_URL": _with_path(redis_url, f"/{BENCH_REDIS_DB}"),
                "CLINIC_VAR_DIR": var_dir,
                "LOG_LEVEL": "WARNING",
            }
            subprocess.run(
                [sys.executable, __file__, "--cohort-child"], cwd=ROOT, env=env, check=True
            )
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")


def cohort_child():
    """In the throw-away database: migrate, make a cohort of 20 submitted assessments, then time
    "Generate all plans" with 1 and 2 worker processes."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    officer, cohort, size = _seed_cohort()
    for workers in (1, 2):
        seconds, in_task = _time_generate_all(officer, cohort, workers)
        print(
            f"cohort of {size}, {workers} worker process{'es' if workers > 1 else ''}: "
            f"{seconds:.2f} s ({seconds / size:.3f} s per plan; median "
            f"{in_task:.3f} s inside the task)"
        )


def _seed_cohort():
    """The demo programme (seed_demo), then an assessment submitted for every participant of its
    running cohort that has none yet, through the services (mentoring.demo_plans)."""
    from django.core.management import call_command

    from mentoring.demo_plans import _assess, _lead_expert
    from mentoring.models import Assessment, Participation

    call_command("seed_demo", verbosity=0, stdout=StringIO())
    participations = Participation.objects.filter(state=Participation.State.MENTORING)
    cohort = participations.order_by("pk").first().cohort
    for participation in participations.filter(cohort=cohort).select_related("company", "cohort"):
        expert = _lead_expert(participation)
        if (
            expert is not None
            and not Assessment.objects.filter(participation=participation).exists()
        ):
            _assess(expert, participation, submit=True)
    from clinic.models import User

    ready = cohort.participations.filter(assessment__state="submitted").count()
    return User.objects.get(username="officer"), cohort, ready


def _time_generate_all(officer, cohort, workers):
    from django.db import transaction

    from clinic.celery import app
    from mentoring.models import PlanVersion
    from mentoring.services.plan_versions import generate_all, request_version

    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "clinic", "worker", "--concurrency", str(workers),
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
         "-n", f"bench-{workers}-{os.getpid()}@%h"],
        cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5) and time.monotonic() < deadline:
            time.sleep(0.2)
        # Warm up: the first task waits for the worker to start consuming; it is not timed.
        with transaction.atomic():
            ready = cohort.participations.filter(assessment__state="submitted")
            warm = request_version(officer, ready.first())
        while PlanVersion.objects.get(pk=warm.pk).is_pending:
            time.sleep(0.05)
        start = time.perf_counter()
        with transaction.atomic():
            batch, _count = generate_all(officer, cohort)
        pending = PlanVersion.objects.filter(batch=batch, state__in=["queued", "rendering"])
        while pending.exists():
            if time.perf_counter() - start > 300:
                raise RuntimeError("plans not generated within 5 minutes")
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        inside = [
            (v.finished_at - v.started_at).total_seconds()
            for v in PlanVersion.objects.filter(batch=batch)
        ]
        return elapsed, statistics.median(inside)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


if __name__ == "__main__":
    main()
