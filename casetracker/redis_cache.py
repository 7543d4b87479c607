"""Django's Redis cache, made harmless when Redis is down.

Public pages are cached to spare the database, but an advocate must still get the page
when Redis fails: every cache error is logged and treated as a miss (or a no-op), and
/healthz reports the outage instead.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# Method -> what it returns when Redis cannot answer.
FALLBACKS = {
    "get": lambda key, default=None, version=None: default,
    "get_many": lambda *args, **kwargs: {},
    "set": lambda *args, **kwargs: None,
    "set_many": lambda keys, *args, **kwargs: list(keys),
    "add": lambda *args, **kwargs: False,
    "touch": lambda *args, **kwargs: False,
    "delete": lambda *args, **kwargs: False,
    "delete_many": lambda *args, **kwargs: None,
    "has_key": lambda *args, **kwargs: False,
    "incr": lambda *args, **kwargs: None,
    "clear": lambda *args, **kwargs: None,
}


def _forgiving(name, method, fallback):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if time.monotonic() < self.down_until:
            return fallback(*args, **kwargs)
        try:
            return method(self, *args, **kwargs)
        except (RedisError, OSError) as error:
            # An unreachable Redis can cost a timeout per call: stop asking for a while.
            self.down_until = time.monotonic() + self.RETRY_AFTER_SECONDS
            log.warning(
                "cache %s failed, carrying on without the cache for %ss: %s", name, self.RETRY_AFTER_SECONDS, error
            )
            return fallback(*args, **kwargs)

    return wrapper


class ReusedClient(RedisCacheClient):
    """Django's Redis cache client, but one redis-py client per connection pool instead of a new one for every call:
    making one costs half a millisecond (its table of ~170 reply handlers), twice a cached page's other work. A
    client is safe to share between threads, and its pool notices a fork."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    RETRY_AFTER_SECONDS = 15
    down_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClient


for _name, _fallback in FALLBACKS.items():
    setattr(ResilientRedisCache, _name, _forgiving(_name, getattr(RedisCache, _name), _fallback))
