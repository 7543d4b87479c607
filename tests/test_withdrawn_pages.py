"""A withdrawn page is never served from the cache: not to a request made while the change commits, not
after Redis missed the change, not by a process that did not make it, not when the invalidation is lost.
Browsers and proxies keep a public page at most PUBLIC_MAX_AGE_SECONDS; made-up parameters never make a
new cache entry."""

import io
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from prisoners.models import Facility, Prisoner
from publicsite.models import PageVersion, PendingChange

ROOT = Path(__file__).resolve().parent.parent
CASE = "/prisoners/maria-kalesnikava/"


def unpublish():
    maria = Prisoner.objects.get(slug="maria-kalesnikava")
    maria.published = False
    maria.save()


def in_another_connection(function):
    """Run `function` in a thread, which has its own database connection (a concurrent request)."""
    result = []

    def run():
        try:
            result.append(function())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    return result[0]


def database_url():
    """This test database, as a DATABASE_URL another process can use."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def manage_shell(code):
    env = {**os.environ, "DATABASE_URL": database_url()}
    env.pop("REDIS_URL", None)  # its own memory cache: only the database can tell it anything
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.django_db(transaction=True)
def test_a_request_made_while_an_unpublish_commits_does_not_keep_the_page_alive(client, committed_demo):
    assert client.get(CASE).status_code == 200
    with transaction.atomic():
        unpublish()
        # Not committed yet: another reader still sees (and may cache) the published page, rightly.
        assert in_another_connection(lambda: Client().get(CASE).status_code) == 200
    assert client.get(CASE).status_code == 404
    assert in_another_connection(lambda: Client().get(CASE).status_code) == 404


@pytest.mark.django_db
def test_an_unpublish_while_redis_is_unreachable_is_not_lost(demo, client, settings, redis_url):
    live = {"BACKEND": "casetracker.redis_cache.ResilientRedisCache", "LOCATION": redis_url, "KEY_PREFIX": "test"}
    settings.CACHES = {"default": live}
    cache.clear()
    assert client.get(CASE).status_code == 200
    assert client.get(CASE).status_code == 200  # now from Redis
    settings.CACHES = {"default": {**live, "LOCATION": "redis://127.0.0.1:9/0"}}  # nothing listens there
    unpublish()
    settings.CACHES = {"default": live}  # Redis is back, the page still in it
    assert client.get(CASE).status_code == 404


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_change_made_by_another_process_retires_this_process_cached_page(client, committed_demo):
    assert client.get(CASE).status_code == 200  # cached in this process's memory
    manage_shell(
        """
        from prisoners.models import Facility, Prisoner
        maria = Prisoner.objects.get(slug="maria-kalesnikava")
        maria.published = False
        maria.save()
        """
    )
    assert client.get(CASE).status_code == 404


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_process_killed_between_its_commit_and_the_invalidation_costs_misses_not_a_stale_page(client, committed_demo):
    assert client.get(CASE).status_code == 200
    version = PageVersion.read()
    manage_shell(
        """
        import os
        from django.db import transaction
        from prisoners.models import Facility, Prisoner
        with transaction.atomic():
            transaction.on_commit(lambda: os._exit(0))  # before the page cache's own: it never runs
            maria = Prisoner.objects.get(slug="maria-kalesnikava")
            maria.published = False
            maria.save()
        """
    )
    assert PageVersion.read() == (version[0], False) and PendingChange.objects.exists()  # the bump was lost
    assert client.get(CASE).status_code == 404
    assert not PendingChange.objects.exists() and PageVersion.read()[0] != version[0]  # the reader made it


@pytest.mark.django_db
def test_public_pages_say_how_long_browsers_and_proxies_may_keep_them(demo, client, settings):
    settings.PUBLIC_MAX_AGE_SECONDS = 60
    for _ in range(2):  # rendered, then from the cache
        response = client.get(CASE)
        assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=60"}
    missing = client.get("/prisoners/nobody/")
    assert missing.status_code == 404 and "max-age=0" in missing["Cache-Control"]
    assert "max-age=60" in client.get("/prisoners.csv")["Cache-Control"]
    settings.PUBLIC_MAX_AGE_SECONDS = 0
    assert "no-cache" in client.get("/prisoners/").get("Cache-Control")


@pytest.mark.django_db
def test_made_up_parameters_share_the_page_and_never_reach_it(demo, client, django_assert_num_queries):
    page = client.get("/prisoners/").content
    with django_assert_num_queries(1):  # the page version; the page itself comes from the cache
        tracked = client.get("/prisoners/?utm_source=news&x=%3Cscript%3E")
    assert tracked.content == page and b"utm_source" not in tracked.content
    searched = client.get("/prisoners/?q=Kolesnikova&utm_source=news")
    assert b"Kalesnikava" in searched.content and searched.content != page
    assert b"utm_source" not in searched.content
    assert client.get("/prisoners/?status=released").content != page  # a parameter the page reads still counts


@pytest.mark.django_db
def test_a_repair_of_derived_data_retires_cached_pages(demo, client):
    """Checks and rebuilds write in bulk, without model signals; what they correct shows at once."""
    Facility.objects.update(named_publicly=False)  # drift, as a bulk write that forgot the flag would leave
    assert "Penal colony No. 4" not in client.get("/facilities/").content.decode()  # and now cached so
    call_command("check_facilities")
    assert "Penal colony No. 4" in client.get("/facilities/").content.decode()


@pytest.mark.django_db
def test_a_name_index_rebuild_and_a_migration_retire_cached_pages(demo):
    assert PageVersion.read()[1]  # settled: nothing pending
    call_command("reindex_names", stdout=io.StringIO())
    assert not PageVersion.read()[1]  # pending: pages bypass the cache until the bump
    PageVersion.bump()
    before = PageVersion.read()
    call_command("migrate", verbosity=0)  # nothing to apply; a data migration would send no signal either
    assert PageVersion.read()[0] != before[0]
