"""GET /healthz: 200 when the database and Redis answer and every part an app registered
(`register`) passes, 503 naming what does not.

Answered by middleware ahead of host validation and the HTTPS redirect, so a
container health check on localhost works whatever ALLOWED_HOSTS says. For the
same reason anyone can ask: the answer says which part fails, the log says why.
"""

import json
import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpResponse

log = logging.getLogger(__name__)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_redis():
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


class Unhealthy(Exception):
    """A registered check's failure: the message goes to the log, never to the answer."""


def _always():
    return True


# Part name -> (check, whether configured): a check passes or raises.
CHECKS = {
    "database": (check_database, _always),
    "redis": (check_redis, lambda: bool(settings.REDIS_URL)),
}


def register(part, check, configured=_always):
    """Add a part to /healthz (an app's ready() calls this: the project imports no app)."""
    CHECKS[part] = (check, configured)


def health():
    """Part name -> "ok", "not configured" or "failing" (the error goes to the log)."""
    report = {}
    for part, (check, configured) in CHECKS.items():
        try:
            if not configured():  # may ask the database too
                report[part] = "not configured"
                continue
            check()
        except Exception as error:  # any failure means unhealthy; the error may name hosts, ports, users
            log.warning("Health check: %s failing: %s: %s", part, type(error).__name__, error)
            report[part] = "failing"
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
        failing = [part for part, state in report.items() if state == "failing"]
        status = 503 if failing else 200
        body = {"status": f"failing: {', '.join(failing)}" if failing else "ok", **report}
        response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
        response["Cache-Control"] = "no-store"
        return response
