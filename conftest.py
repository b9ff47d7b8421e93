import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in e2e tests


def pytest_configure(config):
    from django.conf import settings
    from django.core.signals import request_started
    from django.db import reset_queries

    # Query-count guards capture around test-client requests; Django clears the query log at
    # each request start, which would make CaptureQueriesContext miscount.
    request_started.disconnect(reset_queries)

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _eager_celery_and_private_media(settings, tmp_path):
    """Unit tests run tasks in-process and keep uploads in a throw-away folder."""
    from clinic.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
