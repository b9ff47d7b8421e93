"""Real servers for integration tests: PostgreSQL, Redis and `celery worker` processes.

On a laptop without them the tests skip; with CI=true a missing server fails the run.
"""

import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
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
def background_process(args, env, log_name):
    """A process (in its own process group, so a test can SIGKILL it with its children) for the
    duration of the block; its output goes to ``log_name`` in the test's var dir."""
    log = open(Path(env["CLINIC_VAR_DIR"]) / log_name, "w")  # noqa: SIM115
    process = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()


def celery_worker(env, concurrency=1, name="worker"):
    """A real `celery worker` process (every queue) for the duration of the block."""
    return background_process(
        [sys.executable, "-m", "celery", "-A", "clinic", "worker", "--loglevel", "INFO",
         "--concurrency", str(concurrency), "--without-gossip", "--without-mingle",
         "-n", f"{name}-{os.getpid()}-{time.monotonic_ns()}@%h"],
        env, f"{name}.log",
    )  # fmt: skip


def celery_beat(env):
    """The one `celery beat` process, its schedule file in the test's var dir."""
    return background_process(
        [sys.executable, "-m", "celery", "-A", "clinic", "beat", "--loglevel", "INFO"],
        env,
        "beat.log",
    )


@contextmanager
def web_server(env, port):
    """A gunicorn instance on 127.0.0.1:``port``, answering once the block starts."""
    args = [sys.executable, "-m", "gunicorn", "clinic.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", "1", "--timeout", "60"]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    with background_process(args, env, f"gunicorn-{port}.log"):
        assert wait_until(lambda: port_open(port), 60) is True
        # gunicorn binds before its worker has loaded Django: wait for a first answer (any status)
        urlopen_any(f"{base}/accounts/login/", timeout=120)
        yield base


def collected_static(tmp_path_factory):
    """Static files collected once per test run (shared by xdist workers) by ``manage.py
    collectstatic`` as a build step runs it: production settings and manifest storage, with no
    database or broker configured. Returns the STATIC_ROOT."""
    base = tmp_path_factory.getbasetemp()
    base = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    root = base / "collected-static"
    with open(base / "collected-static.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "staticfiles.json").exists():
            services = ("DATABASE_URL", "REDIS_URL", "S3_BUCKET")
            env = {key: value for key, value in os.environ.items() if key not in services}
            env.update({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "s" * 50,
                        "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "STATIC_ROOT": str(root),
                        "CLINIC_VAR_DIR": str(base / "collected-static-var")})  # fmt: skip
            result = subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
            )  # fmt: skip
            assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return root


def run_django(code, env, timeout=60):
    """Run Python code in a separate Django process (as a web process would)."""
    script = f"import django; django.setup()\n{code}"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
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


def urlopen_any(url, timeout):
    """GET ``url`` and return its status, whatever it is (an error status is an answer too)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


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
