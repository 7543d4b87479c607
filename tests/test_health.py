"""/healthz: 200 with the database and Redis reachable, 503 naming the failing part."""

import json

import pytest

pytestmark = pytest.mark.django_db


def get_health(client, **headers):
    response = client.get("/healthz", **headers)
    return response.status_code, json.loads(response.content)


def test_healthy_with_database_and_redis(client, settings, redis_url):
    settings.REDIS_URL = redis_url
    assert get_health(client) == (200, {"status": "ok", "database": "ok", "redis": "ok"})


def test_redis_down_is_a_503_naming_redis(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens there
    status, body = get_health(client)
    assert status == 503 and body["status"] == "failing: redis" and body["database"] == "ok"
    assert body["redis"].startswith("failing: ConnectionError")


def test_without_redis_configured_only_the_database_counts(client, settings):
    settings.REDIS_URL = None
    assert get_health(client) == (200, {"status": "ok", "database": "ok", "redis": "not configured"})


def test_answers_any_host_and_plain_http(client, settings):
    settings.REDIS_URL, settings.SECURE_SSL_REDIRECT, settings.ALLOWED_HOSTS = None, True, ["cases.example.org"]
    status, _ = get_health(client, HTTP_HOST="localhost:8000")
    assert status == 200  # a container health check on localhost, before the HTTPS redirect
    assert client.get("/admin/", HTTP_HOST="localhost:8000").status_code == 400  # everything else is checked
