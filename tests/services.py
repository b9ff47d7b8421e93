"""Real servers for integration tests: PostgreSQL, Redis and `celery worker` processes.

On a laptop without them the tests skip; with CI=true a missing server fails the run.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
NAMESPACE = f"t{os.getpid()}-{uuid.uuid4().hex[:8]}-"


def require(condition, what):
    if condition:
        return
    message = f"integration test needs {what}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI=true: integration tests must run)")
    pytest.skip(message)


def port_open(port, host="127.0.0.1"):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def redis_url():
    """The Redis the run was given (REDIS_URL): queues are namespaced per test process."""
    return os.environ.get("REDIS_URL", "")


def require_postgres_and_redis():
    require(connection.vendor == "postgresql", "PostgreSQL (set DATABASE_URL)")
    require(bool(redis_url()), "Redis (set REDIS_URL)")
    parsed = urlsplit(redis_url())
    where = (parsed.port or 6379, parsed.hostname or "127.0.0.1")
    require(port_open(*where), f"Redis running on {where[1]}:{where[0]}")


def database_url():
    db = connection.settings_dict
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


def process_env(redis, var_dir, **extra):
    """The environment of a web or worker process of this test: its own queues (the namespace
    is unique to this test process) so parallel runs on one Redis never take each other's tasks."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis,
        "CLINIC_NAMESPACE": NAMESPACE,
        "CLINIC_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OUTBOX_RETRY_BACKOFF": "1",
    }
    env.update({key: str(value) for key, value in extra.items()})
    return env


@contextmanager
def celery_worker(env, concurrency=1):
    """A real `celery worker` process for the duration of the block."""
    log = open(Path(env["CLINIC_VAR_DIR"]) / "worker.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "clinic", "worker", "--loglevel", "INFO",
         "--concurrency", str(concurrency), "--without-gossip", "--without-mingle",
         "-n", f"test-{os.getpid()}-{time.monotonic_ns()}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()


def run_django(code, env):
    """Run Python code in a separate Django process (as a web process would)."""
    script = f"import django; django.setup()\n{code}"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@contextmanager
def redis_server(port):
    """A private Redis server we can stop and start, to play a broker outage."""
    binary = shutil.which("redis-server")
    require(binary is not None, "the redis-server binary")
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_until(lambda: port_open(port), 10)
    try:
        yield server
    finally:
        server.terminate()
        server.wait(timeout=10)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False
