"""A scheduler, worker or mail server that has gone quiet turns /healthz red: every scan is recorded,
beat's heartbeat must reach a worker, refused mail is an error past ALERT_MAIL_FAILING_MINUTES,
and a failed scan is tried again with a growing wait instead of waiting for the next interval."""

import datetime
import logging

import pytest
from django.db import OperationalError

from alerts import services
from alerts.models import Delivery, Digest, Heartbeat, ScanRun
from alerts.tasks import heartbeat, scan_contacts
from casetracker.roles import ALERT_STAFF
from tests.conftest import NOON_ON_TODAY, make_user, wait_for
from tests.test_health import get_health as health

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


def failing(error):
    def scan():
        raise error

    return scan


@pytest.fixture
def running(clock, settings):
    """Redis left out (its own tests cover it); a heartbeat and a successful scan at the frozen now."""
    settings.REDIS_URL = None
    Heartbeat.beat()
    services.scan()


def test_everything_running_is_healthy(client, running):
    assert health(client) == (
        200,
        {
            "status": "ok",
            "database": "ok",
            "redis": "not configured",
            "worker": "ok",
            "scans": "ok",
            "mail": "ok",
            "channels": "not configured",
        },
    )


def test_no_heartbeat_for_three_intervals_is_a_silent_worker_or_scheduler(client, running, clock, settings, caplog):
    settings.ALERT_HEARTBEAT_SECONDS = 60
    clock.shift(3 * MINUTE)
    assert health(client)[0] == 200  # three intervals exactly: still within
    clock.shift(datetime.timedelta(seconds=1))
    with caplog.at_level(logging.WARNING, logger="casetracker.health"):
        assert health(client) == (503, {"status": "failing: worker", "database": "ok", "redis": "not configured",
                                        "worker": "failing", "scans": "ok", "mail": "ok",
                                        "channels": "not configured"})  # fmt: skip
    assert "no heartbeat from a worker since 2024-06-01 12:00" in caplog.text  # the log says what it last saw
    Heartbeat.beat()
    assert health(client)[0] == 200


def test_no_successful_scan_for_two_intervals_is_failing(client, running, clock, settings):
    settings.ALERT_SCAN_MINUTES = 60
    clock.shift(119 * MINUTE)
    Heartbeat.beat()
    with pytest.raises(OperationalError):  # a scan that failed is recorded, and is no success
        ScanRun.record(failing(OperationalError("the database went away")))
    assert health(client)[0] == 200
    clock.shift(2 * MINUTE)
    Heartbeat.beat()
    status, report = health(client)
    assert (status, report["status"], report["scans"]) == (503, "failing: scans", "failing")
    services.scan()
    assert health(client)[0] == 200


def test_every_scan_is_recorded_with_what_it_did_or_why_it_failed(demo, clock):
    make_user("alex", ALERT_STAFF)
    services.scan()
    with pytest.raises(OperationalError):
        ScanRun.record(failing(OperationalError("server closed the connection")))
    succeeded, failed = ScanRun.objects.order_by("pk")
    assert succeeded.outcome == "12 alerts opened, 0 resolved; 1 digest to 1 recipient" and not succeeded.error
    assert succeeded.finished_at == NOON_ON_TODAY  # the frozen now
    assert failed.error == "OperationalError: server closed the connection" and failed.outcome == ""
    assert ScanRun.objects.last_success() == succeeded.finished_at


def test_mail_refused_past_the_configured_time_is_failing_and_logged_as_an_error(
    client, running, clock, settings, smtp_server, caplog
):
    settings.ALERT_MAIL_FAILING_MINUTES, settings.ALERT_MAIL_RETRY_SECONDS = 30, 60
    digest = Digest.objects.create(subject="Contact alerts", body_text="…", body_html="…")
    Delivery.objects.create(digest=digest, email="alex@example.org")
    smtp_server.refuse_next = 10
    with caplog.at_level(logging.WARNING, logger="alerts.services"):
        assert services.send_pending() == (0, 1)
        assert caplog.records[-1].levelno == logging.WARNING  # refused once: a delay, not yet a failure
        assert health(client)[0] == 200
        clock.shift(31 * MINUTE)
        Heartbeat.beat()
        assert services.send_pending() == (0, 1)
        assert caplog.records[-1].levelno == logging.ERROR
    status, report = health(client)
    assert (status, report["status"]) == (503, "failing: mail")
    smtp_server.refuse_next = 0
    clock.shift(5 * MINUTE)
    Heartbeat.beat()
    assert services.send_pending() == (1, 0)
    assert health(client)[0] == 200


def test_the_retry_wait_doubles_but_never_passes_half_the_scan_interval(settings):
    settings.ALERT_SCAN_RETRY_SECONDS, settings.ALERT_SCAN_MINUTES = 30, 60
    assert [services.scan_retry_seconds(retries) for retries in range(8)] == [
        30, 60, 120, 240, 480, 960, 1800, 1800,
    ]  # fmt: skip


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_failed_scan_is_tried_again_on_a_real_worker_and_the_heartbeat_reaches_it(
    worker, settings, monkeypatch, committed_demo
):
    settings.ALERT_SCAN_RETRY_SECONDS = 1
    make_user("alex", ALERT_STAFF)
    update_alerts = services.update_alerts
    failures = iter([OperationalError("the database is restarting")])

    def flaky(*args, **kwargs):  # the first try meets a database outage, the next one does not
        if (error := next(failures, None)) is not None:
            raise error
        return update_alerts(*args, **kwargs)

    monkeypatch.setattr(services, "update_alerts", flaky)
    scan_contacts.apply_async()  # as beat queues it; nothing waits on it but the retry
    wait_for(lambda: ScanRun.objects.succeeded().exists(), "the scan to succeed on its second try")
    failed, succeeded = ScanRun.objects.order_by("started_at")
    assert failed.error == "OperationalError: the database is restarting"
    assert succeeded.outcome.startswith("12 alerts opened")
    assert (succeeded.started_at - failed.finished_at).total_seconds() >= 1  # after the wait, not at once

    heartbeat.apply_async()
    wait_for(lambda: Heartbeat.last() is not None, "the worker to run the heartbeat")


def test_the_admin_index_tells_alert_staff_what_has_gone_quiet(client, running, clock, alert_staff):
    client.force_login(alert_staff)
    assert "Alerts are not running as they should" not in client.get("/admin/").content.decode()
    clock.shift(4 * MINUTE)
    page = client.get("/admin/").content.decode()
    assert "Alerts are not running as they should: no heartbeat from a worker since 2024-06-01 12:00" in page
    assert client.get("/admin/alerts/scanrun/").status_code == 200  # every scan, with its outcome
