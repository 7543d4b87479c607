"""An unreachable database is a quick 503 with Retry-After, never a 500 (nor a worker stuck: see
DATABASE_CONNECT_TIMEOUT). Public pages rendered before are served stale instead where they can be
(publicsite.page_cache); what cannot be served gets this page."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 60

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Briefly unavailable</title></head>
<body><h1>Briefly unavailable</h1>
<p>The case database cannot be reached just now. Please try again in a minute.</p></body></html>
"""


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        log.error("Database unavailable for %s: %s: %s", request.path, type(exception).__name__, exception)
        response = HttpResponse(PAGE, status=503, content_type="text/html; charset=utf-8")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        patch_cache_control(response, no_store=True)
        return response
