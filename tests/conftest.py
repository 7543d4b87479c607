import datetime
import os
import uuid

import pytest
import time_machine
from celery.contrib.testing.tasks import ping
from celery.contrib.testing.worker import start_worker
from celery.worker import state as worker_state
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test.utils import override_settings

from casetracker.celery import app
from casetracker.demo import load_demo
from casetracker.roles import ALERT_STAFF, EDITOR, RESEARCHER

TODAY = datetime.date(2024, 6, 1)
NOON_ON_TODAY = datetime.datetime(2024, 6, 1, 12, tzinfo=datetime.timezone.utc)
# Without REDIS_URL the Redis tests use database 15, one down for each further xdist worker: 15 to 8.
REDIS_TEST_DATABASE, MOST_WORKERS = 15, 8


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config):
    """`-n auto` (make test): a worker per core, at most MOST_WORKERS."""
    from xdist.plugin import pytest_xdist_auto_num_workers as one_per_core

    return min(one_per_core(config), MOST_WORKERS)


def pytest_collection_modifyitems(config, items):
    """The compose stack test only when `-m` names it (make stack-test): it builds images and takes minutes.
    The system tests first: each takes a worker for up to a minute, and started last, one would keep the
    run going while the other workers, out of tests, wait for it."""
    if "stack" not in (config.getoption("markexpr") or ""):
        stack = [item for item in items if item.get_closest_marker("stack")]
        if stack:
            config.hook.pytest_deselected(items=stack)
            items[:] = [item for item in items if not item.get_closest_marker("stack")]
    items.sort(key=lambda item: item.get_closest_marker("system") is None)  # stable: the rest keep their order


def pytest_configure(config):
    """Refuse more workers than the tests can keep apart (each needs Redis databases of its own:
    casetracker/pytest_redis.py with REDIS_URL, REDIS_TEST_DATABASE and down without)."""
    workers = len(config.getoption("tx", None) or [])
    if workers > MOST_WORKERS:
        raise pytest.UsageError(f"At most {MOST_WORKERS} workers (-n {MOST_WORKERS}): each needs a Redis database.")


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """PBKDF2 costs most of a second per password on a busy machine; tests need no real hashing."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI a skipped test is a failure: a missing service must never pass silently."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped under CI=true, which is not allowed: {report.longrepr}"


@pytest.fixture(autouse=True)
def fresh_public_cache():
    """Cached pages must not cross from one test's database into the next (each starts at the same
    page version)."""
    cache.clear()


@pytest.fixture
def clock():
    """A frozen clock at noon UTC on TODAY that tests move with clock.shift(timedelta)."""
    with time_machine.travel(NOON_ON_TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def today(clock):
    """Freeze the clock on TODAY; returns TODAY."""
    return TODAY


def make_user(username, role=None, **extra):
    user = get_user_model().objects.create_user(
        username=username, password="correct horse battery", is_staff=True, email=f"{username}@example.org", **extra
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def xdist_worker_number():
    """This pytest-xdist worker's number (gw1: 1); 0 in a single process."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


@pytest.fixture
def redis_url():
    """The Redis to test against: REDIS_URL, else the local default; skipped (failing under CI) if absent."""
    import redis

    # Without REDIS_URL, a database of its own (the tests flush it): never a broker's or a developer's,
    # nor another xdist worker's (15 for the first, 14 for the second, …).
    url = os.environ.get("REDIS_URL", f"redis://127.0.0.1:6379/{REDIS_TEST_DATABASE - xdist_worker_number()}")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {url}: {error}")
    return url


@pytest.fixture
def researcher(db):
    return make_user("rita", RESEARCHER)


@pytest.fixture
def editor(db):
    return make_user("edna", EDITOR)


@pytest.fixture
def alert_staff(db):
    return make_user("alex", ALERT_STAFF)


def case_models():
    """Every table of the case record, history and many-to-many tables included."""
    for label in django_settings.CASE_APPS:
        yield from apps.get_app_config(label).get_models(include_auto_created=True)


@pytest.fixture(scope="session")
def demo_rows(django_db_setup, django_db_blocker):
    """The demo, loaded once per session and rolled back: what it wrote, table by table."""
    with django_db_blocker.unblock(), time_machine.travel(NOON_ON_TODAY, tick=False), transaction.atomic():
        load_demo()
        rows = [
            (model, [{f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields} for obj in objects])
            for model in case_models()
            if (objects := list(model._base_manager.order_by("pk")))
        ]
        transaction.set_rollback(True)
    return rows


def restore_demo(demo_rows):
    """Write the session's demo rows again (ids included), as `load_demo()` wrote them, in a fraction of its time."""
    with transaction.atomic():  # foreign keys are checked at the commit, when every table is written
        for model, rows in demo_rows:
            model._base_manager.bulk_create([model(**row) for row in rows])
        # Explicit ids leave PostgreSQL's sequences behind; later inserts must not collide with them.
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [model for model, _ in demo_rows]):
                cursor.execute(statement)


@pytest.fixture
def demo(demo_rows, db, today):
    """The demo case (the joint statement on Maria Kalesnikava), with the clock frozen at TODAY.

    Restored from the session's rows inside the test's transaction, so it is rolled back with
    the test; the same rows, history included, that `load_demo()` writes.
    """
    restore_demo(demo_rows)


@pytest.fixture
def committed_demo(demo_rows, transactional_db):
    """The demo committed, on the real clock, for tests whose other threads or processes read it (a live server,
    a worker); its rows carry TODAY's timestamps, as `demo`'s do. Emptied after the test, as every
    transactional test's tables are."""
    restore_demo(demo_rows)


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def wait_for(condition, what, timeout=60):
    """Poll `condition` until it holds; fail naming `what` after `timeout` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Inbox:
    """What a real local SMTP server received; it can refuse the next N messages."""

    def __init__(self):
        self.messages, self.refuse_next = [], 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_next:
            self.refuse_next -= 1
            return "451 4.3.0 Mailbox busy, try again later"
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on localhost; Django's mail is sent to it."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    yield inbox
    controller.stop()


class Webhook:
    """What a local HTTP endpoint standing in for a chat service received (Apprise's json:// target posts
    there); it can refuse the next N posts with a 500, or every post to some paths."""

    def __init__(self, port):
        self.port, self.received, self.refused, self.refuse_next, self.refuse_paths = port, [], [], 0, set()

    def url(self, path="hook"):
        return f"json://127.0.0.1:{self.port}/{path}"


@pytest.fixture
def webhook():
    import http.server
    import json
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            refuse = self.path in hook.refuse_paths or hook.refuse_next > 0
            if refuse:
                hook.refuse_next = max(hook.refuse_next - 1, 0)  # noqa: F821 (defined below, before any post)
                hook.refused.append((self.path, body))
            else:
                hook.received.append((self.path, body))
            self.send_response(500 if refuse else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook = Webhook(server.server_port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield hook
    server.shutdown()
    server.server_close()


TEST_QUEUE = f"test-{uuid.uuid4().hex}"  # this session's: never a real worker's, nor another session's


@pytest.fixture
def worker(tmp_path_factory):
    """A real worker on this session's own queue (emptied first: nothing a test left behind runs in the next),
    with results so the test can wait for a task. Queue and results stay the same for the session: the app
    keeps the queues and (per thread) the result backend it made first."""
    if os.environ.get("REDIS_URL"):
        assert app.conf.broker_url.startswith("redis://"), "REDIS_URL is set: the broker must be Redis"
        results = django_settings.REDIS_URL
    else:
        assert app.conf.broker_url == "filesystem://"
        folder = tmp_path_factory.getbasetemp() / "celery-results"
        folder.mkdir(exist_ok=True)
        results = f"file://{folder}"
    saved = {key: app.conf[key] for key in ("task_default_queue", "result_backend", "broker_transport_options")}
    # The folder broker looks for messages every second; a tenth of that picks up tasks and stops the worker sooner.
    polling = {"polling_interval": 0.1} if app.conf.broker_url == "filesystem://" else {}
    app.conf.update(
        task_default_queue=TEST_QUEUE,
        result_backend=results,
        broker_transport_options={**app.conf.broker_transport_options, **polling},
    )
    try:
        with app.connection_for_write() as connection:
            app.amqp.queues[TEST_QUEUE].bind(connection.default_channel).purge()
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
            yield app
            # Stop now, not as the worker's waits for a message time out (two seconds each): mark it to stop, and
            # wake it twice, since the folder broker's loop waits once more after it has seen the mark.
            worker_state.should_terminate = 0
            ping.delay(), ping.delay()
    finally:
        app.conf.update(saved)
