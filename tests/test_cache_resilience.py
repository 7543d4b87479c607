"""The Redis cache never breaks a request: errors are logged and count as misses."""

import logging
import time

from casetracker.redis_cache import ResilientRedisCache


def cache_at(url):
    return ResilientRedisCache(url, {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}})


def test_a_dead_redis_reads_as_misses_and_writes_as_no_ops(caplog):
    cache = cache_at("redis://127.0.0.1:9/0")
    with caplog.at_level(logging.WARNING, logger="casetracker.redis_cache"):
        cache.set("page", "html")
        assert cache.get("page") is None
        assert cache.get("page", default="fallback") == "fallback"
        assert cache.get_or_set("page", "fresh") == "fresh"
        assert cache.add("page", "x") is False and cache.delete("page") is False
        assert cache.get_many(["a", "b"]) == {} and cache.incr("version") is None
    assert "cache set failed, carrying on without the cache" in caplog.text
    assert len(caplog.records) == 1  # after one failure, Redis is left alone for a while


def test_redis_is_asked_again_after_the_pause(redis_url, caplog):
    cache = cache_at(redis_url)
    cache.down_until = time.monotonic() + 60  # as after a failure
    cache.set("casetracker-test-pause", "html", 30)
    assert cache.get("casetracker-test-pause") is None  # not even tried
    cache.down_until = time.monotonic() - 1
    cache.set("casetracker-test-pause", "html", 30)
    assert cache.get("casetracker-test-pause") == "html"
    cache.delete("casetracker-test-pause")


def test_a_live_redis_caches(redis_url):
    cache = cache_at(redis_url)
    cache.set("casetracker-test-key", "html", 30)
    assert cache.get("casetracker-test-key") == "html"
    cache.delete("casetracker-test-key")
