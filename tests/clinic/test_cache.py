"""The Redis cache fails open: with Redis unreachable the site answers without a cache."""

import time
import uuid

import pytest
from django.test import override_settings
from django.urls import reverse

from clinic import roles
from clinic.cache import FailOpenRedisCache
from cohorts.services.ranking import rank_applications
from tests.factories import CohortFactory, make_user, scored_application, uniform_scores
from tests.services import free_port, redis_url, require

OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def unreachable_cache():
    return FailOpenRedisCache(f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": OPTIONS})


def test_cache_without_redis_misses_drops_writes_and_counts_afresh():
    cache = unreachable_cache()
    answers = (
        cache.get("k", "default"),
        cache.set("k", 1),
        cache.add("k", 1),
        cache.incr("hits", 3),
        cache.get_many(["a", "b"]),
        cache.delete("k"),
    )
    assert answers == ("default", None, True, 3, {}, False)


def test_cache_without_redis_is_asked_once_per_retry_period():
    cache = unreachable_cache()
    started = time.monotonic()
    values = [cache.get(f"key-{n}") for n in range(200)]
    assert (values, time.monotonic() - started < 2) == ([None] * 200, True)


@pytest.mark.django_db
def test_ranking_page_answers_while_the_redis_cache_is_down(client):
    cohort = CohortFactory(min_reviews=1)
    scored_application(cohort, [uniform_scores(5)])
    down = {
        "default": {
            "BACKEND": "clinic.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": OPTIONS,
        }
    }
    client.force_login(make_user(roles.OFFICER))
    with override_settings(CACHES=down):
        page = client.get(reverse("cohorts:ranking", args=[cohort.pk]))
        rows, _criteria = rank_applications(cohort)
    assert (page.status_code, [row.score for row in rows]) == (200, [100.0])


def test_cache_in_redis_is_shared_by_two_processes_caches():
    require(bool(redis_url()), "Redis (set REDIS_URL)")
    options = {"OPTIONS": OPTIONS, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    first = FailOpenRedisCache(redis_url(), options)
    second = FailOpenRedisCache(redis_url(), options)
    first.set("ranking", [1, 2, 3], 30)
    assert second.get("ranking") == [1, 2, 3]


def test_redis_url_gives_every_process_the_redis_cache():
    require(bool(redis_url()), "Redis (set REDIS_URL)")
    from django.conf import settings

    assert settings.CACHES["default"]["BACKEND"] == "clinic.cache.FailOpenRedisCache"
