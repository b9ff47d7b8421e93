"""Production settings: collectstatic with the manifest, pages through whitenoise with DEBUG off,
and the one-line refusals of a missing or wrong setting."""

import os
import re
import secrets
import subprocess
import sys

import pytest
from django.test import Client, override_settings

from clinic import roles
from tests.factories import company_with_representative, make_user
from tests.services import collected_static

from .test_project import ROOT, manage

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "clinic.example.org",
    "DATABASE_URL": "postgres://clinic:secret@db.example.org/clinic",
    "REDIS_URL": "redis://redis.example.org:6379/0",
}
STATIC_LINK = re.compile(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"')


BUILD_ONLY = {**PRODUCTION, "DATABASE_URL": "", "REDIS_URL": ""}  # an empty value is unset
START_COMMANDS = {
    "manage.py migrate": [sys.executable, "manage.py", "migrate", "--noinput"],
    "the web server": [sys.executable, "-c", "import clinic.wsgi"],
    "a Celery worker": [sys.executable, "-m", "celery", "-A", "clinic", "worker", "--pool", "solo"],
    "Celery beat": [sys.executable, "-m", "celery", "-A", "clinic", "beat"],
}


def refusal(**env):
    result = manage("migrate", "--noinput", **{**PRODUCTION, **env})
    return result.returncode, result.stderr.strip()


def started(command, env):
    result = subprocess.run(
        command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=60
    )
    return result.returncode, result.stderr.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    return collected_static(tmp_path_factory)


def production_pages(static_root):
    return override_settings(
        DEBUG=False,
        STATIC_ROOT=static_root,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "clinic.staticfiles.ManifestStorage"},
        },
    )


@pytest.mark.django_db
def test_collected_static_files_serve_the_login_page_with_debug_off(collected):
    with production_pages(collected):
        client = Client()
        page = client.get("/accounts/login/")
        stylesheet = STATIC_LINK.search(page.content.decode()).group(1)
        served = client.get(stylesheet)
        assert (page.status_code, served.status_code) == (200, 200)
        assert served.headers["Cache-Control"] == "max-age=315360000, public, immutable"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [roles.OFFICER, roles.LEAD, roles.REVIEWER, roles.EXPERT])
def test_collected_static_files_serve_my_tasks_of_staff_roles_with_debug_off(collected, role):
    with production_pages(collected):
        client = Client()
        client.force_login(make_user(role))
        page = client.get("/")
        assert (page.status_code, STATIC_LINK.search(page.content.decode()) is not None) == (
            200,
            True,
        )


@pytest.mark.django_db
def test_collected_static_files_serve_my_tasks_of_an_sme_with_debug_off(collected):
    _company, representative = company_with_representative()
    with production_pages(collected):
        client = Client()
        client.force_login(representative)
        page = client.get("/")
        assert (page.status_code, STATIC_LINK.search(page.content.decode()) is not None) == (
            200,
            True,
        )


EXAMPLES = {"DATABASE_URL": "postgres://user:password@host/db", "REDIS_URL": "redis://host:6379/0"}
REFUSALS = {
    "short-secret-key": (
        {"DJANGO_SECRET_KEY": "short"},
        "DJANGO_SECRET_KEY must be 50 or more random characters",
    ),
    "no-allowed-hosts": (
        {"DJANGO_ALLOWED_HOSTS": ""},
        "DJANGO_ALLOWED_HOSTS must name the site's host(s) when DJANGO_DEBUG=0",
    ),
    "no-database-url": (
        {"DATABASE_URL": ""},
        "DATABASE_URL must be set when DJANGO_DEBUG=0 (postgres://user:password@host/db)",
    ),
    "database-url-of-unknown-scheme": (
        {"DATABASE_URL": "mysqlx://db.example.org/clinic"},
        "DATABASE_URL is not a database URL (postgres://user:password@host/db)",
    ),
    "no-redis-url": (
        {"REDIS_URL": ""},
        "REDIS_URL must be set when DJANGO_DEBUG=0 (redis://host:6379/0)",
    ),
    "redis-url-of-another-scheme": (
        {"REDIS_URL": "http://redis.example.org"},
        "REDIS_URL must start with redis://, rediss:// or unix://",
    ),
    "plain-http-for-a-public-host": (
        {"DJANGO_ALLOW_PLAIN_HTTP": "1"},
        "DJANGO_ALLOW_PLAIN_HTTP is only for 127.0.0.1: DJANGO_ALLOWED_HOSTS is public",
    ),
    "bucket-without-credentials": (
        {"S3_BUCKET": "clinic-media", "S3_ACCESS_KEY_ID": "key"},
        "S3_SECRET_ACCESS_KEY must be set when S3_BUCKET is set",
    ),
}


@pytest.mark.parametrize("case", REFUSALS.keys())
def test_production_settings_refuse_a_missing_or_wrong_setting_with_one_line(case):
    env, line = REFUSALS[case]
    assert refusal(**env) == (1, f"Configuration error: {line}")


def test_collectstatic_needs_only_the_secret_key_and_the_hosts(collected):
    # The fixture ran manage.py collectstatic without DATABASE_URL or REDIS_URL, as a build does.
    assert (collected / "staticfiles.json").is_file()


def test_deploy_check_needs_only_the_secret_key_and_the_hosts():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **BUILD_ONLY)
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.parametrize("process", START_COMMANDS.keys())
@pytest.mark.parametrize("missing", ["DATABASE_URL", "REDIS_URL"])
def test_serving_processes_refuse_to_start_without_the_database_or_the_broker(process, missing):
    env = {**PRODUCTION, missing: ""}
    assert started(START_COMMANDS[process], env) == (
        1,
        f"Configuration error: {missing} must be set when DJANGO_DEBUG=0 ({EXAMPLES[missing]})",
    )


def test_deploy_check_warns_while_plain_http_is_allowed():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **{**PRODUCTION, "DJANGO_ALLOW_PLAIN_HTTP": "1", "DJANGO_ALLOWED_HOSTS": "127.0.0.1"},
    )
    codes = sorted(set(re.findall(r"security\.W\d+", result.stderr)))
    assert (result.returncode, codes) == (
        1,
        ["security.W004", "security.W008", "security.W012", "security.W016"],
    )


def test_plain_http_turns_off_secure_cookies_and_the_https_redirect():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SECURE_SSL_REDIRECT)",
        **{**PRODUCTION, "DJANGO_ALLOW_PLAIN_HTTP": "1", "DJANGO_ALLOWED_HOSTS": "127.0.0.1"},
    )
    assert (result.returncode, result.stdout.splitlines()[-1]) == (0, "False False False")
