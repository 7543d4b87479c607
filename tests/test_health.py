"""/healthz: 200 with the database and Redis reachable and the alert machinery running, 503 naming the
failing part (the log says why)."""

import json
import logging

import pytest

from alerts.models import Heartbeat, ScanRun

pytestmark = pytest.mark.django_db

RUNNING = {"worker": "ok", "scans": "ok", "mail": "ok", "channels": "not configured"}


@pytest.fixture(autouse=True)
def running(db):
    """A worker ran a heartbeat and a scan succeeded just now (the scheduler's tests are in test_scheduler_health)."""
    Heartbeat.beat()
    ScanRun.record(lambda: "0 alerts opened")


def get_health(client, **headers):
    response = client.get("/healthz", **headers)
    return response.status_code, json.loads(response.content)


def test_healthy_with_database_and_redis(client, settings, redis_url):
    settings.REDIS_URL = redis_url
    assert get_health(client) == (200, {"status": "ok", "database": "ok", "redis": "ok", **RUNNING})


def test_redis_down_is_a_503_naming_redis_and_only_the_log_says_why(client, settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens there
    with caplog.at_level(logging.WARNING, logger="casetracker.health"):
        response = client.get("/healthz")
    # Anyone may ask: the answer names the part, never the error, host or port behind it.
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "failing: redis", "database": "ok", "redis": "failing", **RUNNING}
    assert "127.0.0.1" not in response.content.decode() and "Error" not in response.content.decode()
    [record] = [record for record in caplog.records if record.name == "casetracker.health"]
    assert record.levelno == logging.WARNING
    assert "redis" in record.getMessage() and "ConnectionError" in record.getMessage()
    assert "127.0.0.1:9" in record.getMessage()


def test_without_redis_configured_only_the_database_counts(client, settings):
    settings.REDIS_URL = None
    assert get_health(client) == (200, {"status": "ok", "database": "ok", "redis": "not configured", **RUNNING})


def test_answers_any_host_and_plain_http(client, settings):
    settings.REDIS_URL, settings.SECURE_SSL_REDIRECT, settings.ALLOWED_HOSTS = None, True, ["cases.example.org"]
    status, _ = get_health(client, HTTP_HOST="localhost:8000")
    assert status == 200  # a container health check on localhost, before the HTTPS redirect
    assert client.get("/admin/", HTTP_HOST="localhost:8000").status_code == 400  # everything else is checked
