"""Public pages and exports, cached (in Redis in production) until the case data they show changes.

Every cache key carries a version that any save, delete or relation change of case data
replaces, so no page outlives the record it shows; and today's date, so lapse figures
("no lawyer contact for N days") roll over at midnight. When the cache is down the page
is simply rendered (casetracker.redis_cache swallows the errors).
"""

import hashlib
import uuid
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone

from prisoners.search import IndexedName, IndexedWord

VERSION_KEY = "publicsite:version"
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "X-Robots-Tag")


def current_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return version


def invalidate(**kwargs):
    """Retire every cached public page (a signal receiver, so it takes any arguments)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def page_key(request):
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"publicsite:page:{current_version()}:{timezone.localdate().isoformat()}:{address}"


def cached_page(view):
    """Serve a successful response from the cache; store it for PUBLIC_CACHE_SECONDS."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.PUBLIC_CACHE_SECONDS:
            return view(request, *args, **kwargs)
        key = page_key(request)
        stored = cache.get(key)
        if stored is not None:
            headers, content = stored
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            if hasattr(response, "render"):
                response.render()
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            cache.set(key, (headers, response.content), settings.PUBLIC_CACHE_SECONDS)
        return response

    return wrapped


def connect_invalidation():
    for label in settings.CASE_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.model_name.startswith("historical") or model in (IndexedName, IndexedWord):
                continue  # history and name-index rows follow a change to case data, which has signalled already
            post_save.connect(invalidate, sender=model, dispatch_uid=f"publicsite-save-{model._meta.label}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"publicsite-delete-{model._meta.label}")
            for field in model._meta.many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(invalidate, sender=through, dispatch_uid=f"publicsite-m2m-{through._meta.label}")
