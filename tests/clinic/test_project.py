import os
import secrets
import subprocess
import sys

from django.core.management import call_command

from tests.services import ROOT


def manage(*args, **env):
    """Run manage.py in a fresh process with a production-like environment."""
    base = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="clinic.example.org",
        DATABASE_URL="postgres://clinic:secret@db.example.org/clinic",
        REDIS_URL="redis://redis.example.org:6379/0",
    )
    assert (result.returncode, result.stderr.strip()) == (0, ""), result.stderr
    # Only axes.W006 is silenced: the per-IP limit on failed log-ins is clinic.ratelimit's.
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_production_settings_refuse_to_start_without_secret_key():
    result = manage("check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY="")
    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_models_and_migrations_agree(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_only_the_axes_ip_lockout_check_is_silenced(settings):
    assert settings.SILENCED_SYSTEM_CHECKS == ["axes.W006"]
