"""N simultaneous logins (a cohort's kick-off): wall time, logins per second, and the CPU one
password check costs with Django's default hasher (PBKDF2-SHA256).

Starts gunicorn (WORKERS processes, default 2) on a throw-away SQLite database with N users, has N
clients fetch the login page, then posts all N logins at once and times them. Set LOGIN_URL_BASE
(e.g. http://127.0.0.1:8000) to measure a running server instead (``make prod``; it must have
the users bench-login0..N-1 with the password below).

Run: .venv/bin/python bench/logins.py [N]      (default 20)
"""

import os
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lib.common import ROOT, setup_django  # noqa: E402

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 20
WORKERS = int(os.environ.get("WORKERS", "2"))
PASSWORD = "kick-off-Passw0rd!"
PORT = 8765
LOGIN_PATH = "/accounts/login/"


def seed():
    from django.contrib.auth.hashers import make_password

    from clinic.models import User

    hashed = make_password(PASSWORD)  # one hash for all: seeding N would cost N hashes
    User.objects.bulk_create(
        User(username=f"bench-login{n}", email=f"login{n}@bench.test", password=hashed)
        for n in range(COUNT)
    )


def hash_cpu_ms(runs=5):
    from django.contrib.auth.hashers import check_password, make_password

    hashed = make_password(PASSWORD)
    times = []
    for _ in range(runs):
        start = time.process_time()
        check_password(PASSWORD, hashed)
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def start_server():
    env = {**os.environ, "DATABASE_URL": os.environ.get("DATABASE_URL", "")}
    if not env["DATABASE_URL"]:
        from django.conf import settings

        env["DATABASE_URL"] = f"sqlite:///{settings.DATABASES['default']['NAME']}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "clinic.wsgi", "--bind", f"127.0.0.1:{PORT}",
         "--workers", str(WORKERS), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{PORT}{LOGIN_PATH}", timeout=30).ok:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def login_form(base):
    import requests

    session = requests.Session()
    page = session.get(f"{base}{LOGIN_PATH}", timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return session, token


def log_in(base, session, token, number):
    start = time.perf_counter()
    response = session.post(
        f"{base}{LOGIN_PATH}",
        data={
            "csrfmiddlewaretoken": token,
            "username": f"bench-login{number}",
            "password": PASSWORD,
        },
        headers={"Referer": f"{base}{LOGIN_PATH}"},
        allow_redirects=False,
        timeout=120,
    )
    if response.status_code != 302:
        raise RuntimeError(f"login {number}: HTTP {response.status_code}")
    return time.perf_counter() - start


def main():
    base = os.environ.get("LOGIN_URL_BASE", "")
    server = None
    if not base:
        setup_django("logins")
        seed()
        server = start_server()
        base = f"http://127.0.0.1:{PORT}"
    else:
        import django

        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
        django.setup()
    try:
        forms = [login_form(base) for _ in range(COUNT)]
        with ThreadPoolExecutor(COUNT) as pool:
            start = time.perf_counter()
            each = list(pool.map(lambda n: log_in(base, *forms[n], n), range(COUNT)))
            wall = time.perf_counter() - start
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    cpu = hash_cpu_ms()
    print(f"logins: one password check (PBKDF2, default hasher): {cpu:.0f} ms CPU", flush=True)
    print(
        f"logins: {COUNT} parallel logins, {WORKERS} gunicorn workers: {wall:.2f} s wall, "
        f"{COUNT / wall:.1f} logins/s, {statistics.median(each) * 1000:.0f} ms median each; "
        f"sizing about {1000 / cpu:.1f} logins/s per free core",
        flush=True,
    )


if __name__ == "__main__":
    main()
