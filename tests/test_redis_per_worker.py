"""Each pytest-xdist worker gets Redis databases of its own (the tests flush them), so the suite on
PostgreSQL + Redis runs on a worker per core without one worker emptying another's broker or cache."""

import os
import re

import pytest
from django.conf import settings

from casetracker.pytest_redis import BEFORE_THE_MOVE, give_this_worker_its_own_databases, moved_up
from tests.conftest import xdist_worker_number


def test_each_worker_moves_the_broker_and_the_page_cache_up_by_two():
    environ = {"PYTEST_XDIST_WORKER": "gw1", "REDIS_URL": "redis://127.0.0.1:6379/0"}
    give_this_worker_its_own_databases(environ)
    assert environ["REDIS_URL"] == "redis://127.0.0.1:6379/2"  # the page cache takes the next: 3


def test_nothing_moves_in_one_process_or_without_redis():
    alone = {"REDIS_URL": "redis://r:6379/1"}
    assert give_this_worker_its_own_databases(alone) == {} and alone == {"REDIS_URL": "redis://r:6379/1"}
    assert give_this_worker_its_own_databases({"PYTEST_XDIST_WORKER": "gw1"}) == {}


def test_a_worker_past_the_last_database_stops_the_run_naming_it():
    assert moved_up("redis://127.0.0.1:6379/0", 7) == "redis://127.0.0.1:6379/14"  # and the page cache 15
    with pytest.raises(pytest.UsageError, match="gw7 would need Redis database 16"):
        moved_up("redis://127.0.0.1:6379/1", 7)


@pytest.mark.parametrize(
    "environ, message",
    [
        ({"REDIS_URL": "unix:///run/redis.sock?db=0"}, "only a redis:// URL"),
        ({"REDIS_URL": "redis://r:6379/?db=3"}, "not in ?db="),
        ({"REDIS_URL": "redis://r:6379/zero"}, "'zero' is not a Redis database number"),
        ({"REDIS_URL": "redis://r:6379/0", "CACHE_REDIS_URL": "redis://r:6379/2"}, "CACHE_REDIS_URL is set"),
    ],
)
def test_databases_the_move_cannot_keep_apart_are_refused(environ, message):
    with pytest.raises(pytest.UsageError, match=re.escape(message)):
        give_this_worker_its_own_databases({"PYTEST_XDIST_WORKER": "gw0", **environ})


def test_django_read_its_settings_after_the_move():
    """The settings, and the environment the tests' processes inherit, name this worker's databases."""
    if not BEFORE_THE_MOVE:  # no REDIS_URL, or one process: nothing moved
        assert settings.REDIS_URL == os.environ.get("REDIS_URL")
        return
    mine = moved_up(BEFORE_THE_MOVE["REDIS_URL"], xdist_worker_number())
    assert os.environ["REDIS_URL"] == settings.REDIS_URL == settings.CELERY_BROKER_URL == mine
