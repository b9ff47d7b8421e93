import os
import uuid

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in e2e tests


def pytest_configure(config):
    from django.conf import settings
    from django.core.signals import request_started
    from django.db import reset_queries

    from tests import audit_purge

    # The audit log is append-only in the database; the test runner (only) may flush it.
    audit_purge.install()

    # Query-count guards capture around test-client requests; Django clears the query log at
    # each request start, which would make CaptureQueriesContext miscount.
    request_started.disconnect(reset_queries)

    # Each test process (xdist worker, parallel CI run) keeps its own keys in a shared Redis.
    cache = settings.CACHES["default"]
    if cache["BACKEND"] == "clinic.cache.FailOpenRedisCache":
        settings.CACHES = {
            "default": {**cache, "KEY_PREFIX": f"test-{os.getpid()}-{uuid.uuid4().hex}"}
        }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# The longest modules, longest first (CI durations): started first and handed out two tests at a
# time (--maxschedchunk 2 in pyproject.toml), so the test processes share them and finish
# together on the many short tests instead of one waiting for the other's last long one.
LONGEST_FIRST = [
    "tests/mentoring/test_scale_out.py",
    "tests/clinic/test_hostile_walk.py",
    "tests/e2e/test_content_security_policy.py",
    "tests/clinic/test_production_settings.py",
]


def pytest_collection_modifyitems(items):
    """Whole modules reordered (a module fixture is built at most once per test process): the
    longest ones, then those with servers or a browser, then the rest in their usual order."""
    ranks = {}
    for item in items:
        path = item.nodeid.split("::")[0]
        slow = item.get_closest_marker("integration") or item.get_closest_marker("e2e")
        rank = LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST) + 1
        ranks[path] = min(ranks.get(path, rank), rank - 1 if slow and rank > 3 else rank)
    items.sort(key=lambda item: ranks[item.nodeid.split("::")[0]])


@pytest.fixture(autouse=True)
def _eager_celery_and_private_media(settings, tmp_path):
    """Unit tests run tasks in-process and keep uploads in a throw-away folder; each test
    counts rate limits afresh (its own key prefix, whatever the cache backend)."""
    import uuid

    from clinic.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RATE_LIMIT_KEY_PREFIX = f"ratelimit-test-{uuid.uuid4().hex}"
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _cache_of_its_own(settings):
    """Each test starts with an empty cache of its own: keys under a prefix of its own, never a
    flush (on Redis, clear() is FLUSHDB: it wiped the other test processes' rate-limit counters)."""
    default = settings.CACHES["default"]
    settings.CACHES = {
        **settings.CACHES,
        "default": {**default, "KEY_PREFIX": f"{default.get('KEY_PREFIX', '')}-{uuid.uuid4().hex}"},
    }


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A request activates its user's language for the thread; the next test starts in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def audit_guard():
    """The database's append-only guard as in production (the test runner's opt-in removed)."""
    from django.db import connection

    from tests import audit_purge

    audit_purge.forbid(connection)
    yield
    audit_purge.allow(connection)
