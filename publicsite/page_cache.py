"""Public pages and exports, cached (in Redis in production) until the case data they show changes.

Every cache key carries the page version (`publicsite.models.PageVersion`, in the database), which a
change to case data moves once it has committed, so no page outlives the record it shows, whichever
worker or command made the change and whether or not Redis was reachable then; and today's date, so
lapse figures ("no lawyer contact for N days") roll over at midnight. A key is made of the parameters
the page reads, nothing else, so made-up parameters cannot fill the cache. When the cache is down the
page is simply rendered (casetracker.redis_cache swallows the errors).

Stale if error: each page is also kept, for PUBLIC_STALE_IF_ERROR_SECONDS, under its version alone. While
the database is unreachable a page is served from there, with a notice of when it was rendered, but only
under the version last read as settled (kept in the cache too): every change removes that mark when it is
made, so a page a change has retired is never served for it.
"""

import hashlib
from functools import wraps
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.handlers.exception import response_for_exception
from django.db import DatabaseError, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import Http404, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from prisoners.clocks import lapse_changed
from prisoners.search import IndexedName, IndexedWord
from prisoners.signals import derived_data_changed

from .models import PageVersion, PendingChange, SharedRecords

KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "X-Robots-Tag", "Last-Modified")
SETTLED_VERSION = "publicsite:settled-version"  # the version pages may be served under when the database is away
MAIN = b'<main id="main" class="wrap" tabindex="-1">'  # the base template's: a stale page says so first thing


def _bump_after_commit():
    # Readers who could not see the change while it was uncommitted may have marked the old version settled
    # again; unmarked first, so that a database lost before the bump leaves no retired page to stand in.
    unmark_settled()
    PageVersion.bump()


def invalidate(**kwargs):
    """Retire every cached public page once this change commits (a signal receiver, so it takes any
    arguments). The pending change is written in the change's own transaction, so it commits with it
    and the cache is bypassed until the version has moved; one bump per transaction is enough."""
    PendingChange.objects.create()
    unmark_settled()  # from now until the bump, no stale page may stand in for a fresh one
    connection = transaction.get_connection()
    if not any(func is _bump_after_commit for _, func, _ in connection.run_on_commit):
        transaction.on_commit(_bump_after_commit, robust=True)  # a failed bump leaves the change pending


def settled_version():
    """The version pages are cached under now, or None while a committed change awaits its bump (which
    this then makes: any bump after a commit is a correct one)."""
    number, settled = PageVersion.read()
    if settled:
        return number
    unmark_settled()
    PageVersion.bump()
    return None


def current_version():
    """settled_version(), marked as the one whose pages may stand in while the database is away."""
    number = settled_version()
    if number is not None:
        cache.set(SETTLED_VERSION, number, settings.PUBLIC_STALE_IF_ERROR_SECONDS)
    return number


def unmark_settled():
    """No page stands in for a fresh one until a version is read as settled again."""
    cache.delete(SETTLED_VERSION)


def known_parameters(request, params):
    """The request reduced to the query parameters its page reads, keys in order: what it is cached
    under and what the view sees, so the two always agree."""
    query = QueryDict(mutable=True)
    for name in sorted(set(params) & set(request.GET)):
        query.setlist(name, request.GET.getlist(name))
    request.GET = query
    request.META["QUERY_STRING"] = query.urlencode()
    return request


def _address_digest(request):
    address = request.build_absolute_uri(request.path) + "?" + urlencode(sorted(request.GET.lists()), doseq=True)
    return hashlib.sha256(address.encode()).hexdigest()


def page_key(request, version):
    return f"publicsite:page:{version}:{timezone.localdate().isoformat()}:{_address_digest(request)}"


def stale_key(request, version):
    return f"publicsite:stale:{version}:{_address_digest(request)}"


def _stale_copy(request):
    """The page as last rendered under the settled version, marked as such; None if there is none."""
    version = cache.get(SETTLED_VERSION)
    stored = cache.get(stale_key(request, version)) if version is not None else None
    if stored is None:
        return None
    headers, content, rendered_at = stored
    when = date_format(rendered_at, "j E Y, H:i")
    notice = format_html(
        '<p class="stale-notice" role="status">{}</p>',
        _("The case database is briefly unavailable: this page is as it was on %(when)s UTC.") % {"when": when},
    )
    response = HttpResponse(content.replace(MAIN, MAIN + notice.encode(), 1), headers=headers)
    patch_cache_control(response, no_store=True)  # no browser or proxy keeps the stand-in
    return response


def _browser_cache(response):
    """Browsers and proxies may keep a public page PUBLIC_MAX_AGE_SECONDS, no longer: a withdrawn page
    is gone from them within that time. Errors are not kept."""
    if response.status_code == 200 and settings.PUBLIC_MAX_AGE_SECONDS:
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_MAX_AGE_SECONDS)
    else:
        patch_cache_control(response, no_cache=True, max_age=0)
    return response


def _render(view, request, *args, **kwargs):
    try:
        return view(request, *args, **kwargs)
    except Http404 as missing:  # made into the 404 page here, so that it too says how long to keep it
        return response_for_exception(request, missing)


def _cached(view, request, *args, **kwargs):
    version = settled_version() if settings.PUBLIC_CACHE_SECONDS else None
    if version is None:
        return _browser_cache(_render(view, request, *args, **kwargs))
    key = page_key(request, version)
    # The page and the settled mark in one round trip; the mark is written only when it is not this version
    # already (a write on every request cost a third of a cached page), so every request still corrects it.
    found = cache.get_many([key, SETTLED_VERSION])
    if found.get(SETTLED_VERSION) != version:
        cache.set(SETTLED_VERSION, version, settings.PUBLIC_STALE_IF_ERROR_SECONDS)
    stored = found.get(key)
    if stored is not None:
        headers, content = stored
        return _browser_cache(HttpResponse(content, headers=headers))
    response = _render(view, request, *args, **kwargs)
    if response.status_code == 200 and not response.streaming and not response.cookies:
        if hasattr(response, "render"):
            response.render()
        headers = {name: response[name] for name in KEPT_HEADERS if name in response}
        cache.set(key, (headers, response.content), settings.PUBLIC_CACHE_SECONDS)
        cache.set(stale_key(request, version), (headers, response.content, timezone.now()),
                  settings.PUBLIC_STALE_IF_ERROR_SECONDS)  # fmt: skip
    return _browser_cache(response)


def cached_page(view, params=()):
    """Serve a successful response from the cache; store it for PUBLIC_CACHE_SECONDS. `params`: the query
    parameters the view reads; any others are dropped before it sees the request."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request = known_parameters(request, params)
        try:
            return _cached(view, request, *args, **kwargs)
        except DatabaseError:
            stale = _stale_copy(request) if settings.PUBLIC_CACHE_SECONDS else None
            if stale is None:
                raise
            return stale

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
    # Derived data written in bulk by checks, repairs and rebuilds, which send no model signals.
    lapse_changed.connect(invalidate, dispatch_uid="publicsite-lapse-changed")
    derived_data_changed.connect(invalidate, dispatch_uid="publicsite-derived-data-changed")


def after_migrate(using="default", **kwargs):
    """A migration may rewrite what pages show (data migrations send no signals), and a deploy what a column of the
    exports says: retire every cached page and every stored export row (publicsite.export_rows)."""
    tables = connections[using].introspection.table_names()
    if PageVersion._meta.db_table in tables:  # not when migrated back
        PageVersion.bump()
    if SharedRecords._meta.db_table in tables:
        SharedRecords.renew()
