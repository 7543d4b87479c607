"""The database stops under a running production web process (a PostgreSQL cluster of the test's own):
public pages already rendered are still served, marked as of when they were rendered, /healthz says
503 within the connect timeout, and when the database is back the pages are fresh again."""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest

from tests.conftest import wait_for
from tests.test_system import Stack, fetch, free_port, production_env, start_redis

pytestmark = [pytest.mark.system, pytest.mark.slow]

POSTGRES_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)


def as_postgres(*command):
    """initdb and pg_ctl refuse to run as root."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)


@pytest.fixture
def cluster():
    if POSTGRES_BIN is None or shutil.which("runuser") is None:
        pytest.skip("this test runs a PostgreSQL cluster of its own: initdb and pg_ctl are not installed")
    # Not under pytest's own temporary folder, which only root may enter.
    data, port = Path(tempfile.mkdtemp(prefix="casetracker-cluster-")), free_port()
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    as_postgres(str(POSTGRES_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1"

    def start():
        log = str(data / "log")
        as_postgres(str(POSTGRES_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", log, "-w", "start")

    def stop():
        as_postgres(str(POSTGRES_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")

    start()
    with psycopg.connect(f"postgres://postgres@127.0.0.1:{port}/postgres", autocommit=True) as connection:
        connection.execute("CREATE DATABASE casetracker")
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/casetracker", start, stop
    finally:
        subprocess.run(["runuser", "-u", "postgres", "--", str(POSTGRES_BIN / "pg_ctl"), "-D", str(data),
                        "-m", "immediate", "stop"], capture_output=True)  # fmt: skip
        shutil.rmtree(data, ignore_errors=True)


def test_cached_pages_outlive_a_database_outage_marked_as_stale(cluster, tmp_path):
    url, start_database, stop_database = cluster
    redis_url = f"redis://127.0.0.1:{free_port()}/0"
    redis = start_redis(redis_url, tmp_path)
    web_port = free_port()
    env = production_env(tmp_path, url, redis_url, web_port, DATABASE_CONNECT_TIMEOUT="2", WEB_CONCURRENCY="1")
    stack = Stack(env, tmp_path)
    stack.url = f"http://127.0.0.1:{web_port}"
    try:
        stack.run("migrate", "--noinput")
        stack.run("collectstatic", "--noinput")
        stack.run("load_demo")
        stack.start("web", "gunicorn", "casetracker.wsgi:application", "-c", "gunicorn.conf.py")
        wait_for(lambda: fetch(stack.url + "/healthz")[0] == 200, "web to answer /healthz", timeout=90)
        case = "/prisoners/maria-kalesnikava/"
        status, fresh = fetch(stack.url + case)  # rendered now, and kept
        assert status == 200 and "briefly unavailable" not in fresh

        stop_database()
        status, stale = fetch(stack.url + case)
        assert status == 200, stale[:2000]
        assert "The case database is briefly unavailable: this page is as it was on" in stale
        assert "Maria Kalesnikava" in stale and "mid-February 2023" in stale
        assert fetch(stack.url + "/facilities/")[0] == 503  # never rendered: nothing to stand in for it
        status, health = fetch(stack.url + "/healthz")
        assert status == 503 and json.loads(health)["database"] == "failing"

        start_database()
        wait_for(lambda: json.loads(fetch(stack.url + "/healthz")[1])["database"] == "ok", "the database to be back")
        status, again = fetch(stack.url + case)
        assert status == 200 and "briefly unavailable" not in again
    finally:
        stack.stop()
        redis.terminate()
        redis.wait(10)
