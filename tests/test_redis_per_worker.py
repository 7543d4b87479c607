"""Each pytest-xdist worker gets Redis databases of its own (the tests flush them), so the suite on
PostgreSQL + Redis runs on a worker per core without one worker emptying another's broker or cache."""

import os

import pytest
from django.conf import settings

from tests.conftest import xdist_worker_number
from tests.redis_per_worker import BEFORE_THE_MOVE, give_this_worker_its_own_databases, moved_up


def test_each_worker_moves_the_broker_and_the_page_cache_up_by_two():
    environ = {"PYTEST_XDIST_WORKER": "gw1", "REDIS_URL": "redis://127.0.0.1:6379/0"}
    give_this_worker_its_own_databases(environ)
    assert environ["REDIS_URL"] == "redis://127.0.0.1:6379/2"  # the page cache takes the next: 3


def test_a_separate_page_cache_moves_with_it_and_nothing_moves_in_one_process():
    worker = {"PYTEST_XDIST_WORKER": "gw2", "REDIS_URL": "redis://r:6379/1", "CACHE_REDIS_URL": "redis://c:6379/8"}
    give_this_worker_its_own_databases(worker)
    assert (worker["REDIS_URL"], worker["CACHE_REDIS_URL"]) == ("redis://r:6379/5", "redis://c:6379/12")
    alone = {"REDIS_URL": "redis://r:6379/1"}
    give_this_worker_its_own_databases(alone)
    assert alone == {"REDIS_URL": "redis://r:6379/1"}


def test_a_worker_past_the_last_database_stops_the_run_naming_it():
    assert moved_up("redis://127.0.0.1:6379/1", 7) == "redis://127.0.0.1:6379/15"
    with pytest.raises(pytest.UsageError, match="gw7 would need Redis database 16"):
        moved_up("redis://127.0.0.1:6379/2", 7)


def test_a_unix_socket_cannot_be_moved_up_so_workers_are_refused():
    with pytest.raises(pytest.UsageError, match="run -n 0"):
        give_this_worker_its_own_databases({"PYTEST_XDIST_WORKER": "gw0", "REDIS_URL": "unix:///run/redis.sock?db=0"})


def test_django_read_its_settings_after_the_move():
    """The settings, and the environment the tests' processes inherit, name this worker's databases."""
    if "REDIS_URL" not in BEFORE_THE_MOVE:  # no REDIS_URL, or one process: nothing moved
        assert settings.REDIS_URL == os.environ.get("REDIS_URL")
        return
    mine = moved_up(BEFORE_THE_MOVE["REDIS_URL"], xdist_worker_number())
    assert os.environ["REDIS_URL"] == settings.REDIS_URL == settings.CELERY_BROKER_URL == mine
