"""Django's Redis cache, failing open: while Redis is unreachable the site runs without a cache.

Reads miss, writes are dropped and counters start afresh (so rate limits let requests through);
after a failure Redis is not asked again for RETRY_AFTER seconds, so an outage costs one short
timeout every few seconds, not one per cache call. Sessions live in the database, never here.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
RETRY_AFTER = 5.0


class FailOpenRedisCache(RedisCache):
    down_until = 0.0

    def _safely(self, fallback, operation, *args):
        if time.monotonic() < self.down_until:
            return fallback
        try:
            return operation(*args)
        except RedisError as error:
            logger.warning("Cache unavailable, running without it for %ss: %s", RETRY_AFTER, error)
            self.down_until = time.monotonic() + RETRY_AFTER
            return fallback

    def get(self, key, default=None, version=None):
        return self._safely(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._safely({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._safely(False, super().has_key, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safely(None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safely(list(data), super().set_many, data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safely(True, super().add, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safely(False, super().touch, key, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._safely(delta, super().incr, key, delta, version)

    def delete(self, key, version=None):
        return self._safely(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._safely(None, super().delete_many, keys, version)

    def clear(self):
        return self._safely(False, super().clear)
