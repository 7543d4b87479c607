"""System test: the production processes, run as docker-compose runs them, against PostgreSQL,
a Redis this test starts itself, and a local SMTP server.

gunicorn, a Celery worker and Celery beat start with production settings (DEBUG off) on a
fresh database; the test requests pages and /healthz, lets beat trigger the scan and
receives the digest, stops beat and sees /healthz notice the silence, stops Redis and shows
the pages still serve while /healthz says 503, starts Redis again and sees the same worker run
a scan queued after the restart and its digest arrive, then stops every process cleanly.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.conftest import Inbox, wait_for

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
pytestmark = [pytest.mark.system, pytest.mark.slow]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def maintenance_url():
    url = os.environ.get("SYSTEM_TEST_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return url


@pytest.fixture
def database():
    """A fresh PostgreSQL database for the processes, dropped afterwards."""
    url = maintenance_url()
    parts = urlsplit(url)
    name = f"casetracker_system_{os.getpid()}"
    admin_dsn = urlunsplit(parts._replace(path="/postgres"))
    try:
        admin = psycopg.connect(admin_dsn, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.skip(f"the system test needs PostgreSQL ({admin_dsn}): {error}")
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def start_redis(url, folder):
    """A Redis of the test's own, empty (as after a restart without persistence), listening at `url`."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("the system test starts its own Redis: redis-server is not installed")
    port = urlsplit(url).port
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(lambda: port_open(port), "redis to listen")
    return process


@pytest.fixture
def redis_server(tmp_path):
    url = f"redis://127.0.0.1:{free_port()}/0"
    process = start_redis(url, tmp_path)
    yield process, url
    if process.poll() is None:
        process.terminate()
        process.wait(10)


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def port_open(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def fetch(url):
    """(status, body) as a browser behind the HTTPS proxy would get it."""
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except urllib.error.URLError as error:  # not listening yet
        return 0, str(error)


class Stack:
    def __init__(self, env, logs):
        self.env, self.logs, self.processes = env, logs, {}

    def run(self, *args, stdin=None):
        result = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def start(self, name, *command):
        log = open(self.logs / f"{name}.log", "w")
        self.processes[name] = subprocess.Popen(
            [str(BIN / command[0]), *command[1:]], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )

    def log(self, name):
        return (self.logs / f"{name}.log").read_text()

    def stop(self):
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        return {name: process.wait(60) for name, process in self.processes.items()}


def production_env(folder, database, redis_url, web_port, **extra):
    """The environment the production processes run with (DEBUG off, behind the proxy), on these services."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "EMAIL_"))},
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BEHIND_PROXY": "true",
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "VAR_DIR": str(folder / "var"),
        "STATIC_ROOT": str(folder / "static"),
        "LOG_FORMAT": "json",
        "GUNICORN_BIND": f"127.0.0.1:{web_port}",
        **extra,
    }


@pytest.fixture
def stack(database, redis_server, smtp, tmp_path):
    _, redis_url = redis_server
    _, smtp_port = smtp
    web_port = free_port()
    env = production_env(
        tmp_path, database, redis_url, web_port,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        SITE_URL="https://cases.example.org",
        ALERT_MAIL_RETRY_SECONDS="1",
        ALERT_HEARTBEAT_SECONDS="5",
        WEB_CONCURRENCY="2",
    )  # fmt: skip
    stack = Stack(env, tmp_path)
    stack.url = f"http://127.0.0.1:{web_port}"
    stack.run("migrate", "--noinput")
    stack.run("collectstatic", "--noinput")
    stack.run("load_demo")
    stack.run(
        "create_staff_user",
        "alerts",
        "--role",
        "alerts",
        "--email",
        "alerts@example.org",
        "--password-stdin",
        stdin="a long and unusual passphrase\n",
    )
    stack.start("web", "gunicorn", "casetracker.wsgi:application", "-c", "gunicorn.conf.py")
    stack.start("worker", "celery", "-A", "casetracker", "worker", "--loglevel=INFO", "--concurrency=2",
                "--without-gossip", "--without-mingle")  # fmt: skip
    stack.start(
        "beat",
        "celery",
        "-A",
        "casetracker",
        "beat",
        "--loglevel=INFO",
        "--schedule",
        str(tmp_path / "celerybeat-schedule"),
    )
    try:
        yield stack
    finally:
        stack.stop()


# A prisoner detained years ago with no contact on record: overdue, so the next scan opens alerts.
NEW_CASE = """
from casetracker.dates import ApproximateDate, Precision
import datetime
from prisoners.models import Prisoner
prisoner = Prisoner(name="Ales Bialiatski", status="detained")
prisoner.detained_approx = ApproximateDate(datetime.date(2021, 7, 14), Precision.DAY)
prisoner.save()
"""

PAGES = [
    "/",
    "/prisoners/",
    "/prisoners/?q=Kolesnikova",
    "/prisoners/maria-kalesnikava/",
    "/prisoners/maria-kalesnikava.json",
    "/prisoners.csv",
    "/prisoners.json",
    "/facilities/",
    "/feed/",
    "/sitemap.xml",
    "/robots.txt",
    "/admin/login/",
]


def test_production_stack_serves_pages_mails_the_digest_and_survives_redis_going_down(stack, smtp, redis_server):
    inbox, _ = smtp
    wait_for(lambda: fetch(stack.url + "/healthz")[0] == 200, "web to answer /healthz", timeout=90)
    assert json.loads(fetch(stack.url + "/healthz")[1]) == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "worker": "ok",
        "scans": "ok",
        "mail": "ok",
        "channels": "not configured",
    }
    for page in PAGES:
        status, body = fetch(stack.url + page)
        assert status == 200, (page, body[:500])
    assert "mid-February 2023" in fetch(stack.url + "/prisoners/maria-kalesnikava/")[1]
    status, css = fetch(stack.url + "/static/casetracker/admin.css")  # whitenoise, from collectstatic
    assert status == 200 and "lapse-overdue" in css

    # Beat scans when it starts: the digest arrives once, through the real SMTP server.
    wait_for(lambda: inbox.messages, "the alert digest", timeout=90)
    time.sleep(2)
    assert [m.rcpt_tos for m in inbox.messages] == [["alerts@example.org"]]
    digest = inbox.messages[0].content.decode()
    assert "Maria Kalesnikava: no lawyer contact since 7 February 2023" in digest
    assert "https://cases.example.org/admin/alerts/alert/" in digest

    # Beat stops: within three heartbeat intervals /healthz says no worker runs what it should.
    with psycopg.connect(stack.env["DATABASE_URL"], autocommit=True) as connection:
        assert connection.execute("SELECT count(*) FROM alerts_heartbeat").fetchone() == (1,)  # beat and worker ran
        assert connection.execute("SELECT count(*) FROM alerts_scanrun WHERE error = ''").fetchone()[0] >= 1
    stack.processes["beat"].send_signal(signal.SIGTERM)
    wait_for(lambda: json.loads(fetch(stack.url + "/healthz")[1]).get("worker") == "failing", "healthz to say so", 30)
    status, body = fetch(stack.url + "/healthz")
    assert status == 503 and json.loads(body)["status"] == "failing: worker"

    # Redis goes away: pages still serve; /healthz names the failing part.
    redis_process, _ = redis_server
    redis_process.terminate()
    redis_process.wait(10)
    for page in PAGES:
        assert fetch(stack.url + page)[0] == 200, page
    status, body = fetch(stack.url + "/healthz")
    assert status == 503 and json.loads(body)["status"] == "failing: redis, worker"

    # Redis comes back: the worker, still running, reconnects; a scan queued now opens a new
    # alert and its digest arrives.
    restarted = start_redis(redis_server[1], stack.logs)
    try:
        wait_for(lambda: json.loads(fetch(stack.url + "/healthz")[1]).get("redis") == "ok", "Redis to be back")
        assert stack.processes["worker"].poll() is None, stack.log("worker")[-3000:]
        stack.run("shell", "-c", NEW_CASE)
        stack.run("shell", "-c", "from alerts.tasks import scan_contacts; scan_contacts.delay()")
        wait_for(lambda: len(inbox.messages) == 2, "the digest of the scan queued after the restart", timeout=90)
        assert "Ales Bialiatski" in inbox.messages[1].content.decode()
        assert stack.processes["worker"].poll() is None
    finally:
        restarted.terminate()
        restarted.wait(10)

    # Structured logs on stdout from every process.
    for name in ("web", "worker", "beat"):
        lines = [line for line in stack.log(name).splitlines() if line.startswith("{")]
        assert lines, f"{name} wrote no JSON log lines:\n{stack.log(name)[-2000:]}"
        assert all("level" in json.loads(line) for line in lines)

    codes = stack.stop()
    assert codes == {"web": 0, "worker": 0, "beat": 0}, {name: stack.log(name)[-2000:] for name in codes}
