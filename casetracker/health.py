"""GET /healthz: 200 when the database and Redis answer, 503 naming what does not.

Answered by middleware ahead of host validation and the HTTPS redirect, so a
container health check on localhost works whatever ALLOWED_HOSTS says.
"""

import json

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpResponse


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_redis():
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def health():
    """Part name -> "ok", "not configured" or the error."""
    report = {}
    for part, check, configured in (
        ("database", check_database, True),
        ("redis", check_redis, bool(settings.REDIS_URL)),
    ):
        if not configured:
            report[part] = "not configured"
            continue
        try:
            check()
        except Exception as error:  # any failure means unhealthy; say which and why
            report[part] = f"failing: {type(error).__name__}: {error}"
        else:
            report[part] = "ok"
    return report


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != "/healthz":
            return self.get_response(request)
        report = health()
        failing = [part for part, state in report.items() if state.startswith("failing")]
        status = 503 if failing else 200
        body = {"status": f"failing: {', '.join(failing)}" if failing else "ok", **report}
        response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
        response["Cache-Control"] = "no-store"
        return response
