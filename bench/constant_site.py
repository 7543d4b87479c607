"""The stack benchmark's floor for Django (tests/test_compose_stack.py): the app's own settings and middleware, one
view answering every path with a constant body as long as a case page. Run under the web service's gunicorn settings
with DJANGO_SETTINGS_MODULE=bench.constant_site, what it serves a second is the most a Django page can be served at
there; the cached case page is measured against it."""

import os

from django.http import HttpResponse
from django.urls import re_path

from casetracker.settings import *  # noqa: F403 (the app's settings, every one)

ROOT_URLCONF = __name__
BODY = b"x" * int(os.environ.get("CONSTANT_BODY_BYTES", "30000"))


def constant(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [re_path(r"", constant)]
