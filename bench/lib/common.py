"""What the benchmarks share: a throw-away database, Django set up on it, and page figures.

``BENCH_DATABASE_URL`` names the database a benchmark may drop and recreate (PostgreSQL, e.g.
``postgres://postgres@127.0.0.1:5432/h_bench``); unset, a fresh SQLite file in a temporary folder.
Benchmarks never import the test suite: they seed with bulk inserts and the services.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]


def setup_django(name):
    """Point Django at a fresh benchmark database (dropped and recreated), set it up, migrate."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    os.environ["CLINIC_VAR_DIR"] = tempfile.mkdtemp(prefix=f"bench-{name}-")
    os.environ["DJANGO_DEBUG"] = "1"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop("DATABASE_URL", None)
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if url.startswith("postgres"):
        recreate_postgres(url)
        os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def recreate_postgres(url):
    import psycopg

    parts = urlsplit(url)
    database = parts.path.lstrip("/")
    if not database.replace("_", "").isalnum():
        raise SystemExit(f"unexpected database name {database!r}")
    admin = urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {database}")


def analyze():
    """What autovacuum does soon after a bulk load (SQLite: refresh the planner's statistics)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def median_ms(func, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def page_figures(client, url, runs=7, before=None):
    """(median ms, queries, bytes, median ms of this process's CPU) of GET ``url``; ``before``
    runs ahead of every request (e.g. clearing a cache) and is not timed. The CPU time is
    steadier than the clock on a loaded machine (on PostgreSQL it leaves out the server's)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up: templates, translations
    if before:
        before()
    connection.queries_log.clear()  # each request resets the log (request_started)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    size = len(response.content)

    times, cpu = [], []
    for _ in range(runs):
        if before:
            before()
        start, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(times) * 1000, len(queries), size, statistics.median(cpu) * 1000


def line(prefix, label, median, queries=None, size=None, cpu=None):
    text = f"{prefix}: {label}: {median:.1f} ms median"
    if queries is not None:
        text += f", {queries} queries"
    if size is not None:
        text += f", {size / 1024:.0f} KB"
    if cpu is not None:
        text += f", {cpu:.1f} ms cpu"
    print(text, flush=True)
